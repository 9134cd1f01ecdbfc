"""Links from courses to the guidance: page id -> URL, read from the build's export."""

from __future__ import annotations

import os
from pathlib import Path

from klarret import settings
from klarret.export import RECORDS_FILE, export_dir, iter_records

_cache: dict[str, tuple[float, dict[str, str]]] = {}


def page_urls() -> dict[str, str]:
    """Page id -> relative URL of the page, re-read when the export changes (a new build)."""
    path = export_dir(settings.current().html_dir) / RECORDS_FILE
    try:
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        return {}
    key = str(path)
    if key not in _cache or _cache[key][0] != mtime:
        _cache[key] = (mtime, {r.page: r.url for r in iter_records(Path(path)) if r.kind == "page"})
    return _cache[key][1]
