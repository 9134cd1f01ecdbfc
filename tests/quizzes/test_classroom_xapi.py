"""The classroom's learning records: a seat and attendance become xAPI statements in their own transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.support.classroom import TODAY, past_session, seat, session

HOME = "https://www.kk.dk"


def _outbox(app):
    from klarret.db import db
    from quizzes.records.outbox import XapiOutbox

    return [(r.staff_no, r.verb, r.statement) for r in db.session.scalars(select(XapiOutbox).order_by(XapiOutbox.id))]


def test_a_seat_and_attendance_are_queued_a_waitlist_place_and_a_cancellation_are_not(class_app):
    from klarret import settings
    from quizzes.classroom.attendance import mark
    from quizzes.classroom.booking import book, cancel

    settings.override(class_app, {"KLARRET_XAPI_ENDPOINT": "http://lrs.test/xapi", "KLARRET_XAPI_HOMEPAGE": HOME})
    with class_app.app_context():
        s = session(capacity=1)
        book(s.id, "1", "1")
        book(s.id, "2", "2")  # wait-listed: nothing
        cancel(s.id, "1", "1", by_self=True)  # "2" gets the seat: registered
        p = past_session(days_ago=1)
        seat(p.id, "3")
        seat(p.id, "4")
        mark(p.id, {"3": "attended", "4": "partial"}, "trainer")
        rows, pid = _outbox(class_app), p.id
    assert [(no, verb) for no, verb, _ in rows] == [("1", "registered"), ("2", "registered"), ("3", "attended"),
                                                    ("4", "attended")]
    by_staff = {no: stmt for no, verb, stmt in rows if verb == "attended"}
    assert by_staff["3"]["result"] == {"completion": True} and by_staff["4"]["result"] == {"completion": False}
    assert by_staff["3"]["actor"]["account"] == {"homePage": HOME, "name": "3"}
    assert by_staff["3"]["object"]["id"] == f"{HOME}/kurser/blend/hold/{pid}"
    # The attendance is dated at the session's start (Copenhagen midnight = 23:00 UTC the day before).
    assert by_staff["3"]["timestamp"].startswith((TODAY - dt.timedelta(days=2)).isoformat() + "T23:00:00")


def test_nothing_is_queued_without_a_store(class_app):
    from quizzes.classroom.booking import book

    with class_app.app_context():
        s = session()
        book(s.id, "1", "1")
        assert _outbox(class_app) == []


def test_the_backfill_rebuilds_the_same_statements_and_adds_only_the_missing(class_app):
    from klarret import settings
    from klarret.db import db
    from quizzes.classroom.attendance import mark
    from quizzes.classroom.booking import book
    from quizzes.classroom.xapi import bookings_since
    from quizzes.records.backfill import backfill

    with class_app.app_context():  # before the store was configured: nothing queued
        s = session()
        book(s.id, "1", "1")
        pid = past_session(days_ago=1).id
        seat(pid, "3")
    settings.override(class_app, {"KLARRET_XAPI_ENDPOINT": "http://lrs.test/xapi", "KLARRET_XAPI_HOMEPAGE": HOME})
    with class_app.app_context():
        mark(pid, {"3": "attended"}, "trainer")  # live: attended for 3
        live = {stmt["id"]: stmt for _, _, stmt in _outbox(class_app)}
        counts = backfill(TODAY - dt.timedelta(days=30), {"hold": bookings_since})
        again = backfill(TODAY - dt.timedelta(days=30), {"hold": bookings_since})
        rows = _outbox(class_app)
        rebuilt = {stmt["id"]: stmt for stmt in bookings_since(TODAY - dt.timedelta(days=30))}
        db.session.commit()
    assert counts == {"hold": 2} and again == {"hold": 0}  # registered for 1 and 3; 3's attendance was queued
    assert sorted((no, verb) for no, verb, _ in rows) == [("1", "registered"), ("3", "attended"), ("3", "registered")]
    assert all(rebuilt[i] == stmt for i, stmt in live.items())  # same id, same content: a store keeps it once
