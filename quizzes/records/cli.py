"""`klarret xapi send | backfill --since DATE | status`: the learning records' way out of KlarRet."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from klarret import dates
from klarret.db import db
from quizzes.records.backfill import backfill_command
from quizzes.records.outbox import XapiOutbox, enabled
from quizzes.records.send import backoff_until, send_pending


@click.group("xapi")
def xapi_group() -> None:
    """Læringsudsagn (xAPI) til kommunens læringsregister (LRS)."""


def _when(moment: dt.datetime) -> str:
    return f"{dates.long_date(moment.date())} kl. {moment:%H:%M} (UTC)"


@xapi_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send ventende udsagn til læringsregistret (kør hvert par minutter; to ad gangen er i orden)."""
    report = send_pending()
    click.echo(f"Sendt: {report.sent} udsagn. Sat til side (afvist af læringsregistret): {report.rejected}.")
    if report.problem:
        later = f" Næste forsøg efter {_when(report.waiting_until)}." if report.waiting_until else ""
        raise click.ClickException(f"{report.problem}{later} Intet går tabt: udsagnene venter i udbakken.")


@xapi_group.command("status")
@with_appcontext
def status_command() -> None:
    """Vis, hvor mange udsagn der venter, er sendt og er sat til side."""
    if not enabled():
        click.echo("KLARRET_XAPI_ENDPOINT er ikke sat: der lægges ingen udsagn i kø.")
    def count(*where):
        return db.session.scalar(select(func.count()).select_from(XapiOutbox).where(*where)) or 0

    unsent, kept = XapiOutbox.sent_at.is_(None), XapiOutbox.rejected_at.is_(None)
    oldest = db.session.scalar(select(func.min(XapiOutbox.created_at)).where(unsent, kept))
    click.echo(f"Venter: {count(unsent, kept)}" + (f" (ældste fra {_when(oldest)})" if oldest else ""))
    click.echo(f"Sendt (endnu ikke slettet efter KLARRET_XAPI_SENT_DAYS): {count(XapiOutbox.sent_at.is_not(None))}")
    click.echo(f"Sat til side (afvist af læringsregistret): {count(unsent, ~kept)}")
    for row in db.session.scalars(select(XapiOutbox).where(~kept).order_by(XapiOutbox.id).limit(20)):
        click.echo(f"  {row.statement_id} {row.verb} {row.staff_no}: {row.error}")
    until = backoff_until()
    if until is not None:
        click.echo(f"Læringsregistret fejlede sidst; næste forsøg efter {_when(until)}.")


xapi_group.add_command(backfill_command)
