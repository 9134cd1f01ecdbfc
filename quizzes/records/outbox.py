"""The xAPI outbox: statements written in the same transaction as the record they describe.

``queue`` only adds a row to the caller's session; the caller's commit stores the record and its
statement together, and a rollback drops both. ``klarret xapi send`` (send.py) empties the outbox.
Without KLARRET_XAPI_ENDPOINT nothing is queued (``klarret xapi backfill`` catches up later).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Integer, String, Text, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from klarret import clock, settings
from klarret.db import db, purge_rows
from quizzes.records.statements import Statement, Verb, course_activity, score_result, session_activity, statement


class XapiOutbox(db.Model):
    """One statement waiting for, or accepted by, the Learning Record Store."""

    __tablename__ = "xapi_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # the sending order
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    staff_no: Mapped[str] = mapped_column(String(64), index=True)
    verb: Mapped[str] = mapped_column(String(16))
    statement: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # backoff after the store failed
    claim: Mapped[str | None] = mapped_column(String(32))  # the sender holding the row, until the lease ends
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    rejected_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # set aside: the store refused it
    error: Mapped[str | None] = mapped_column(Text)


def enabled() -> bool:
    """Whether learning records are queued at all (a store is configured)."""
    return bool(settings.current().xapi_endpoint)


def queue(stmt: Statement) -> XapiOutbox | None:
    """Add ``stmt`` to the caller's transaction (not committed here); nothing without an endpoint."""
    if not enabled():
        return None
    row = XapiOutbox(statement_id=stmt["id"], staff_no=stmt["actor"]["account"]["name"],
                     verb=stmt["verb"]["id"].rsplit("/", 1)[-1], statement=stmt)
    db.session.add(row)
    return row


def queued(statement_id: str) -> bool:
    """Whether the outbox holds this statement (waiting or sent)."""
    return db.session.scalar(select(XapiOutbox.id).where(XapiOutbox.statement_id == statement_id)) is not None


def queue_result(staff_no: str, course_id: str, score: int, passed: bool, when: dt.datetime,
                 record: str | None = None, title: str = "") -> XapiOutbox | None:
    """A submitted attempt: passed or failed, with its score."""
    verb = Verb.PASSED if passed else Verb.FAILED
    return queue(statement(staff_no, verb, course_activity(course_id, title), when, score_result(score, passed),
                           record=record))


def queue_completed(staff_no: str, course_id: str, when: dt.datetime, record: str | None = None,
                    title: str = "") -> XapiOutbox | None:
    """A course completed (its renewal cycle's completion, by e-learning, classroom or both)."""
    return queue(statement(staff_no, Verb.COMPLETED, course_activity(course_id, title), when,
                           {"completion": True}, record=record))


def queue_booking(staff_no: str, course_id: str, session_id: int | str, when: dt.datetime,
                  record: str | None = None, session_title: str = "",
                  course_title: str = "") -> XapiOutbox | None:
    """A seat booked on a classroom session (``registered``); call it in the booking's transaction.

    ``record`` names the booking (e.g. ``booking:42``) so a backfill finds the same statement."""
    return queue(statement(staff_no, Verb.REGISTERED, session_activity(course_id, session_id, session_title),
                           when, parent=course_activity(course_id, course_title), record=record))


def queue_attendance(staff_no: str, course_id: str, session_id: int | str, when: dt.datetime,
                     partial: bool = False, record: str | None = None, session_title: str = "",
                     course_title: str = "") -> XapiOutbox | None:
    """Attendance at a classroom session (``attended``; partial: not completed); no-shows send nothing."""
    return queue(statement(staff_no, Verb.ATTENDED, session_activity(course_id, session_id, session_title),
                           when, {"completion": not partial}, parent=course_activity(course_id, course_title),
                           record=record))


def purge_sent(dry_run: bool) -> int:
    """Statements the store accepted (it keeps them), or refused, more than KLARRET_XAPI_SENT_DAYS ago."""
    table = XapiOutbox.__table__
    cutoff = clock.now() - dt.timedelta(days=settings.current().xapi_sent_days)
    return purge_rows(table, or_(table.c.sent_at < cutoff, table.c.rejected_at < cutoff), dry_run)
