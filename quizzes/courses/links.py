"""Links from courses to the guidance: page id (and anchor) -> URL and title, read from the build's export."""

from __future__ import annotations

import os
from pathlib import Path

from klarret import settings
from klarret.export import RECORDS_FILE, export_dir, iter_records

# Per export file: (mtime, page id -> URL, (page id, anchor) -> title; anchor "" is the page itself).
_cache: dict[str, tuple[float, dict[str, str], dict[tuple[str, str], str]]] = {}


def _load() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The export's page URLs and page and section titles, re-read when the export changes (a new build)."""
    path = export_dir(settings.current().html_dir) / RECORDS_FILE
    try:
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        return {}, {}
    key = str(path)
    if key not in _cache or _cache[key][0] != mtime:
        urls: dict[str, str] = {}
        titles: dict[tuple[str, str], str] = {}
        for r in iter_records(Path(path)):
            if r.kind == "page":
                urls[r.page] = r.url
                titles[(r.page, "")] = r.title
            elif r.anchor:
                titles.setdefault((r.page, r.anchor), r.title)
        _cache[key] = (mtime, urls, titles)
    return _cache[key][1], _cache[key][2]


def page_urls() -> dict[str, str]:
    """Page id -> relative URL of the page."""
    return _load()[0]


def link_title(page: str, anchor: str = "") -> str:
    """The title a link to the page (or its section) shows: the section's, else the page's; never a raw id."""
    titles = _load()[1]
    section = titles.get((page, anchor)) if anchor else None
    page_title = titles.get((page, ""))
    if section and page_title and section != page_title:
        return f"{page_title}: {section}"
    return section or page_title or "Afsnittet i vejledningen"
