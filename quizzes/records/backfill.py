"""`klarret xapi backfill --since DATE`: queue the learning records from before the store was configured.

Each part that keeps learning records registers a source (``add_source``): a function giving the
statements about its records since a date, with the ids derived from the records. A statement already
in the outbox is skipped, and one the store already has is kept once by the store (same id, same content).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from klarret import audit
from klarret.db import db
from quizzes.records.outbox import enabled, queue, queued
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


@click.command("backfill")
@with_appcontext
@click.option("--since", "since", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Dato (ÅÅÅÅ-MM-DD): læg udsagn i kø for alt fra denne dag.")
def backfill_command(since: dt.datetime) -> None:
    """Læg udsagn i kø for forsøg, beståede kurser, tilmeldinger og fremmøde fra før læringsregistret."""
    if not enabled():
        raise click.ClickException("KLARRET_XAPI_ENDPOINT er ikke sat. Sæt læringsregistrets adresse, "
                                   "og kør kommandoen igen.")
    counts = backfill(since.date(), sources(current_app))
    audit.record("cli", "xapi.backfill", "", since=since.date().isoformat(), queued=sum(counts.values()))
    db.session.commit()
    for name, count in counts.items():
        click.echo(f"  {name}: {count} nye udsagn i kø")
    click.echo("Kør 'klarret xapi send' for at sende dem.")
