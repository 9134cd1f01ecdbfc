"""Dates as Danes write them: "2. december 2026" in text and letters, "02-12-2026" in tables and files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def long_date(d: dt.date) -> str:
    """"2. december 2026": the day without a leading zero and the month's name."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date) -> str:
    """"02-12-2026": day, month and year with dashes, as in the HR files."""
    return d.strftime("%d-%m-%Y")


# Stored timestamps are naive UTC (klarret.clock.now); people read them in Copenhagen time.
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def local(moment: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) timestamp as Copenhagen wall-clock time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(COPENHAGEN)


def long_datetime(moment: dt.datetime) -> str:
    """"2. december 2026 kl. 14.05" in Copenhagen time."""
    t = local(moment)
    return f"{long_date(t.date())} kl. {t:%H.%M}"


def short_datetime(moment: dt.datetime) -> str:
    """"02-12-2026 14.05.09" in Copenhagen time (tables, the audit log)."""
    t = local(moment)
    return f"{short_date(t.date())} {t:%H.%M.%S}"


def days_left(due: dt.date, today: dt.date) -> str:
    """The deadline in words: "i dag", "i morgen", "om 12 dage", "1 dag over fristen", "5 dage over fristen"."""
    days = (due - today).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    if days > 1:
        return f"om {days} dage"
    late = -days
    return f"{late} {'dag' if late == 1 else 'dage'} over fristen"


def _or_dash(fn: Callable[[Any], str]) -> Callable[[Any], str]:
    """A template filter that shows "–" for a missing date."""
    return lambda value: "–" if value is None else fn(value)


def init_app(app: Flask) -> None:
    """The date filters every template uses: long_date, short_date, long_datetime, short_datetime, and
    long_date_local (the Copenhagen day of a stored timestamp); days_left as a global."""
    app.jinja_env.globals["days_left"] = days_left
    app.jinja_env.filters.update(long_date=_or_dash(long_date), short_date=_or_dash(short_date),
                                 long_datetime=_or_dash(long_datetime), short_datetime=_or_dash(short_datetime),
                                 long_date_local=_or_dash(lambda m: long_date(local(m).date())))
