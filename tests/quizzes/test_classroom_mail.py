"""Classroom e-mails through a real SMTP server: each with an .ics the calendar reads, the updates on the
same event, and the reminder two working days before (once)."""

from __future__ import annotations

import datetime as dt

from tests.support.classroom import session
from tests.support.smtp import smtp_for


def _calendar(msg):
    from icalendar import Calendar

    part = next(p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar")
    assert part.get_filename() == "holdundervisning.ics"
    return part.get_param("method"), Calendar.from_ical(part.get_content())


def test_booking_promotion_and_cancellation_mails_update_one_calendar_event(class_app):
    from quizzes.classroom.booking import book, cancel
    from quizzes.classroom.notices import notify, outcome_items

    with class_app.app_context(), smtp_for(class_app) as sink:
        s = session(capacity=1)
        for no in "12":
            notify(outcome_items(book(s.id, no, no), "booked"))
        notify(outcome_items(cancel(s.id, "1", "1", by_self=True), "cancelled"))
    got = [(m["To"], m["Subject"]) for m in sink.messages]
    assert got == [("p1@kk.dk", "Du er tilmeldt Blandet 10. december 2026"),
                   ("p2@kk.dk", "Du er på venteliste til Blandet 10. december 2026"),
                   ("p1@kk.dk", "Du er afmeldt Blandet 10. december 2026"),
                   ("p2@kk.dk", "Du har fået plads på Blandet 10. december 2026")]
    assert "Kære Person 1" in sink.messages[0].get_body().get_content()
    cals = [_calendar(m) for m in sink.messages]
    assert [method for method, _ in cals] == ["REQUEST", "REQUEST", "CANCEL", "REQUEST"]
    events = [c.events[0] for _, c in cals]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "TENTATIVE", "CANCELLED", "CONFIRMED"]
    assert events[2]["SEQUENCE"] > events[0]["SEQUENCE"] and events[3]["SEQUENCE"] > events[1]["SEQUENCE"]


def test_reminder_two_working_days_before_goes_out_once(class_app):
    from quizzes.classroom.booking import book

    with class_app.app_context(), smtp_for(class_app) as sink:
        monday = session(start=dt.datetime(2026, 12, 7, 9))  # Thursday 3 -> Friday 4, Monday 7
        later = session(start=dt.datetime(2026, 12, 8, 9))
        book(monday.id, "1", "trainer", late=True)  # sign-up closed on 2 December: the trainer adds
        book(later.id, "2", "trainer", late=True)
        runner = class_app.test_cli_runner()
        first = runner.invoke(args=["sessions", "remind"])
        again = runner.invoke(args=["sessions", "remind"])
    assert "Sendte 1 påmindelser" in first.output and "Sendte 0 påmindelser" in again.output
    assert [(m["To"], m["Subject"]) for m in sink.messages] == [("p1@kk.dk", "Påmindelse: Blandet 7. december 2026")]
    assert _calendar(sink.messages[0])[0] == "REQUEST"


def test_a_session_cancelled_tells_everyone(class_app):
    from quizzes.classroom.booking import book, cancel_session
    from quizzes.classroom.notices import notify

    with class_app.app_context(), smtp_for(class_app) as sink:
        s = session(capacity=1)
        book(s.id, "1", "1")
        book(s.id, "2", "2")
        notify([("session_cancelled", b) for b in cancel_session(s.id, "admin")])
    assert sorted(m["To"] for m in sink.messages) == ["p1@kk.dk", "p2@kk.dk"]
    assert all(_calendar(m)[0] == "CANCEL" for m in sink.messages)
