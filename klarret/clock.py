"""The one clock: what day and time it is, for every page, command and stored timestamp.

``KLARRET_TODAY`` (tests and the demo only) fixes the day, so the manager's dashboard, the employee's
own page, reminders and new records all agree about it; the time of day stays the real one.
"""

from __future__ import annotations

import datetime as dt

from klarret import settings


def today() -> dt.date:
    """Today's date: KLARRET_TODAY if set, else the machine's date."""
    return settings.current().today or dt.date.today()


def now() -> dt.datetime:
    """Now in UTC as a naive datetime (as the database stores it), on KLARRET_TODAY's day if set."""
    real = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    fixed = settings.current().today
    return dt.datetime.combine(fixed, real.time()) if fixed else real


LOCAL_ZONE = "Europe/Copenhagen"


def local_now() -> dt.datetime:
    """Now in Copenhagen as a naive datetime (classroom sessions are entered and stored in local time)."""
    from zoneinfo import ZoneInfo

    real = dt.datetime.now(ZoneInfo(LOCAL_ZONE)).replace(tzinfo=None)
    fixed = settings.current().today
    return dt.datetime.combine(fixed, real.time()) if fixed else real
