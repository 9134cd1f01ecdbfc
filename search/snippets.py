"""Highlighted snippets: the part of a text with the most query words, HTML-escaped, `<mark>` only.

Whoosh's highlighter re-analyses every text per hit and took more than half of a query's time; this
cuts the text with the index's tokenizer and compares cached stems, which is enough for snippets.
A record's text is cut once per index (``Cut``): its snippet is then dictionary lookups of the
query's stems, with the same marks as the regular expression over the text (``_matches``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from search.analysis import TOKEN, stem

WIDTH = 220  # characters of a snippet
BEFORE = 70  # characters shown before the first marked word
MAX_TEXT = 4000  # characters searched for a snippet: enough to find the words, bounded cost
WORD_START = re.compile(r"(?<!\w)\w")  # where _pattern can match a stem of word characters
RUN = re.compile(r"[\w-]*")  # what _pattern's match covers from there
PLAIN_STEM = re.compile(r"\w[\w-]*")  # stems Cut.spans handles; any other falls back to _matches


class Marks:
    """The stems (and words) to mark, prepared once per answer for its ~25 snippets."""

    __slots__ = ("stems", "prefixes", "plain")

    def __init__(self, stems: frozenset[str]):
        self.stems = stems
        self.prefixes = tuple(stems)  # str.startswith takes a tuple: _pattern's first pass at C speed
        self.plain = all(PLAIN_STEM.fullmatch(s) for s in stems)


class Cut:
    """A record's text (its first MAX_TEXT characters) cut once per index into the places where
    _pattern could match: each word start's run of word characters and hyphens, and its word."""

    __slots__ = ("text", "escaped", "starts", "runs", "words", "prior", "by_key")

    def __init__(self, text: str):
        self.text = text = text[:MAX_TEXT]
        low = text.lower()
        # Offsets are the text's only while lowercasing keeps the length (see _lowered): else no cut.
        if len(low) != len(text):
            raise ValueError("lowercasing changes the text's length")
        self.escaped = escape(text, quote=False) == text  # nothing to escape: slices go out as they are
        self.starts: list[int] = []
        self.runs: list[str] = []  # from the word start to the end of its run, as _pattern's match
        self.words: list[str] = []  # the first token of the run, as _matches confirms it
        # Earlier word starts in the same hyphenated run: a match there would have covered this one.
        self.prior: list[tuple[str, ...]] = []
        self.by_key: dict[str, list[int]] = {}  # a word and its stem -> its word starts
        run_end, in_run = -1, []
        for m in WORD_START.finditer(low):
            p = m.start()
            end = RUN.match(low, p).end()
            run = low[p:end]
            if end != run_end:
                run_end, in_run = end, []
            word = TOKEN.match(run).group()
            i = len(self.starts)
            self.starts.append(p)
            self.runs.append(run)
            self.words.append(word)
            self.prior.append(tuple(in_run))
            in_run.append(run)
            for key in {word, stem(word)}:
                self.by_key.setdefault(key, []).append(i)

    def spans(self, marks: Marks) -> list[tuple[int, int]]:
        """The same spans as ``_matches(self.text, marks.stems)``, found by lookups."""
        found: set[int] = set()
        for s in marks.stems:
            found.update(self.by_key.get(s, ()))
        out = []
        prefixes = marks.prefixes
        for i in sorted(found):
            # _pattern matched here (a stem starts the run) and not earlier in the same run.
            if self.runs[i].startswith(prefixes) and not any(r.startswith(prefixes) for r in self.prior[i]):
                out.append((self.starts[i], self.starts[i] + len(self.words[i])))
        return out


def cut(text: str) -> Cut | None:
    """The record's text cut for snippets, or None if it must go through _matches."""
    try:
        return Cut(text)
    except ValueError:
        return None


@lru_cache(maxsize=2048)
def _pattern(stems: frozenset[str], ignore_case: bool = False) -> re.Pattern[str]:
    # Danish snowball stems are prefixes of their words (almost always): a C-speed first pass.
    alts = "|".join(re.escape(s) for s in sorted(stems, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alts})[\w-]*", re.IGNORECASE if ignore_case else 0)


@lru_cache(maxsize=1024)
def _lowered(text: str) -> tuple[str, bool]:
    """(the text to match, whether to ignore case): the records' texts recur from query to query."""
    # Matching the lowercased text is about twice as fast as IGNORECASE; its offsets are the
    # text's as long as lowercasing keeps the length (it does for Danish; "İ" does not).
    low = text.lower()
    return (low, False) if len(low) == len(text) else (text, True)


def _matches(text: str, stems: frozenset[str]) -> list[tuple[int, int]]:
    low, ignore_case = _lowered(text)
    out = []
    for m in _pattern(stems, ignore_case).finditer(low):
        t = TOKEN.search(m.group())  # confirm on the whole word: "sag" is not "saglig"
        if t is not None:
            w = t.group().lower() if ignore_case else t.group()
            if stem(w) in stems or w in stems:
                out.append((m.start() + t.start(), m.start() + t.end()))
    return out


def snippet(text: str, stems: frozenset[str] | Marks, fallback: str = "", pre: Cut | None = None) -> str:
    """About WIDTH characters of ``text`` around the densest run of matches, or ``fallback``;
    ``pre`` is ``text`` cut beforehand (``cut``)."""
    marks = stems if isinstance(stems, Marks) else Marks(stems)
    stems = marks.stems
    if pre is not None and marks.plain:
        text, spans = pre.text, pre.spans(marks) if stems else []
        esc = _same if pre.escaped else _escape
    else:
        text = text[:MAX_TEXT]
        spans = _matches(text, stems) if stems else []
        esc = _escape
    if not spans:
        if fallback:
            return escape(fallback, quote=False)
        return escape(_cut(text, 0, WIDTH), quote=False) if text else ""
    # The window (starting at a match) that holds the most matches.
    best, best_n, j = 0, 0, 0
    for i, (start, _) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= start + WIDTH - BEFORE:
            j += 1
        if j - i > best_n:
            best, best_n = i, j - i
    start = max(0, spans[best][0] - BEFORE)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < spans[best][0] else start
    end = min(len(text), start + WIDTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > spans[best][1] else end
    out, pos = [], start
    for s, e in spans:
        if s < start or e > end:
            continue
        out += [esc(text[pos:s]), "<mark>", esc(text[s:e]), "</mark>"]
        pos = e
    out.append(esc(text[pos:end]))
    html = "".join(out).replace("\n", " ")
    return ("… " if start else "") + html + (" …" if end < len(text) else "")


def _escape(text: str) -> str:
    return escape(text, quote=False)


def _same(text: str) -> str:
    return text


def _cut(text: str, start: int, width: int) -> str:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        return text[start:space if space > start else end] + " …"
    return text[start:end]
