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

    __slots__ = ("text", "escaped", "sure", "unsure")

    def __init__(self, text: str):
        self.text = text = text[:MAX_TEXT]
        low = text.lower()
        # Offsets are the text's only while lowercasing keeps the length (see _lowered): else no cut.
        if len(low) != len(text):
            raise ValueError("lowercasing changes the text's length")
        self.escaped = escape(text, quote=False) == text  # nothing to escape: slices go out as they are
        # A word and its stem -> the spans of the word where _matches marks it whenever that key is
        # marked: the key starts the run (so _pattern matches there) and no earlier word start in
        # the same hyphenated run could have matched instead. The rest (``unsure``: a stem that is
        # not its word's prefix, a later part of "ikke-part") are checked against all the marks.
        self.sure: dict[str, list[tuple[int, int]]] = {}
        self.unsure: dict[str, list[tuple[int, int, str, tuple[str, ...]]]] = {}
        run_end, in_run = -1, []
        for m in WORD_START.finditer(low):
            p = m.start()
            end = RUN.match(low, p).end()
            run = low[p:end]
            if end != run_end:
                run_end, in_run = end, []
            word = TOKEN.match(run).group()
            for key in {word, stem(word)}:
                if not in_run and run.startswith(key):
                    self.sure.setdefault(key, []).append((p, p + len(word)))
                else:
                    self.unsure.setdefault(key, []).append((p, p + len(word), run, tuple(in_run)))
            in_run.append(run)

    def spans(self, marks: Marks) -> list[tuple[int, int]]:
        """The same spans as ``_matches(self.text, marks.stems)``, found by lookups."""
        out: list[tuple[int, int]] = []
        keys = 0
        sure, unsure, prefixes = self.sure, self.unsure, marks.prefixes
        for s in marks.stems:
            got = sure.get(s)
            if got is not None:
                out += got
                keys += 1
            maybe = unsure.get(s)
            if maybe is not None:
                keys += 2  # checked spans come in no order
                # _pattern matched here (a mark starts the run) and not earlier in the same run.
                out += [(a, b) for a, b, run, prior in maybe
                        if run.startswith(prefixes) and not any(r.startswith(prefixes) for r in prior)]
        # A word found by two keys (itself and its stem) is one span; one key's spans are in order.
        return out if keys <= 1 else sorted(set(out))


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
    best, best_n, j, n = 0, 0, 0, len(spans)
    for i in range(n):
        if best_n >= n - i:
            break  # no later window can hold more: the rest of a short text's matches are in this one
        limit = spans[i][0] + WIDTH - BEFORE
        while j < n and spans[j][1] <= limit:
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
        if s < start:
            continue
        if e > end:
            break  # spans do not overlap, so the later ones end later still
        if esc is _same:  # most texts have nothing to escape: no call per piece
            out += [text[pos:s], "<mark>", text[s:e], "</mark>"]
        else:
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
