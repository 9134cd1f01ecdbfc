"""Legal citations, on both sides of the index.

Queries: "fvl § 19", "fvl. § 19, stk. 2", "forvaltningslovens § 22", "§ 24 forvaltningsloven",
"offl 13", "GDPR artikel 15", "artikel 15 i GDPR", "fvl §§ 19-21", "offl §§ 13 og 15" are parsed
into (law, §, stk., nr.) with the law table the build exports (keys, names, genitives, aliases).

Index: every cited provision becomes keyword tokens (``law``, ``law:§``, ``law:§:stk``,
``law:§:stk:nr`` and the law-less ``§§``); a cited range (§§ 19-21) gives a token for every
paragraph inside it, so "fvl § 20" finds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from klarret.export import Citation
from klarret.legal import expand_range, format_citation, normal_par, par_token

# A paragraph number, maybe with a letter ("9 b", "9b"); "i" before a word is the preposition.
_P = r"\d{1,4}(?:\s?(?!i\s+\w)[a-zæøå](?![a-zæøå\d]))?"
_PROV = rf"""(?P<par>{_P})(?:\s*(?:-|–|til)\s*(?P<par_to>{_P}))?
    (?:\s*,?\s*stk\.?\s*(?P<stk>\d{{1,3}}))?
    (?:\s*,?\s*\d{{1,2}}\.\s*pkt\.?)?
    (?:\s*,?\s*(?:nr\.?\s*(?P<nr>\d{{1,3}})|litra\s*(?P<litra>[a-zæøå])(?![a-zæøå])))?"""
_PROVS = rf"{_PROV.replace('?P<', '?P<a_')}(?:\s*(?:,|og)\s*(?:§\s*)?{_P}(?:\s*,?\s*stk\.?\s*\d{{1,3}})?)*"
_SIGN = r"(?:§§?|paragraf(?:fen|ferne)?|art(?:ikel|iklerne|ikler)?\.?)"
_ONE = re.compile(rf"^\s*(?:§\s*)?{_PROV}", re.IGNORECASE | re.VERBOSE)
_SPLIT = re.compile(r"\s*(?:,(?!\s*(?:stk|nr|litra|\d+\.\s*pkt))|\bog\b)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class QueryCitation:
    """A provision typed into the search box; ``law`` is None for a bare "§ 19"."""

    law: str | None
    par: str
    par_to: str | None = None
    stk: int | None = None
    nr: str | None = None
    guessed: bool = False  # the law of a bare "art. 6": one of the EU's laws, each tried

    def tokens(self) -> list[tuple[str, float]]:
        """Citation-field tokens with their weights: the paragraph counts most, stk./nr. refine."""
        pars = expand_range(self.par, self.par_to)
        share = 1.0 / len(pars) ** 0.5
        out: list[tuple[str, float]] = []
        for par in pars:
            if self.law is None:
                out.append((f"§{par}", 0.5 * share))
                continue
            out.append((f"{self.law}:{par}", share))
            if self.stk is not None:
                out.append((f"{self.law}:{par}:{self.stk}", 0.5 * share))
                if self.nr is not None:
                    out.append((f"{self.law}:{par}:{self.stk}:{self.nr}", 0.25 * share))
        return out

    def label(self, laws: dict[str, dict[str, Any]]) -> str:
        """How the guidance writes it: "forvaltningslovens § 19, stk. 2"."""
        cit = Citation(self.law or "", normal_par(self.par), self.par_to and normal_par(self.par_to), self.stk,
                       self.nr)
        if self.law is None:
            return format_citation("", [cit], [""]).strip()
        info = laws[self.law]
        return format_citation(info.get("genitive") or info["name"], [cit], [""], eu=bool(info.get("eu")))


def index_tokens(citations: Iterable[Citation]) -> list[str]:
    """Keyword tokens for the provisions a record cites, one set per citation (repeats count)."""
    out: list[str] = []
    for c in citations:
        out.append(c.law)
        for par in expand_range(par_token(c.par), c.par_to and par_token(c.par_to)):
            out += [f"{c.law}:{par}", f"§{par}"]
            if c.stk is not None:
                out.append(f"{c.law}:{par}:{c.stk}")
                if c.nr is not None:
                    out.append(f"{c.law}:{par}:{c.stk}:{str(c.nr).lower()}")
    return out


def law_tokens(citations: Iterable[Citation]) -> list[str]:
    """Paragraph-level tokens only (``law:§``), for the field of the rules a page explains."""
    return [f"{c.law}:{par}" for c in citations
            for par in expand_range(par_token(c.par), c.par_to and par_token(c.par_to))]


class CitationParser:
    """Find citations of known laws in a query; the rest of the text is left for the word search."""

    def __init__(self, laws: dict[str, dict[str, Any]]):
        alias_to_law: dict[str, str] = {}
        for key, info in laws.items():
            names = {key, *info.get("aliases", []), info.get("name", ""), info.get("genitive", ""),
                     info.get("abbr", "").rstrip(".")}
            for alias in names:
                if alias:
                    alias = " ".join(alias.lower().split())
                    alias_to_law[alias] = key
                    # Every name's genitive: "persondataforordningens artikel 15", "handicaplovens § 5".
                    if alias[-1].isalpha() and not alias.endswith("s") and alias not in laws:
                        alias_to_law.setdefault(alias + "s", key)
        self.laws = laws
        self.alias_to_law = alias_to_law
        self.eu_laws = [key for key, info in laws.items() if info.get("eu")]
        names = "|".join(re.escape(a).replace(r"\ ", r"\s+")
                         for a in sorted(alias_to_law, key=len, reverse=True))
        law = rf"(?P<law>{names})\.?"
        flags = re.IGNORECASE | re.VERBOSE
        # "fvl § 19", "offl 13", "GDPR artikel 15"; "§ 24 forvaltningsloven", "artikel 15 i GDPR"; "§ 19"
        self.forward = re.compile(rf"(?<![\w§]){law}\s*{_SIGN}?\s*(?P<provs>{_PROVS})(?![\w§])", flags)
        self.backward = re.compile(
            rf"(?<![\w§]){_SIGN}\s*(?P<provs>{_PROVS})\s+(?:(?:i|efter|jf\.?)\s+)?{law}(?![\w§])", flags)
        self.bare = re.compile(rf"(?<![\w§]){_SIGN}\s*(?P<provs>{_PROVS})(?![\w§])", flags)
        self.law_only = re.compile(rf"(?<![\w§]){law}(?![\w§])", flags)

    def _provisions(self, law: str | None, text: str) -> list[QueryCitation]:
        out = []
        for part in _SPLIT.split(text.strip()):
            m = _ONE.match(part)
            if not m:
                continue
            nr = m["nr"] or (m["litra"].lower() if m["litra"] else None)
            stk = int(m["stk"]) if m["stk"] else None
            out.append(QueryCitation(law, par_token(m["par"]), m["par_to"] and par_token(m["par_to"]),
                                     stk, nr if stk is not None or nr is None else None))
        return out

    def parse(self, text: str) -> tuple[list[QueryCitation], list[str], str]:
        """(the provisions cited, the laws named without a provision, the text left for words)."""
        cites: list[QueryCitation] = []

        def take(m: re.Match) -> str:
            if "law" in m.re.groupindex:
                laws = [self.alias_to_law[" ".join(m["law"].lower().split())]]
            elif m[0].lstrip().lower().startswith("art"):
                laws = self.eu_laws or [None]  # "art. 6": only the EU's laws have articles
            else:
                laws = [None]  # "§ 19": any law's
            for law in laws:
                cites.extend(replace(c, guessed=len(laws) > 1) for c in self._provisions(law, m["provs"]))
            return " "

        for pattern in (self.backward, self.forward, self.bare):
            text = pattern.sub(take, text)
        named = []
        for m in self.law_only.finditer(text):
            law = self.alias_to_law[" ".join(m["law"].lower().split())]
            if law not in named:
                named.append(law)
        return cites, named, text


def provision_words(texts: Iterable[str], parser: CitationParser, stem_of: Callable[[str], str],
                    keep: set[str], window: int = 3, top: int = 2) -> dict[str, list[tuple[str, float]]]:
    """The words the guidance writes just before a provision ("begrundelse efter fvl § 22").

    Only words in ``keep`` (the stems of page titles and glossary terms) count; a word seen before
    many different provisions says little and is weighed down. Used to find the page whose topic a
    cited provision is, when several pages cite it.
    """
    seen: dict[str, dict[str, int]] = {}
    for text in texts:
        for m in parser.forward.finditer(text):
            before = text[max(0, m.start() - 80):m.start()]
            if before.rstrip().endswith(":"):
                continue  # "Hjemmel: fvl § 22" labels a case; it names no topic
            stems = [stem_of(w) for w in re.findall(r"\w+", before.split(".")[-1].lower())][-window:]
            law = parser.alias_to_law[" ".join(m["law"].lower().split())]
            for c in parser._provisions(law, m["provs"]):
                for par in expand_range(c.par, c.par_to):
                    counts = seen.setdefault(f"{law}:{par}", {})
                    for s in stems:
                        if s in keep:
                            counts[s] = counts.get(s, 0) + 1
    spread: dict[str, int] = {}
    for counts in seen.values():
        for s in counts:
            spread[s] = spread.get(s, 0) + 1
    out = {}
    for token, counts in seen.items():
        scored = sorted(((n / spread[s], s) for s, n in counts.items() if n >= 2), reverse=True)[:top]
        if scored:
            best = scored[0][0]
            out[token] = [(s, round(v / best, 3)) for v, s in scored]
    return out
