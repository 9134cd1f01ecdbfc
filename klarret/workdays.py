"""Working days in Denmark: weekends, the public holidays and the days the municipality's offices close.

Deadlines counted "in working days" (sign-up and cancellation deadlines, reminders two working days
before a session) skip these days. Store Bededag was abolished as a public holiday from 2024.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

STORE_BEDEDAG_LAST_YEAR = 2023


def easter_sunday(year: int) -> dt.date:
    """Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def closed_days(year: int) -> frozenset[dt.date]:
    """The public holidays of ``year`` and the days the offices close (Grundlovsdag, 24 and 31 December)."""
    easter = easter_sunday(year)
    offsets = [-3, -2, 0, 1, 39, 49, 50]  # Skærtorsdag … 2. pinsedag
    if year <= STORE_BEDEDAG_LAST_YEAR:
        offsets.append(26)  # Store Bededag, the fourth Friday after Easter
    days = {easter + dt.timedelta(days=o) for o in offsets}
    days |= {dt.date(year, 1, 1), dt.date(year, 6, 5), dt.date(year, 12, 24), dt.date(year, 12, 25),
             dt.date(year, 12, 26), dt.date(year, 12, 31)}
    return frozenset(days)


def is_workday(day: dt.date) -> bool:
    """Monday to Friday and not a closed day."""
    return day.weekday() < 5 and day not in closed_days(day.year)


def add_workdays(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days after ``day`` (before it when ``n`` is negative)."""
    step = 1 if n >= 0 else -1
    left = abs(n)
    while left:
        day += dt.timedelta(days=step)
        if is_workday(day):
            left -= 1
    return day


def workdays_before(day: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``day`` (a deadline counted back from a session)."""
    return add_workdays(day, -n)
