"""Booking a classroom session: seats, the wait-list and its promotion, the deadlines, the e-mails."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.support.classroom import TODAY, session


def _outbox():
    from klarret.db import db
    from klarret.mail import MailOutbox

    return list(db.session.scalars(select(MailOutbox).order_by(MailOutbox.id)))


def _state(session_id: int, staff_no: str) -> str:
    from klarret.db import db
    from quizzes.classroom.models import ClassroomBooking

    return db.session.scalar(select(ClassroomBooking.state).where(ClassroomBooking.session_id == session_id,
                                                                  ClassroomBooking.staff_no == staff_no))


def test_full_session_waitlists_and_a_cancellation_promotes_the_first_in_line(class_app):
    from quizzes.classroom.booking import book, cancel
    from quizzes.classroom.notices import notify, outcome_items

    with class_app.app_context():
        s = session(capacity=2)
        states = [book(s.id, no, no).booking.state for no in "1234"]
        assert states == ["booked", "booked", "waitlisted", "waitlisted"]
        assert book(s.id, "1", "1").changed is False  # booking twice keeps the seat
        out = cancel(s.id, "2", "2", by_self=True)
        assert [b.staff_no for b in out.promoted] == ["3"]  # first come, first served
        assert notify(outcome_items(out, "cancelled")) == 2
        assert [_state(s.id, no) for no in "1234"] == ["booked", "cancelled", "booked", "waitlisted"]
        mails = _outbox()
        assert [(m.recipient, m.subject.split(" Blandet")[0]) for m in mails] == [
            ("p2@kk.dk", "Du er afmeldt"), ("p3@kk.dk", "Du har fået plads på")]
        assert "10. december 2026 kl. 09.00–12.00" in mails[1].body
        assert mails[1].attachments[0]["content_type"] == "text/calendar; method=REQUEST"
        assert "METHOD:CANCEL" in mails[0].attachments[0]["text"]


def test_no_automatic_promotion_after_the_signup_deadline_but_the_trainer_may_add(class_app):
    from klarret import settings
    from quizzes.classroom.booking import BookingError, book, cancel

    with class_app.app_context():
        s = session(capacity=1)  # Thursday 10 December: sign-up closes Monday 7, cancellation Tuesday 8
        assert (s.signup_deadline, s.cancel_deadline) == (dt.date(2026, 12, 7), dt.date(2026, 12, 8))
        book(s.id, "1", "1")
        book(s.id, "2", "2")
        settings.override(class_app, {"KLARRET_TODAY": "2026-12-08"})
        with pytest.raises(BookingError, match="Tilmeldingsfristen var 7. december 2026"):
            book(s.id, "4", "4")
        out = cancel(s.id, "1", "1", by_self=True)  # the last day to cancel
        assert out.promoted == [] and _state(s.id, "2") == "waitlisted"
        assert book(s.id, "4", "trainer", late=True).booking.state == "booked"


def test_the_person_cannot_cancel_after_the_cancellation_deadline_an_administrator_can(class_app):
    from klarret import settings
    from quizzes.classroom.booking import BookingError, book, cancel

    with class_app.app_context():
        s = session(capacity=1)
        book(s.id, "1", "1")
        settings.override(class_app, {"KLARRET_TODAY": "2026-12-09"})
        with pytest.raises(BookingError, match="Afmeldingsfristen var 8. december 2026"):
            cancel(s.id, "1", "1", by_self=True)
        assert _state(s.id, "1") == "booked"
        cancel(s.id, "1", "admin", by_self=False)
        assert _state(s.id, "1") == "cancelled"


def test_one_session_per_course_at_a_time_and_restricted_sessions(class_app):
    from klarret.db import db
    from klarret.org.models import Employee
    from quizzes.classroom.booking import BookingError, book, may_book_for

    with class_app.app_context():
        a, b = session(), session(start=dt.datetime(2026, 12, 17, 9), administrations=["BIF"])
        book(a.id, "1", "1")
        with pytest.raises(BookingError, match="allerede tilmeldt holdet 10. december 2026"):
            book(b.id, "1", "1")
        one, six, manager = (db.session.get(Employee, n) for n in "163")
        assert not may_book_for(one, one, b) and may_book_for(six, six, b)
        assert may_book_for(manager, one, a) and not may_book_for(one, manager, a)


def test_events_are_emitted_in_the_bookings_transaction(class_app):
    from quizzes.classroom import events
    from quizzes.classroom.booking import book, cancel

    seen = []
    events.add_listener(seen.append)
    try:
        with class_app.app_context():
            s = session(capacity=1)
            book(s.id, "1", "1")
            book(s.id, "2", "2")
            cancel(s.id, "1", "1", by_self=True)
            sid = s.id
    finally:
        events.listeners.remove(seen.append)
    assert [(e.kind, e.staff_no) for e in seen] == [("registered", "1"), ("waitlisted", "2"), ("cancelled", "1"),
                                                    ("registered", "2")]
    assert all(e.course_id == "blend" and e.session_id == sid for e in seen)


def test_sessions_commands(class_app):
    import json

    runner = class_app.test_cli_runner()
    r = runner.invoke(args=["sessions", "create", "--course", "moede", "--start", "2026-12-14T09:00",
                            "--end", "2026-12-14T12:00", "--capacity", "1", "--place", "Rådhuset"])
    assert r.exit_code == 0, r.output
    assert "tilmeldingsfrist 2026-12-09" in r.output
    r = runner.invoke(args=["sessions", "book", "1", "1", "2"])
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["1: plads", "2: venteliste"]
    listed = json.loads(runner.invoke(args=["sessions", "list", "--json"]).output)
    assert [{k: x[k] for k in ("id", "course", "start", "capacity", "booked", "waitlisted")} for x in listed] == [
        {"id": 1, "course": "moede", "start": "2026-12-14T09:00", "capacity": 1, "booked": 1, "waitlisted": 1}]
    r = runner.invoke(args=["sessions", "cancel", "1", "1"])
    assert "2 fik pladsen fra ventelisten" in r.output, r.output
    r = runner.invoke(args=["sessions", "book", "1", "nobody"])
    assert r.exit_code == 1 and "FEJL" in r.output
    bad = runner.invoke(args=["sessions", "create", "--course", "nope", "--start", "2026-12-14T09:00",
                              "--end", "2026-12-14T12:00", "--capacity", "1", "--place", "X"])
    assert bad.exit_code != 0 and "har ingen holdundervisning" in bad.output
    script = runner.invoke(args=["sessions", "create", "--course", "moede", "--start", "2026-12-14T09:00",
                                 "--end", "2026-12-14T12:00", "--capacity", "1", "--online-url", "javascript:alert(1)"])
    assert script.exit_code != 0 and "skal begynde med https://" in script.output
    with class_app.app_context():
        from klarret.audit import AuditEvent
        from klarret.db import db

        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["classroom.session.create", "classroom.book", "classroom.book", "classroom.cancel",
                       "classroom.promote"]
    assert TODAY.isoformat() == "2026-12-03"


def test_attendance_takes_the_words_its_error_message_offers(class_app):
    from quizzes.classroom.attendance import mark
    from quizzes.classroom.booking import BookingError
    from tests.support.classroom import past_session, seat

    with class_app.app_context():
        sid = past_session(days_ago=1).id
        seat(sid, "1")
        seat(sid, "2")
        with pytest.raises(BookingError, match="brug deltog, delvist eller udeblev"):
            mark(sid, {"1": "måske"}, "trainer")
        assert mark(sid, {"1": "deltog", "2": "udeblev"}, "trainer") == 2
