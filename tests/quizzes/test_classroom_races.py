"""Concurrent bookings and cancellations of one session: never over capacity, nobody promoted twice."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from tests.support.classroom import session


@pytest.mark.slow
def test_concurrent_bookings_and_cancellations_keep_capacity_and_promote_once(class_app, monkeypatch):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.org.models import Employee
    from quizzes.classroom import booking
    from quizzes.classroom.models import ClassroomBooking
    from tests.support.status_org import person

    with class_app.app_context():
        for no in range(10, 18):
            person(str(no), "SOF", "Center A / Team 1")
        s = session(capacity=3)
        sid = s.id
        for no in ("1", "2", "3", "4", "5"):  # three seats, two on the wait-list
            booking.book(sid, no, no)
        assert db.session.scalar(select(Employee.name).where(Employee.staff_no == "10"))

    # Widen the window between counting the seats and writing: without the row lock, two bookings
    # both see a free seat and two cancellations both promote the same person.
    real = booking.seats_taken

    def slow_seats(session_id):
        n = real(session_id)
        time.sleep(0.05)
        return n

    monkeypatch.setattr(booking, "seats_taken", slow_seats)
    jobs = [("cancel", "1"), ("cancel", "2"), *[("book", str(n)) for n in range(10, 18)]]
    barrier, errors = threading.Barrier(len(jobs)), []

    def run(kind, no):
        with class_app.app_context():
            barrier.wait(5)
            try:
                if kind == "cancel":
                    booking.cancel(sid, no, no, by_self=True)
                else:
                    booking.book(sid, no, no)
            except Exception as exc:  # noqa: BLE001 (collected and reported below)
                errors.append(f"{kind} {no}: {exc!r}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    with class_app.app_context():
        states = dict(db.session.execute(select(ClassroomBooking.staff_no, ClassroomBooking.state)
                                         .where(ClassroomBooking.session_id == sid)).all())
        promoted = list(db.session.scalars(select(AuditEvent.target).where(AuditEvent.action == "classroom.promote")))
    seated = [no for no, st in states.items() if st == "booked"]
    assert len(seated) == 3, states  # two seats freed and refilled: full again, never over
    assert states["1"] == states["2"] == "cancelled"
    assert max(Counter(promoted).values(), default=0) == 1, promoted
    assert len(promoted) <= 2
    assert sum(st == "waitlisted" for st in states.values()) == len(states) - 2 - 3
