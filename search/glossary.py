"""The term box: the glossary entries (term or variant) that a query names, shown as definitions."""

from __future__ import annotations

from typing import Any

from search.analysis import content_stems
from search.query import Parsed


class Glossary:
    """The term box: glossary entries whose term (or a specific variant) the query names."""

    def __init__(self, entries: list[dict[str, Any]]):
        # first stem -> (entry number, the name's stems, whether it is the main term)
        self.by_first: dict[str, list[tuple[int, list[str], bool]]] = {}
        self.entries = entries
        for i, e in enumerate(entries):
            for name, main in [(e["term"], True), *((v, False) for v in e["variants"])]:
                stems = content_stems(name)
                if stems:
                    self.by_first.setdefault(stems[0], []).append((i, stems, main))

    def match(self, parsed: Parsed, limit: int = 3) -> list[dict[str, str]]:
        """Entries named by the query; a one-word variant ("afslag") only in a short query."""
        short = len(parsed.phrases[0]) <= 2
        found: list[int] = []
        for phrase in parsed.phrases:
            for pos, first in enumerate(phrase):
                for i, stems, main in self.by_first.get(first, ()):
                    if i not in found and (main or short or len(stems) > 1) \
                            and phrase[pos:pos + len(stems)] == stems:
                        found.append(i)
        return [{"term": e["term"], "definition": e["definition"], "url": "/" + e["url"], "page": e["page"]}
                for e in (self.entries[i] for i in found[:limit])]
