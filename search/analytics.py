"""Search analytics: queries and clicks queued in memory and written in batches, off the request path.

Each worker process has its own queue and writer thread (started on first use, so a server that
forks its workers gets one per worker). The thread writes every FLUSH_SECONDS or as soon as
FLUSH_SIZE entries wait, and once more when the process exits. Requests with the header
``X-KlarRet-Bench: 1`` (bench/search.py) are not logged.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import uuid
from typing import Any

from flask import Flask
from sqlalchemy import insert

from klarret import clock
from klarret.db import db
from klarret.personal_data import mask

BENCH_HEADER = "X-KlarRet-Bench"
FLUSH_SECONDS = 5.0
FLUSH_SIZE = 200
MAX_QUEUE = 50_000  # beyond this (database down for long) new entries are dropped, not kept forever
log = logging.getLogger(__name__)


def new_search_id() -> str:
    """A random id for one search; its clicks carry it (it says nothing about the user)."""
    return uuid.uuid4().hex


class SearchLogger:
    """An in-process queue of log rows and the thread that writes them."""

    def __init__(self, app: Flask, seconds: float = FLUSH_SECONDS, size: int = FLUSH_SIZE):
        self.app, self.seconds, self.size = app, seconds, size
        self._rows: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pid: int | None = None
        self._closed = False
        self.dropped = 0
        atexit.register(self.flush)

    def _ensure_thread(self) -> None:
        # After a fork the parent's thread does not exist in the child: start one per process.
        if self._pid != os.getpid():
            self._pid = os.getpid()
            threading.Thread(target=self._loop, name="klarret-search-log", daemon=True).start()

    def _add(self, row: dict[str, Any]) -> None:
        with self._lock:
            if len(self._rows) >= MAX_QUEUE:
                self.dropped += 1
                return
            self._rows.append(row)
            full = len(self._rows) >= self.size
        self._ensure_thread()
        if full:
            self._wake.set()

    def search(self, search_id: str, query: str, result_count: int) -> None:
        """Queue one search."""
        self._add({"search_id": search_id, "kind": "query", "created_at": clock.now(), "query": mask(query)[:500],
                   "result_count": result_count, "clicked_url": None, "clicked_rank": None})

    def click(self, search_id: str, url: str, rank: int | None) -> None:
        """Queue one click on a result of the search ``search_id``."""
        self._add({"search_id": search_id[:32], "kind": "click", "created_at": clock.now(), "query": None,
                   "result_count": None, "clicked_url": url[:500], "clicked_rank": rank})

    def pending(self) -> int:
        """Rows waiting to be written."""
        with self._lock:
            return len(self._rows)

    def flush(self) -> int:
        """Write the waiting rows in one transaction; on failure keep them for the next try."""
        with self._lock:
            rows, self._rows = self._rows, []
        if not rows:
            return 0
        try:
            with self.app.app_context():
                from search.models import SearchLog

                db.session.execute(insert(SearchLog), rows)
                db.session.commit()
                db.session.remove()
        except Exception:  # the log must never take search down; retry with the next batch
            log.exception("search log: could not write %d rows", len(rows))
            with self._lock:
                self._rows[:0] = rows[: MAX_QUEUE - len(self._rows)]
            return 0
        return len(rows)

    def close(self, flush: bool = True) -> None:
        """Stop the writer thread (after a last flush, unless told to drop what waits)."""
        self._closed = True
        if not flush:
            with self._lock:
                self._rows = []
        self._wake.set()
        if flush:
            self.flush()

    def _loop(self) -> None:
        while not self._closed:
            self._wake.wait(self.seconds)
            self._wake.clear()
            if not self._closed:
                self.flush()
