"""Completion with a classroom part: blended (both, same renewal cycle), either, classroom only; the new
status "mangler fremmøde" in the status engine, the manager's dashboard, the exports and the reminders."""

from __future__ import annotations

import datetime as dt

from tests.support.classroom import TODAY, past_session, seat, session
from tests.support.status_org import attempt, row_of

D = dt.date


def test_blended_needs_both_parts_from_gaelder_fra_and_dates_from_the_later(class_app):
    from quizzes.classroom.booking import book
    from quizzes.completion.status import Status

    with class_app.app_context():
        attempt("1", "blend", D(2026, 3, 1), passed=True, score=90)
        before = row_of("1", "blend", D(2026, 5, 31))
        assert (before.status, before.completed) == (Status.PASSED, D(2026, 3, 1))  # attendance not yet required
        missing = row_of("1", "blend", TODAY)
        assert (missing.status, missing.completed, missing.session) == (Status.MISSING_ATTENDANCE, None, None)
        s = session()
        book(s.id, "1", "1")
        assert row_of("1", "blend", TODAY).session == dt.datetime(2026, 12, 10, 9)
        past = past_session(days_ago=10)
        seat(past.id, "2", "attended")
        attempt("2", "blend", D(2026, 11, 30), passed=True, score=80)
        done = row_of("2", "blend", TODAY)
        assert (done.status, done.completed, done.expires) == (Status.PASSED, D(2026, 11, 30), D(2027, 11, 30))
        seat(past.id, "4", "attended")  # attendance alone: the e-learning is still to do
        assert row_of("4", "blend", TODAY).status == Status.OVERDUE  # due 30 days after the start
        seat(past.id, "5", "partial")  # partial attendance does not count for this course
        attempt("5", "blend", D(2026, 11, 1), passed=True)
        assert row_of("5", "blend", TODAY).status == Status.MISSING_ATTENDANCE


def test_blended_parts_must_fall_in_the_same_renewal_cycle(class_app):
    from quizzes.completion.status import Status

    with class_app.app_context():
        old = past_session(days_ago=400)  # 29 October 2025
        seat(old.id, "1", "attended")
        attempt("1", "blend", D(2026, 11, 20), passed=True, score=90)  # over a year after the session
        assert row_of("1", "blend", TODAY).status == Status.MISSING_ATTENDANCE
        seat(old.id, "2", "attended")
        attempt("2", "blend", D(2026, 9, 1), passed=True, score=90)  # within the year: one cycle
        r = row_of("2", "blend", TODAY)
        assert (r.status, r.completed, r.expires) == (Status.PASSED, D(2026, 9, 1), D(2027, 9, 1))
        recent = past_session(days_ago=30)
        seat(recent.id, "3", "attended")
        attempt("3", "blend", D(2025, 10, 1), passed=True)  # e-learning expired before the attendance
        assert row_of("3", "blend", TODAY).status == Status.EXPIRED


def test_either_part_and_classroom_only(class_app):
    from quizzes.completion.status import Status

    with class_app.app_context():
        s = past_session("enten", days_ago=3)
        seat(s.id, "1", "partial")  # this course counts partial attendance
        r = row_of("1", "enten", TODAY)
        assert (r.status, r.completed, r.score) == (Status.PASSED, TODAY - dt.timedelta(days=3), None)
        attempt("2", "enten", D(2026, 11, 2), passed=True, score=70)
        assert row_of("2", "enten", TODAY).status == Status.PASSED
        m = past_session("moede", days_ago=2)
        seat(m.id, "1", "attended")
        seat(m.id, "2", "no_show")
        assert row_of("1", "moede", TODAY).status == Status.PASSED
        assert row_of("2", "moede", TODAY).status == Status.OVERDUE  # a no-show is not attendance


def test_reminders_tell_people_missing_attendance_to_book_a_seat(class_app):
    from quizzes.classroom.booking import book
    from quizzes.reports.reminders import plan

    with class_app.app_context():
        attempt("1", "blend", D(2026, 11, 1), passed=True)
        attempt("2", "blend", D(2026, 11, 1), passed=True)
        book(session().id, "2", "2")  # booked already: no reminder to book
        msgs = {(m.to, m.key[1]): m for m in plan(TODAY)}
    msg = msgs[("p1@kk.dk", "blend")]
    assert msg.key[2] == "classroom" and msg.subject == "Tilmeld dig et hold: Blandet"
    assert "https://klarret.test/kurser/blend/hold" in msg.body
    assert ("p2@kk.dk", "blend") not in msgs
    moede = msgs[("p1@kk.dk", "moede")]
    assert "Kurset »Kun fremmøde« er holdundervisning" in moede.body and "minutter" not in moede.body


def test_dashboard_and_export_show_the_status_and_the_session(class_app):
    from quizzes.classroom.booking import book
    from tests.support.classroom import give_password
    from tests.support.web import login

    with class_app.app_context():
        attempt("1", "blend", D(2026, 11, 1), passed=True)
        book(session().id, "1", "1")
        give_password("3")  # manages Center A
    client = class_app.test_client()
    login(client, "p3@kk.dk")
    page = client.get("/leder/enhed/" + _unit_of("1", class_app)).get_data(as_text=True)
    assert "mangler fremmøde" in page and "Tilmeldt hold 10-12-2026" in page
    csv = client.get("/leder/eksport.csv").get_data(as_text=True)
    head, *lines = csv.lstrip("\ufeff").splitlines()
    assert head.endswith(";Score;Tilmeldt hold")
    mine = next(ln for ln in lines if ln.startswith("1;") and ";Blandet;" in ln)
    assert ";mangler fremmøde;" in mine and mine.endswith(";2026-12-10T09:00")


def _unit_of(staff_no, app) -> str:
    from klarret.db import db
    from klarret.org.models import Employee

    with app.app_context():
        return str(db.session.get(Employee, staff_no).unit_id)
