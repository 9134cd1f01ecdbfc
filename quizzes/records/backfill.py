"""`klarret xapi backfill --since DATE`: queue the learning records from before the store was configured.

Each part that keeps learning records registers a source (``add_source``): a function giving the
statements about its records since a date, with the ids derived from the records. A statement already
in the outbox is skipped, and one the store already has is kept once by the store (same id, same content).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from flask import Flask

from klarret.db import db
from quizzes.records.outbox import queue, queued
from quizzes.records.statements import Statement

Source = Callable[[dt.date], Iterable[Statement]]
EXTENSION = "quizzes.records.sources"
COMMIT_EVERY = 500


def add_source(app: Flask, name: str, source: Source) -> None:
    """Register where ``klarret xapi backfill`` finds records (``name`` is Danish, for its output)."""
    app.extensions.setdefault(EXTENSION, {})[name] = source


def sources(app: Flask) -> dict[str, Source]:
    """The registered sources by name."""
    return dict(app.extensions.get(EXTENSION, {}))


def backfill(since: dt.date, found: dict[str, Source]) -> dict[str, int]:
    """Queue every source's statements since ``since`` not already queued; source name -> count."""
    counts: dict[str, int] = {}
    for name, source in found.items():
        counts[name] = 0
        for stmt in source(since):
            if queued(stmt["id"]):
                continue
            queue(stmt)
            counts[name] += 1
            if counts[name] % COMMIT_EVERY == 0:
                db.session.commit()
        db.session.commit()
    return counts
