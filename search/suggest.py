"""Type-ahead for every search box (``GET /api/suggest``): pages, sections, glossary terms, provisions.

What a case worker starts to type is matched against the start of any word of a page title
("parts" → Partshøring), a glossary term or variant, and a section heading that names something
(headings every page has, like "Reglen", are left out). A citation ("fvl 19", "offl § 13") is parsed
with the citation grammar the search uses (search.citations on klarret.legal) and suggests the
section that states the provision, found by the search's own ranking. The lists are built once per
index (a reindex builds them again); a call scans them in well under a millisecond
(``bench/suggest.py``), a citation costs one cached search.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from search.query import clean_query

if TYPE_CHECKING:
    from search.engine import Engine
    from search.ranking import Opened

LIMIT = 8
SECTION_LIMIT = 3  # sections come after pages and terms; a few, so one heading word does not fill the list
COMMON_HEADING_PAGES = 3  # a heading on more pages than this ("Reglen", "Sådan gør du") names nothing
MIN_SECTION_PREFIX = 3  # one or two letters match too many headings to help
KIND_LABELS = {"paragraf": "Paragraf", "side": "Side", "begreb": "Begreb", "afsnit": "Afsnit"}
_ORDER = {kind: i for i, kind in enumerate(KIND_LABELS)}


@dataclass(frozen=True)
class Entry:
    """One thing type-ahead can suggest."""

    title: str
    folded: str
    url: str
    kind: str
    detail: str = ""

    def matches(self, prefix: str) -> int | None:
        """0 when the title starts with ``prefix``, 1 when a later word does, None otherwise."""
        if self.folded.startswith(prefix):
            return 0
        return 1 if f" {prefix}" in self.folded or f"-{prefix}" in self.folded else None

    def answer(self) -> dict[str, str]:
        """The API's form of the entry."""
        return {"title": self.title, "url": self.url, "kind": self.kind, "label": KIND_LABELS[self.kind],
                "detail": self.detail}


def entries(o: Opened) -> list[Entry]:
    """Pages, glossary terms and naming section headings of one opened index."""
    out = [Entry(title, folded, url, "side" if kind == "page" else "begreb",
                 "Ordliste" if kind == "term" else "")
           for title, folded, url, kind in o.titles]
    sections = [d for d in o.stored if d and d["kind"] == "section"]
    pages_per_heading = Counter(h for h in {(d["label"].casefold(), d["page"]) for d in sections})
    per_heading = Counter(h for h, _ in pages_per_heading)
    titles = {d["page"]: d["label"] for d in o.stored if d and d["kind"] == "page"}
    for d in sections:
        folded = d["label"].casefold()
        page_title = titles.get(d["page"], "")
        if per_heading[folded] > COMMON_HEADING_PAGES or folded == page_title.casefold():
            continue
        crumbs = json.loads(d["breadcrumb"] or "[]")
        out.append(Entry(d["label"], folded, "/" + d["url"], "afsnit", " › ".join(crumbs[:-1]) or page_title))
    return out


class Suggester:
    """Type-ahead over an engine's current index; the lists are rebuilt when a reindex moves it."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock = threading.Lock()
        self._target: str | None = None
        self._entries: list[Entry] = []

    def _current(self) -> tuple[Opened, list[Entry]]:
        o = self.engine.current()[0]
        if self._target != o.target:
            with self._lock:
                if self._target != o.target:
                    self._entries, self._target = entries(o), o.target
        return o, self._entries

    def suggest(self, text: str, limit: int = LIMIT) -> list[dict[str, str]]:
        """Up to ``limit`` suggestions for what has been typed so far, best first."""
        q = clean_query(text)
        prefix = " ".join(q.casefold().split())
        if not prefix:
            return []
        o, all_entries = self._current()
        found = self._provisions(o, q)
        scored: list[tuple[int, int, str, Entry]] = []
        for e in all_entries:
            where = e.matches(prefix)
            if where is None or (e.kind == "afsnit" and len(prefix) < MIN_SECTION_PREFIX):
                continue
            scored.append((_ORDER[e.kind], where, e.folded, e))
        scored.sort(key=lambda s: s[:3])
        seen = {f["url"] for f in found}
        sections = 0
        for _, _, _, e in scored:
            if len(found) >= limit:
                break
            if e.url in seen or (e.kind == "afsnit" and sections >= SECTION_LIMIT):
                continue
            sections += e.kind == "afsnit"
            seen.add(e.url)
            found.append(e.answer())
        return found

    def _provisions(self, o: Opened, q: str) -> list[dict[str, Any]]:
        """The section that states each provision cited in ``q`` ("fvl 19" → Partshøring › Reglen)."""
        cites, _, _ = o.builder.citations.parse(q)
        out = []
        for cite in cites[:2]:
            if cite.law is None:
                continue  # "§ 19" of which law? the search page answers that, not a one-line suggestion
            query = f"{cite.law} § {cite.par}" + (f", stk. {cite.stk}" if cite.stk is not None else "")
            results = self.engine.search(query, limit=1)["results"]
            if not results:
                continue
            top = results[0]
            label = cite.label(o.builder.citations.laws)
            out.append(Entry(label[:1].upper() + label[1:], label.casefold(), top["url"], "paragraf",
                             " › ".join(top["breadcrumb"])).answer())
        return out
