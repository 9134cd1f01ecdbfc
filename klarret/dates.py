"""Dates as Danes write them: "2. december 2026" in text and letters, "02-12-2026" in tables and files."""

from __future__ import annotations

import datetime as dt

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")


def long_date(d: dt.date) -> str:
    """"2. december 2026": the day without a leading zero and the month's name."""
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


def short_date(d: dt.date) -> str:
    """"02-12-2026": day, month and year with dashes, as in the HR files."""
    return d.strftime("%d-%m-%Y")
