"""Highlighted snippets: the part of a text with the most query words, HTML-escaped, `<mark>` only.

Whoosh's highlighter re-analyses every text per hit and took more than half of a query's time; this
cuts the text with the index's tokenizer and compares cached stems, which is enough for snippets.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from search.analysis import TOKEN, stem

WIDTH = 220  # characters of a snippet
BEFORE = 70  # characters shown before the first marked word
MAX_TEXT = 4000  # characters searched for a snippet: enough to find the words, bounded cost


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


def snippet(text: str, stems: frozenset[str], fallback: str = "") -> str:
    """About WIDTH characters of ``text`` around the densest run of matches, or ``fallback``."""
    text = text[:MAX_TEXT]
    spans = _matches(text, stems) if stems else []
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
        out += [escape(text[pos:s], quote=False), "<mark>", escape(text[s:e], quote=False), "</mark>"]
        pos = e
    out.append(escape(text[pos:end], quote=False))
    html = "".join(out).replace("\n", " ")
    return ("… " if start else "") + html + (" …" if end < len(text) else "")


def _cut(text: str, start: int, width: int) -> str:
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        return text[start:space if space > start else end] + " …"
    return text[start:end]
