"""From what a case worker typed to a Whoosh query: citations, words, synonyms, spelling.

The text is never parsed as Whoosh syntax: it is cut into words and legal citations, and the query is
built from Term objects, so "AND", "title:x", "*" or unbalanced quotes are just words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import query
from whoosh.searching import Searcher

from search.analysis import STOP_WORDS, DanishCompoundFilter, analysed, content_stems, phrase_key, stem, words
from search.citations import CitationParser, QueryCitation
from search.synonyms import SynonymTable

TEXT_FIELDS = ("title", "headings", "summary", "terms", "questions", "text", "compound", "tcompound", "qcompound")
COMPOUND_FIELDS = ("compound", "qcompound")
CITE_WEIGHT = 3.0  # a parsed provision outweighs the words around it
LAW_WEIGHT = 0.3  # a law named without a paragraph: a weak hint
TOPIC_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.6  # what a synonym adds counts less than what was typed
CORRECTION_WEIGHT = 0.9
ALSO_WEIGHT = 1.0
# A question word asks what kind of answer, not about what ("hvornår" heads sections of most pages): it counts
# less toward rank, and fully in a section's heading match. "hvordan" asks for the how-to (search.sections).
QUESTION_WORDS, QUESTION_WORD_WEIGHT = frozenset({"hvornår", "hvem", "hvorfor", "hvilk"}), 0.7  # stems
MAX_PHRASE = 4  # words of an "also called" phrase
MAX_WORDS = 40  # words of one query that are searched; the rest are ignored
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
MAX_QUERY = 500  # characters kept of a query
MAX_FREQ = 100_000  # document frequencies kept per index
UNKNOWN_LAW = re.compile(r"\w{3,}(?:loven|lovens|lov|lovs|forordningen|forordningens|bekendtgørelsen|bekendtgørelsens)")


def clean_query(q: str) -> str:
    """Control and bidi characters out, white space folded, at most MAX_QUERY characters."""
    return " ".join(CONTROL.sub(" ", q or "").split())[:MAX_QUERY]


@dataclass
class Parsed:
    """A query taken apart: its Whoosh query, the words typed, corrections and what they expand to."""

    query: query.Query | None
    words: list[str]
    corrections: dict[str, str] = field(default_factory=dict)
    phrases: list[list[str]] = field(default_factory=list)  # typed words, corrected, synonyms (stems)
    cited: bool = False
    highlight: frozenset[str] = frozenset()  # stems (and words) to mark in snippets
    unknown_law: str | None = None  # "udlændingelovens § 40": a law the guidance does not cite
    stems: frozenset[str] = frozenset()  # content stems, with compounds' and hyphenated words' parts
    groups: list[list[frozenset[str]]] = field(default_factory=list)  # see QueryBuilder._groups
    uncited: tuple[str, ...] = ()  # "forvaltningslovens § 99": provisions of known laws the guidance never cites
    names: tuple[frozenset[str], ...] = ()  # the typed words' stems, then each synonym's of them all; () if cited

    def suggestion(self) -> str | None:
        """The typed words with the misspelled ones replaced ("Mente du …?")."""
        if not self.corrections:
            return None
        return " ".join(self.corrections.get(w, w) for w in self.words)


class QueryBuilder:
    """Builds queries for one index (its schema, law table and synonym table)."""

    def __init__(self, laws: dict[str, dict[str, Any]], table: SynonymTable,
                 provision_words: dict[str, list] | None = None, kinds: dict[str, str] | None = None):
        self.citations = CitationParser(laws)
        self.kinds = kinds or {}  # field -> "da" or "compound": analysed without Whoosh (analyzer_kinds)
        self.synonyms = table
        self.provision_words = provision_words or {}
        self._fixes: dict[str, str | None] = {}  # word -> its correction: suggest() takes ~40 ms
        self._freq: dict[tuple[str, str], int] = {}  # (field, term) -> documents; this index's

    def _pieces(self, s: Searcher, word: str) -> list[str]:
        """A hyphenated word the guidance never writes ("tv-overvågning") is searched as its words."""
        if "-" not in word or self._df(s, "spell", word):
            return [word]
        return [p for p in word.split("-") if p]

    def _df(self, s: Searcher, name: str, term: str) -> int:
        """``s.doc_frequency``, kept: Whoosh's term lookup costs ~20 µs and a query asks ~30 times."""
        key = (name, term)
        n = self._freq.get(key)
        if n is None:
            if len(self._freq) > MAX_FREQ:
                self._freq.clear()
            n = self._freq[key] = s.doc_frequency(name, term)
        return n

    def _analyse(self, s: Searcher, name: str, text: str, memo: dict[str, list[str] | None]) -> list[str]:
        """The terms field ``name``'s analyzer makes of ``text`` (``memo``: one query's compound splits)."""
        kind = self.kinds.get(name)
        if kind == "da":
            return analysed(text)
        if kind == "compound":
            return analysed(text, _compound_filter(s), memo)
        return [t.text for t in s.schema[name].analyzer(text)]

    def _terms(self, s: Searcher, text: str, boost: float, all_of: bool = False,
               whole: frozenset[str] = frozenset(), memo: dict | None = None) -> list[query.Query]:
        """Terms of ``text`` in every text field; the words in ``whole`` are not split into parts."""
        out: list[query.Query] = []
        plain: set[str] = set()
        done: dict[Any, list[str]] = {}  # fields sharing an analyzer analyse once
        splitter = _compound_filter(s)
        memo = {} if memo is None else memo
        for name in TEXT_FIELDS:
            analyzer = s.schema[name].analyzer
            key = self.kinds.get(name) or id(analyzer)
            if key not in done:
                own = text
                if whole and splitter is not None and splitter in getattr(analyzer, "items", ()):
                    own = " ".join(w for w in words(text) if w not in whole)
                done[key] = list(dict.fromkeys(self._analyse(s, name, own, memo)))
            terms = done[key]
            if name in COMPOUND_FIELDS:
                # Only the parts of split compounds: whole words already count in the other fields.
                terms = [t for t in terms if t not in plain]
            else:
                plain.update(terms)
            # Terms the index lacks cost a matcher each and add nothing (an And needs them all).
            known = [t for t in terms if self._df(s, name, t)]
            if all_of and len(terms) > 1:
                if len(known) == len(terms):
                    out.append(query.And([query.Term(name, t, boost=boost) for t in terms]))
            else:
                out += [query.Term(name, t, boost=boost * (QUESTION_WORD_WEIGHT if t in QUESTION_WORDS else 1.0))
                        for t in known]
        return out

    def corrections(self, s: Searcher, typed: list[str]) -> dict[str, str]:
        """Unknown words and the closest word of the guidance ("partshørring" -> "partshøring").

        A word is known if it, or its stem, occurs in the guidance. A compound of the guidance's
        words ("klagefrist") is corrected only to a word one letter away.
        """
        splitter = _compound_filter(s)
        corrector = None
        out = {}
        for w in typed:
            if len(w) < 4 or not w.isalpha() or w in STOP_WORDS or self._df(s, "spell", w) \
                    or self._df(s, "text", stem(w)) or self._df(s, "title", stem(w)) \
                    or stem(w) in self.synonyms.words:  # a synonym's source is a word we know
                continue
            if splitter is not None and splitter.known(w):
                continue  # a Danish word the guidance does not use ("fælde") is not a misspelling
            if w not in self._fixes:
                compound = splitter is not None and bool(splitter.split(w, {}))
                corrector = corrector or s.corrector("spell")
                alt = corrector.suggest(w, limit=1, maxdist=1 if compound or len(w) <= 5 else 2)
                if len(self._fixes) > 50_000:
                    self._fixes.clear()
                self._fixes[w] = alt[0] if alt and alt[0] != w else None
            if self._fixes[w]:
                out[w] = self._fixes[w]
        return out

    def _also(self, s: Searcher, phrases: list[list[str]]) -> list[query.Query]:
        """Pages "also called" by a phrase of the query (stems joined, see ``phrase_key``)."""
        out, seen = [], set()
        for p in phrases:
            for i in range(len(p)):
                for n in range(1, min(MAX_PHRASE, len(p) - i) + 1):
                    key = "_".join(sorted(p[i:i + n]))
                    if key not in seen and self._df(s, "also", key):
                        seen.add(key)
                        out.append(query.Term("also", key, boost=ALSO_WEIGHT))
        return out

    def closest(self, s: Searcher, typed: list[str], limit: int = 3) -> list[str]:
        """The guidance's words closest to the typed words the index does not know (for "Ingen resultater")."""
        corrector = s.corrector("spell")
        out: list[str] = []
        for w in typed:
            if len(w) < 3 or w in STOP_WORDS or self._df(s, "spell", w):
                continue
            out += [alt for alt in corrector.suggest(w, limit=limit, maxdist=2) if alt != w and alt not in out]
        return out[:limit]

    def _synonym_weight(self, s: Searcher, source: list[str]) -> float:
        """Full weight when the guidance lacks the words typed ("copilot"): the synonym is all we have."""
        content = [w for w in source if w not in STOP_WORDS]
        if any(self._df(s, "text", stem(w)) or self._df(s, "title", stem(w)) for w in content):
            return SYNONYM_WEIGHT
        return 1.0

    def parse(self, s: Searcher, text: str, correct: bool = True) -> Parsed:
        """The query for ``text``; with ``correct``, misspelled words also search their correction."""
        cites, named, rest = self.citations.parse(text)
        unknown = next((w for w in words(rest) if UNKNOWN_LAW.fullmatch(w)), None)
        if unknown and any(c.law is None for c in cites):
            # "§ 40" of a law we do not know would match § 40 of the laws we do: misleading.
            cites = [c for c in cites if c.law is not None]
        else:
            unknown = None
        # The unknown law's name is not searched either: its parts ("udlænding", "lov") find any page.
        typed = [p for w in words(rest) if w != unknown for p in self._pieces(s, w)][:MAX_WORDS]
        parts: list[query.Query] = []
        for c in cites:
            for token, weight in c.tokens():
                parts.append(query.Term("citations", token, boost=CITE_WEIGHT * weight))
                if c.law:
                    parts.append(query.Term("rule", token, boost=CITE_WEIGHT * weight))
                    parts.append(query.Term("stated", token, boost=CITE_WEIGHT * weight))
                for word, share in self.provision_words.get(token, ()):
                    # The topic the guidance names next to this provision ("begrundelse efter § 22").
                    parts += [query.Term(f, word, boost=TOPIC_WEIGHT * share * weight) for f in ("title", "terms")]
        parts += [query.Term("citations", law, boost=LAW_WEIGHT) for law in named]
        # An everyday word the guidance's "also called" lists names ("agterskrivelse") is not split
        # into parts: "agter" + "skrivelse" would find every page that writes.
        whole = frozenset(w for w in typed if self._df(s, "also", phrase_key(w)))
        memo: dict[str, list[str] | None] = {}  # compound splits, shared by this query's analyses
        parts += self._terms(s, " ".join(typed), 1.0, whole=whole, memo=memo)
        fixes = self.corrections(s, typed) if correct else {}
        for right in fixes.values():
            parts += self._terms(s, right, CORRECTION_WEIGHT, memo=memo)
        fixed = [fixes.get(w, w) for w in typed]
        phrases = [[stem(w) for w in fixed if w not in STOP_WORDS]]
        spans = self.synonyms.expand(fixed)
        expansions = [(target, self._synonym_weight(s, fixed[i:j])) for i, j, target in spans]
        seen = {target for target, _ in expansions}
        for target, weight in list(expansions):
            # One step further: "copilot" => "kunstig intelligens" => the glossary's "beslutningsstøtte".
            for *_, further in self.synonyms.expand(words(target)):
                if further not in seen and further != " ".join(fixed):
                    seen.add(further)
                    expansions.append((further, weight * SYNONYM_WEIGHT))
        for target, weight in expansions:
            parts += self._terms(s, target, weight, all_of=True, memo=memo)
            phrases.append([stem(w) for w in words(target) if w not in STOP_WORDS])
        parts += self._also(s, phrases)
        # Stop words ("jeg", "kan", "at") are not marked: every snippet has them, and they say nothing.
        marks = frozenset(w for p in phrases for w in p) | frozenset(w for w in fixed if w not in STOP_WORDS)
        # The stems a section's heading is compared with: content words, compound and hyphen parts.
        content = frozenset(w for p in phrases for w in p) | \
            frozenset(self._analyse(s, "compound", " ".join(fixed), memo)) | \
            frozenset(content_stems(" ".join(fixed).replace("-", " ")))

        def cited(c: QueryCitation) -> bool:
            return any(self._df(s, "citations", token) for token, _ in c.tokens() if token.count(":") == 1)

        # A bare article tried in each EU law is uncited only if it is uncited in all of them.
        guess_cited = any(cited(c) for c in cites if c.guessed)
        uncited = tuple(c.label(self.citations.laws) for c in cites
                        if c.law and not cited(c) and not (c.guessed and guess_cited))
        return Parsed(query.Or(parts) if parts else None, typed, fixes, phrases, bool(cites), marks, unknown, content,
                      self._groups(s, typed, fixed, spans, memo), uncited,
                      () if cites else _names(fixed, phrases, spans))

    def _groups(self, s: Searcher, typed: list[str], fixed: list[str], spans: list[tuple[int, int, str]],
                memo: dict[str, list[str] | None]) -> list[list[frozenset[str]]]:
        """Per content word typed, the ways a page can contain it: its stem (as typed or corrected),
        all parts of the compound, or all words of a synonym of a phrase it belongs to."""
        out = []
        for i, (w, f) in enumerate(zip(typed, fixed, strict=False)):
            if w in STOP_WORDS or not content_stems(f):
                continue
            ways = {frozenset([stem(w)]), frozenset([stem(f)])}
            parts = frozenset(self._analyse(s, "compound", f, memo))
            if parts:
                ways.add(parts)
            ways |= {frozenset(content_stems(target)) for a, b, target in spans if a <= i < b and content_stems(target)}
            out.append(list(ways))
        return out


def _names(fixed: list[str], phrases: list[list[str]], spans: list[tuple[int, int, str]]) -> tuple[frozenset[str], ...]:
    """The typed words' stems, then those of each synonym of all of them (``phrases[1:]`` follow ``spans``):
    "whistleblowing" also names what the glossary's "whistleblower" names."""
    asked = [i for i, w in enumerate(fixed) if w not in STOP_WORDS]
    if not asked:
        return ()
    names = [phrases[0], *(phrases[1 + n] for n, (i, j, _) in enumerate(spans) if i <= asked[0] and asked[-1] < j)]
    return tuple(dict.fromkeys(frozenset(n) for n in names if n))


def _compound_filter(s: Searcher) -> DanishCompoundFilter | None:
    items = getattr(s.schema["compound"].analyzer, "items", [])
    return next((item for item in items if isinstance(item, DanishCompoundFilter)), None)

