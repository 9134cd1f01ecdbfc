"""Danish text analysis for the index: stemming, stop words and compound splitting."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.analysis.analyzers import Analyzer
from whoosh.lang import stemmer_for_language, stopwords_for_language

from search.wordlists import dictionary_words, lemmas

WORD = re.compile(r"[a-zæøåéü]+(?:-[a-zæøåéü]+)*", re.IGNORECASE)
TOKEN_PATTERN = r"\w+(?:-\w+)*"
# Danish compounds join their parts directly or with a linking -s- or -e-.
LINKS = ("", "s", "e")
MIN_PART = 3
DICTIONARY_PART = 4
ENDINGS = ("ernes", "erne", "ene", "ens", "ets", "en", "et", "er", "es", "e", "s", "r", "n", "t")
TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)
# Snowball's Danish stop words, and the modal verbs that open most questions ("må jeg …", "kan man …").
STOP_WORDS = frozenset(stopwords_for_language("da")) | {"må", "kan"}
_stemmer = stemmer_for_language("da")


def snowball(word: str) -> str:
    """The Danish snowball stem of a lowercase word (Sphinx's stems, too)."""
    return _stemmer(word)


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The stem the index fields use: the snowball stem of the word's lemma, so that irregular forms
    meet their word ("søgt" -> søg like "søger", "børn" -> barn)."""
    return _stemmer(lemmas().get(word, word))


class DanishStemFilter(Filter):
    """Lemmatise, then stem, each token (see ``stem``); the tables load once per process."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DanishStemFilter)

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def words(text: str) -> list[str]:
    """The lowercase tokens of ``text``, cut the way the index's tokenizer cuts them (stop words kept)."""
    return [w.lower() for w in TOKEN.findall(text)]


def content_stems(text: str) -> list[str]:
    """The stems of ``text``'s words that are not stop words."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS]


def phrase_key(phrase: str) -> str:
    """One keyword for a whole phrase, its stems joined: "fortrolige oplysninger" -> "fortrolig_oplysning".

    An "also called" phrase matches only as a whole (in any order); its words one by one are everyday words."""
    return "_".join(sorted(content_stems(phrase)))


def kept(word: str) -> bool:
    """Whether a lowercase word is searched: not a stop word, and two letters or more, or a number
    ("7" of "7-dagesreglen" and "7 arbejdsdage")."""
    return (len(word) >= 2 or word.isdigit()) and word not in STOP_WORDS


class StopWordFilter(StopFilter):
    """Whoosh's stop filter with ``kept``'s rule: a one-digit number is a word."""

    def __init__(self) -> None:
        super().__init__(stoplist=STOP_WORDS, minsize=1)

    def __call__(self, tokens):
        for t in tokens:
            t.stopped = not kept(t.text)
            if not t.stopped or not t.removestops:
                yield t


def danish_analyzer() -> Analyzer:
    """Lowercase, Danish stop words and the Danish snowball stemmer (Sphinx's stems, too)."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | StopWordFilter() | \
        DanishStemFilter()


def plain_analyzer() -> Analyzer:
    """Lowercased words, unstemmed: the vocabulary for spelling suggestions and type-ahead."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter()


@lru_cache(maxsize=200_000)
def in_dictionary(word: str) -> bool:
    """Whether ``word`` is a dictionary word, or a form of one, of at least DICTIONARY_PART letters:
    short dictionary words ("beg", "run") would split words into shreds."""
    if len(word) < DICTIONARY_PART:
        return False
    words = dictionary_words()
    if word in words or lemmas().get(word, "") in words:
        return True
    # The dictionary lists base words: "ansøgningen", "sagerne" are forms of its "ansøgning", "sag".
    return any(word.endswith(end) and word[:-len(end)] in words for end in ENDINGS
               if len(word) - len(end) >= MIN_PART)


class DanishCompoundFilter(Filter):
    """Split a compound into known words: "sagsbehandlingstiden" -> sag, behandling, tiden.

    Known words are the guidance's own vocabulary (collected when the index is built) and the Danish
    dictionary's words and their forms (``search.wordlists``); a token is split only if every part
    is a known word of at least three letters.
    """

    def __init__(self, wordset: Iterable[str]):
        self.wordset = frozenset(wordset)  # pickled with the index schema: the dictionary is not

    def known(self, word: str) -> bool:
        """Whether ``word`` is a word of the guidance or of the dictionary (see ``in_dictionary``)."""
        return word in self.wordset or in_dictionary(word)

    def _base(self, head: str, guidance_only: bool) -> bool:
        """Whether ``head`` can be a compound's first part: a base word, maybe with a linking s or e
        ("sags"), not a form made by cutting an ending ("oplysn" + "inger"). A word that is itself a
        known word splits only at a word of the guidance: "fortrolig" is not "fort" + "rolig"."""
        def base(w: str) -> bool:
            if guidance_only:
                return w in self.wordset
            return w in self.wordset or w in dictionary_words() or lemmas().get(w, "") in dictionary_words()

        return base(head) or (len(head) > MIN_PART and head[-1] in "se" and base(head[:-1]))

    @staticmethod
    def _bases(word: str) -> list[str]:
        """The dictionary words that ``word`` is a form of: its lemma, or the word less an ending."""
        known, lemma = dictionary_words(), lemmas().get(word, "")
        shorter = [word[:-len(end)] for end in ENDINGS if word.endswith(end)]
        return ([lemma] if lemma in known and lemma != word else []) + \
            [b for b in shorter if len(b) >= DICTIONARY_PART and b in known]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DanishCompoundFilter) and other.wordset == self.wordset

    def split(self, word: str, memo: dict[str, list[str] | None], top: bool = True) -> list[str] | None:
        """The parts of ``word``, longest first part first, or None if it is not a compound."""
        if not top and self.known(word):
            return [word]
        if word in memo:
            return memo[word]
        memo[word] = None
        # A word of the dictionary itself splits in two at most ("partshøring"), never into shreds.
        most = 2 if top and self.known(word) else None
        if most and (bases := self._bases(word)) and not any(self.split(b, memo) for b in bases):
            return None  # a form of a word that does not split: "borgeren" is not "bor" + "geren"
        for i in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head = word[:i]
            if head in STOP_WORDS or not self.known(head):
                continue  # "indsigt" is not "ind" + "sigt"
            if not self._base(head, guidance_only=most is not None):
                continue
            for link in LINKS:
                rest = word[i:]
                if link and not rest.startswith(link):
                    continue
                rest = rest[len(link):]
                if len(rest) < MIN_PART:
                    continue
                tail = self.split(rest, memo, top=False)
                if tail and (most is None or len(tail) < most):
                    memo[word] = [head, *tail]
                    return memo[word]
        return None

    def __call__(self, tokens):
        memo: dict[str, list[str] | None] = {}
        for t in tokens:
            parts = self.split(t.text, memo) if len(t.text) >= 2 * MIN_PART else None
            if not parts:
                yield t
                continue
            for part in parts:
                t.text = part
                yield t


def analysed(text: str, splitter: DanishCompoundFilter | None = None,
             memo: dict[str, list[str] | None] | None = None) -> list[str]:
    """The terms ``danish_analyzer()`` (or, with ``splitter``, ``compound_analyzer``) makes of
    ``text``: the same tokens and filters in the same order, without Whoosh's token stream, which
    costs several times the work for a query's few words. ``memo`` shares splits within a query."""
    out = []
    for w in words(text):
        parts = splitter.split(w, {} if memo is None else memo) if splitter and len(w) >= 2 * MIN_PART else None
        for part in parts or (w,):
            if kept(part):  # StopWordFilter, then the stem
                out.append(stem(part))
    return out


def compound_analyzer(wordset: Iterable[str]) -> Analyzer:
    """Words split into their parts, then stop words and stemming, for the secondary field."""
    return RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | DanishCompoundFilter(wordset) | \
        StopWordFilter() | DanishStemFilter()


def vocabulary(texts: Iterable[str], min_count: int = 1) -> set[str]:
    """The words of the guidance (lowercase, at least three letters) that compounds split into."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in WORD.findall(text) if len(w) >= MIN_PART and "-" not in w)
    return {w for w, n in counts.items() if n >= min_count}


def analyzer_kinds(schema: Any, names: Iterable[str]) -> dict[str, str]:
    """Field -> "da" or "compound" if its analyzer is ``danish_analyzer()`` or ``compound_analyzer``
    (checked once per index), so ``analysed`` may stand in for it."""
    splitter = next((i for i in getattr(schema["compound"].analyzer, "items", ())
                     if isinstance(i, DanishCompoundFilter)), None)
    refs = {"da": danish_analyzer()}
    if splitter is not None:
        refs["compound"] = compound_analyzer(splitter.wordset)
    return {name: kind for name in names for kind, ref in refs.items() if schema[name].analyzer == ref}
