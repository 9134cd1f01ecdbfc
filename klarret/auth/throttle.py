"""Login throttles kept in the database, so every worker and instance sees the same lock.

Per account: after ``KLARRET_LOGIN_FAILURES`` failures in a row the account is locked for 30 seconds,
then twice as long after each further failure, at most 15 minutes; a successful login starts afresh.
Per client address the same, after ``KLARRET_LOGIN_ADDRESS_FAILURES`` failures (generous: many employees
share a few office addresses). While locked, no password is checked at all.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import DateTime, Integer, String, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from klarret import clock, settings
from klarret.db import db

FIRST_WAIT = 30  # seconds
LONGEST_WAIT = 15 * 60


class LoginThrottle(db.Model):
    """Failures in a row for one account ("konto:<e-mail>") or client address ("adresse:<ip>")."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_failure: Mapped[dt.datetime] = mapped_column(DateTime)


def keys(email: str, address: str) -> dict[str, int]:
    """The throttle keys of one login attempt, each with the failures that lock it."""
    s = settings.current()
    return {f"konto:{email[:300]}": s.login_failures, f"adresse:{address[:64]}": s.login_address_failures}


def locked_for(limits: dict[str, int]) -> int:
    """Seconds until every key is free again (0: not locked)."""
    now = clock.now()
    rows = db.session.query(LoginThrottle).filter(LoginThrottle.key.in_(list(limits))).all()
    waits = [(r.locked_until - now).total_seconds() for r in rows if r.locked_until and r.locked_until > now]
    return math.ceil(max(waits)) if waits else 0


def _wait(failures: int, limit: int) -> int | None:
    if failures < limit:
        return None
    return min(LONGEST_WAIT, FIRST_WAIT * 2 ** (failures - limit))


def failed(limits: dict[str, int]) -> None:
    """Count a failure on every key (atomically, in the database) and lock the keys that reached their limit."""
    now = clock.now()
    for key, limit in limits.items():
        counted = db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(
            failures=LoginThrottle.failures + 1, last_failure=now)).rowcount
        if not counted:
            try:
                with db.session.begin_nested():
                    db.session.add(LoginThrottle(key=key, failures=1, last_failure=now))
            except IntegrityError:  # another worker counted the first failure at the same moment
                db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(
                    failures=LoginThrottle.failures + 1, last_failure=now))
        row = db.session.get(LoginThrottle, key, populate_existing=True)
        wait = _wait(row.failures, limit)
        if wait is not None:
            row.locked_until = now + dt.timedelta(seconds=wait)
    db.session.commit()


def succeeded(email_key: str) -> None:
    """A successful login clears the account's failures (the address keeps its own count)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == email_key))
