"""The classroom's learning records as xAPI: a seat booked (``registered``) and attendance (``attended``).

The listener runs inside the booking's transaction (quizzes.classroom.events), so the booking and its
statement are stored together or not at all. Ids and times come from the records (the booking's id and
sign-up time, the session's start), so ``klarret xapi backfill`` rebuilds exactly the same statements
and a store that already has one keeps it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask import Flask
from sqlalchemy import select

from klarret.dates import COPENHAGEN
from klarret.db import db, keyset_chunks
from quizzes.classroom.events import ClassroomEvent, add_listener
from quizzes.classroom.models import MARKED, SEATED, ClassroomBooking, ClassroomSession, State
from quizzes.records import backfill, outbox
from quizzes.records.statements import Statement, Verb, course_activity, session_activity, statement

CHUNK = 500


def _utc(local: dt.datetime) -> dt.datetime:
    """A session's local (Copenhagen) time as stored UTC, the clock every statement uses."""
    return local.replace(tzinfo=COPENHAGEN).astimezone(dt.UTC).replace(tzinfo=None)


def registered(booking: ClassroomBooking) -> Statement:
    """The seat: registered at the time the person signed up."""
    return statement(booking.staff_no, Verb.REGISTERED, session_activity(booking.course_id, booking.session_id),
                     booking.booked_at, parent=course_activity(booking.course_id),
                     record=f"booking:{booking.id}:registered")


def attended(booking: ClassroomBooking, session: ClassroomSession) -> Statement:
    """Attendance at the session's start; partial attendance is not a completion."""
    return statement(booking.staff_no, Verb.ATTENDED, session_activity(booking.course_id, booking.session_id),
                     _utc(session.starts_at), {"completion": booking.state == State.ATTENDED},
                     parent=course_activity(booking.course_id), record=f"booking:{booking.id}:attended")


def on_event(event: ClassroomEvent) -> None:
    """Queue the statement an event calls for; a wait-list place, a cancellation or a no-show sends none."""
    if not outbox.enabled() or event.kind not in ("registered", "attended", "partial"):
        return
    booking = db.session.get(ClassroomBooking, event.booking_id)
    if event.kind == "registered":
        outbox.queue(registered(booking))
    else:
        outbox.queue(attended(booking, db.session.get(ClassroomSession, booking.session_id)))


def bookings_since(since: dt.date) -> Iterator[Statement]:
    """Every seat booked since ``since`` and its attendance, in booking order (the backfill source)."""
    start = dt.datetime.combine(since, dt.time())
    query = (select(ClassroomBooking, ClassroomSession)
             .join(ClassroomSession, ClassroomSession.id == ClassroomBooking.session_id)
             .where(ClassroomBooking.booked_at >= start, ClassroomBooking.state.in_(SEATED)))
    for rows in keyset_chunks(query, ClassroomBooking.id, CHUNK):  # each chunk built before it is yielded
        out: list[Statement] = []
        for booking, session in rows:
            out.append(registered(booking))
            if booking.state in MARKED and booking.state != State.NO_SHOW:
                out.append(attended(booking, session))
        yield from out


def init_app(app: Flask) -> None:
    """Send bookings and attendance to the learning record store, and give the backfill the bookings."""
    add_listener(on_event)
    backfill.add_source(app, "Tilmeldinger og fremmøde på hold", bookings_since)
