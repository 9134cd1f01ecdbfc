"""The classroom part of a course file, working days and the .ics invitations."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date


def test_danish_closed_days_and_working_days():
    from klarret.workdays import add_workdays, easter_sunday, is_workday, workdays_before

    assert [easter_sunday(y) for y in (2024, 2026, 2027)] == [D(2024, 3, 31), D(2026, 4, 5), D(2027, 3, 28)]
    assert not is_workday(D(2026, 4, 2))  # Skærtorsdag
    assert not is_workday(D(2026, 5, 14))  # Kristi himmelfartsdag
    assert not is_workday(D(2026, 5, 25))  # 2. pinsedag
    assert is_workday(D(2026, 5, 1))  # Store Bededag is gone from 2024: 1 May 2026 is an ordinary Friday
    assert not is_workday(D(2023, 5, 5))  # … but was a holiday in 2023
    assert not is_workday(D(2026, 12, 24)) and not is_workday(D(2026, 6, 5))
    assert workdays_before(D(2026, 12, 10), 3) == D(2026, 12, 7)  # Thursday -> Monday
    assert workdays_before(D(2026, 12, 28), 2) == D(2026, 12, 22)  # over the weekend and Christmas
    assert add_workdays(D(2026, 4, 1), 1) == D(2026, 4, 7)  # over Easter


def _parse(tmp_path, body: str, modules: bool = True):
    from quizzes.courses.loader import load_courses
    from tests.support.status_org import QUESTION

    (tmp_path / "c.toml").write_text(f'id = "c"\ntitle = "C"\npass_mark = 50\n{body}\n'
                                     + (QUESTION.format(cid="c") if modules else ""), encoding="utf-8")
    courses, errors = load_courses(tmp_path)
    return courses[0] if courses else None, [str(e) for e in errors]


def test_classroom_part_parsed_and_kept_out_of_the_version(tmp_path):
    plain, errors = _parse(tmp_path, "")
    assert not errors and plain.classroom is None
    blended, errors = _parse(tmp_path, '[holdundervisning]\ngennemfoerelse = "begge"\ngaelder_fra = 2026-12-01\n'
                                       "delvis_taeller = true\nfremmoede_dage = 3")
    assert not errors
    part = blended.classroom
    assert (part.mode, part.effective, part.partial_counts, part.attendance_days) == ("begge", D(2026, 12, 1),
                                                                                      True, 3)
    assert not part.needs_attendance(D(2026, 11, 30)) and part.needs_attendance(D(2026, 12, 1))
    assert blended.version == plain.version  # changing the rules gives no new version


def test_classroom_only_course_needs_no_modules(tmp_path):
    course, errors = _parse(tmp_path, '[holdundervisning]\ngennemfoerelse = "fremmoede"', modules=False)
    assert not errors and course.modules == [] and not course.has_elearning
    _, errors = _parse(tmp_path, '[holdundervisning]\ngennemfoerelse = "fremmoede"')
    assert any("har ingen e-læring; fjern modulerne" in e for e in errors)
    _, errors = _parse(tmp_path, "", modules=False)
    assert any("kurset har ingen moduler" in e for e in errors)


@pytest.mark.parametrize("body, message", [
    ('gennemfoerelse = "altid"', "gennemfoerelse = 'altid' er ukendt; brug en af e-laering, fremmoede, begge, enten"),
    ('gennemfoerelse = "enten"\ngaelder_fra = 2026-12-01', "gaelder_fra bruges kun med gennemfoerelse = \"begge\""),
    ('gaelder_fra = "2026-12-01"\ngennemfoerelse = "begge"', "gaelder_fra skal være en dato uden anførselstegn"),
    ("delvis_taeller = 1", "delvis_taeller skal være true eller false"),
    ("fremmoede_dage = -1", "fremmoede_dage skal være et helt tal på mindst 0"),
    ("varighed = 3", "ukendt nøgle 'varighed'"),
])
def test_classroom_part_errors_in_danish(tmp_path, body, message):
    _, errors = _parse(tmp_path, f"[holdundervisning]\n{body}")
    assert any(message in e and "holdundervisning" in e for e in errors), errors


def test_the_real_course_files(tmp_path):
    from quizzes.courses.loader import load_courses

    courses = {c.id: c for c in load_courses()[0]}
    assert courses["ledere"].classroom.mode == "begge"
    assert courses["ledere"].classroom.effective == D(2026, 12, 1)
    assert courses["kend-borgerraadgiveren"].classroom.mode == "enten"


def test_invitation_parses_with_the_same_uid_and_a_growing_sequence(class_app):
    from icalendar import Calendar

    from klarret.db import db
    from klarret.org.models import Employee
    from quizzes.classroom.booking import book, cancel
    from quizzes.classroom.notices import message
    from tests.support.classroom import session

    with class_app.app_context():
        s = session(capacity=1, online_url="https://teams.example/m/1")
        b = book(s.id, "1", "1").booking
        person = db.session.get(Employee, "1")
        first = Calendar.from_ical(message("booked", s, b, person)[2].text)
        cancel(s.id, "1", "1", by_self=True)
        second = Calendar.from_ical(message("cancelled", s, b, person)[2].text)
    ev1, ev2 = first.events[0], second.events[0]
    assert first["METHOD"] == "REQUEST" and second["METHOD"] == "CANCEL"
    assert ev1["UID"] == ev2["UID"] == f"klarret-hold-{s.id}@klarret.test"
    assert ev2["SEQUENCE"] > ev1["SEQUENCE"]
    assert ev2["STATUS"] == "CANCELLED"
    start = ev1.decoded("DTSTART")
    assert (start.replace(tzinfo=None), str(start.tzinfo)) == (dt.datetime(2026, 12, 10, 9), "Europe/Copenhagen")
    assert ev1.decoded("DTEND") - start == dt.timedelta(hours=3)
    assert "Blandet" in str(ev1["SUMMARY"]) and str(ev1["LOCATION"]) == "Rådhuset, lokale 12"
    assert str(ev1["ATTENDEE"]) == "mailto:p1@kk.dk"
    assert first.timezones  # a VTIMEZONE, so Outlook places the time right


def test_courses_check_accepts_a_classroom_only_course(class_app):
    r = class_app.test_cli_runner().invoke(args=["courses", "check"])
    assert r.exit_code == 0, r.output
    assert "moede: 0 moduler, 0 spørgsmål, 0 sagsbaserede" in r.output and "holdundervisning: fremmoede" in r.output
    assert "blend: 1 moduler" in r.output and "holdundervisning: begge" in r.output
