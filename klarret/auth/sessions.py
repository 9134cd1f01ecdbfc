"""Login sessions kept on the server: the cookie holds only a random id, so a session can be revoked.

A session ends at logout, when the person's roles change or they are deactivated, after
``KLARRET_SESSION_IDLE_MINUTES`` without a request, and ``KLARRET_SESSION_MAX_HOURS`` after login.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import session
from sqlalchemy import DateTime, ForeignKey, String, delete
from sqlalchemy.orm import Mapped, mapped_column

from klarret import clock, settings
from klarret.db import db, purge_rows

TOUCH_EVERY = dt.timedelta(minutes=1)  # seen_at is written at most once a minute per session


class UserSession(db.Model):
    """One logged-in browser."""

    __tablename__ = "user_session"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime)


def start(staff_no: str) -> None:
    """A fresh session for ``staff_no``: the old cookie's contents (and any fixed id) are dropped."""
    session.clear()
    now = clock.now()
    sid = secrets.token_urlsafe(32)
    db.session.add(UserSession(id=sid, staff_no=staff_no, created_at=now, seen_at=now))
    db.session.commit()
    session["sid"] = sid
    session.permanent = True


def _expired(row: UserSession, now: dt.datetime) -> bool:
    s = settings.current()
    return (now - row.seen_at > dt.timedelta(minutes=s.session_idle_minutes)
            or now - row.created_at > dt.timedelta(hours=s.session_max_hours))


def staff_no() -> str | None:
    """The staff number of this request's live session, or None (an expired one is ended here)."""
    sid = session.get("sid")
    if not sid:
        return None
    row = db.session.get(UserSession, sid)
    now = clock.now()
    if row is None or _expired(row, now):
        if row is not None:
            db.session.delete(row)
            db.session.commit()
        session.pop("sid", None)
        session["ended"] = True  # the login page says why the person was logged out
        return None
    if now - row.seen_at > TOUCH_EVERY:
        row.seen_at = now
        db.session.commit()
    return row.staff_no


def end() -> None:
    """Log this browser out: the session row goes, so a copy of the cookie is worth nothing."""
    sid = session.get("sid")
    if sid:
        db.session.execute(delete(UserSession).where(UserSession.id == sid))
        db.session.commit()
    session.clear()


def revoke_all(staff_no: str) -> None:
    """End every session of one person (roles changed, deactivated); committed with the caller's change."""
    db.session.execute(delete(UserSession).where(UserSession.staff_no == staff_no))


def purge_expired(dry_run: bool = False) -> int:
    """Delete (or, dry, count) the sessions past either limit, for `klarret purge`."""
    s = settings.current()
    now = clock.now()
    expired = ((UserSession.seen_at < now - dt.timedelta(minutes=s.session_idle_minutes))
               | (UserSession.created_at < now - dt.timedelta(hours=s.session_max_hours)))
    return purge_rows(UserSession.__table__, expired, dry_run)
