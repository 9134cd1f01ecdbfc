"""Assignment rules, statuses around their boundaries, renewal cycles, exemptions and grants."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from quizzes.completion.status import Status
from tests.support.status_org import attempt, person, row_of, write_courses
from tests.support.web import login

D = dt.date


def statuses(staff_no: str, today: dt.date) -> dict[str, str]:
    from quizzes.completion.status import status_rows

    return {r.course_id: r.status for r in status_rows(staff_nos=[staff_no], today=today)}


# --- who is assigned ---
def test_rules_for_administration_unit_subtree_managers_and_new_employees(rules_app):
    with rules_app.app_context():
        person("1", "SOF", "Center A / Team 1", D(2026, 1, 1))
        person("2", "SOF", "Center AB", D(2026, 1, 1))  # a name that starts like "Center A": not below it
        person("3", "BIF", "Jobcenter", D(2026, 1, 1), manages="Jobcenter")
        person("4", "BIF", "Jobcenter", D(2026, 6, 20))  # new on 2026-07-01 (within 30 days)
        person("5", "SOF", "Center A", D(2026, 1, 1))
        today = D(2026, 7, 1)
        assert set(statuses("1", today)) == {"basis", "sof", "team"}
        assert set(statuses("2", today)) == {"basis", "sof"}
        assert set(statuses("3", today)) == {"basis", "leder"}
        assert set(statuses("4", today)) == {"basis", "ny"}
        assert set(statuses("5", today)) == {"basis", "sof", "team"}
        assert "valg" not in statuses("1", today), "a course without rules is optional, not in the reports"
        # After the 30-day window the new-employee course is gone, unless its assignment was recorded.
        assert "ny" not in statuses("4", D(2026, 7, 21))
        from quizzes.completion.assignments import record_assignments

        assert record_assignments(today) == 12
        assert record_assignments(today) == 0
        assert "ny" in statuses("4", D(2026, 7, 21))


def test_due_dates_from_start_assignment_or_fixed_date(rules_app):
    from klarret.db import db
    from quizzes.models import Assignment

    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        assert row_of("1", "basis", D(2026, 1, 5)).due == D(2026, 1, 31)
        assert row_of("1", "sof", D(2026, 1, 5)).due == D(2027, 1, 31), "fixed frist_dato"
        db.session.add(Assignment(staff_no="1", course_id="basis", assigned_on=D(2026, 3, 1)))
        db.session.commit()
        assert row_of("1", "basis", D(2026, 3, 5)).due == D(2026, 3, 31), "assigned after the start: counts from then"
        person("2", start=D(2026, 5, 1))
        db.session.add(Assignment(staff_no="2", course_id="basis", assigned_on=D(2026, 4, 1)))
        db.session.commit()
        assert row_of("2", "basis", D(2026, 5, 5)).due == D(2026, 5, 31), "start after the assignment: from the start"


def test_leavers_and_excluded_people(rules_app):
    with rules_app.app_context():
        person("1")
        person("2", active=False)
        person("3", excluded=True)
        assert row_of("2", "basis", D(2026, 2, 1)) is None
        assert row_of("3", "basis", D(2026, 2, 1)) is None
        assert row_of("3", "basis", D(2026, 2, 1), include_excluded=True).status == Status.OVERDUE
        assert row_of("2", "basis", D(2026, 2, 1), include_excluded=True) is None, "leavers never"


def test_scopes(rules_app):
    from klarret.db import db
    from klarret.org.models import Unit
    from quizzes.completion.status import aggregate_query, status_rows

    with rules_app.app_context():
        person("1", "SOF", "Center A / Team 1")
        person("2", "SOF", "Center B")
        person("3", "BIF", "Jobcenter")
        attempt("1", "basis", D(2026, 1, 10))
        center_a = db.session.scalar(select(Unit.id).where(Unit.path == "Center A"))
        today = D(2026, 1, 10)
        assert {r.staff_no for r in status_rows(unit_ids=[center_a], today=today)} == {"1"}, "subtree"
        assert {r.staff_no for r in status_rows(administration="SOF", today=today)} == {"1", "2"}
        assert {r.course_id for r in status_rows(course_id="basis", today=today)} == {"basis"}
        assert len(list(status_rows(course_id="basis", today=today))) == 3
        facts = db.session.execute(aggregate_query(administration="SOF")).all()
        assert [(f.staff_no, f.course_id, f.attempts, f.open) for f in facts] == [("1", "basis", 1, 0)]
        r = next(status_rows(staff_nos=["1"], course_id="basis", today=today))
        assert (r.administration, r.unit_path, r.course_title) == ("SOF", "Center A / Team 1", "Basis")


# --- statuses ---
def test_not_started_then_overdue_at_the_boundary(rules_app):
    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))  # basis due 2026-01-31
        assert row_of("1", "basis", D(2026, 1, 31)).status == Status.NOT_STARTED
        assert row_of("1", "basis", D(2026, 2, 1)).status == Status.OVERDUE


def test_in_progress_and_overdue_takes_precedence(rules_app):
    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        attempt("1", "basis", None)  # open
        assert row_of("1", "basis", D(2026, 1, 31)).status == Status.IN_PROGRESS
        assert row_of("1", "basis", D(2026, 2, 1)).status == Status.OVERDUE


def test_failed_with_no_retakes_left_until_a_grant(rules_app):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from quizzes.completion.assignments import grant_attempts

    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        attempt("1", "basis", D(2026, 1, 10))
        assert row_of("1", "basis", D(2026, 1, 11)).status == Status.IN_PROGRESS, "one retake left"
        attempt("1", "basis", D(2026, 1, 12))
        assert row_of("1", "basis", D(2026, 1, 13)).status == Status.FAILED
        assert row_of("1", "basis", D(2026, 3, 1)).status == Status.FAILED, "precedes forfalden"
        grant_attempts("1", "basis", 1, actor="admin")
        assert row_of("1", "basis", D(2026, 1, 13)).status == Status.IN_PROGRESS
        assert row_of("1", "basis", D(2026, 3, 1)).status == Status.OVERDUE
        assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target == "1/basis")) == "attempts.grant"
        from klarret.org.models import Employee
        from quizzes.attempts.service import attempts_left
        from quizzes.courses import catalogue

        assert attempts_left(db.session.get(Employee, "1"), catalogue()["basis"]) == 1


def test_passed_expiring_soon_and_expired_around_the_window(rules_app):
    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        attempt("1", "basis", D(2026, 2, 10), passed=True, score=90)  # late: still counts
        r = row_of("1", "basis", D(2026, 2, 11))
        assert (r.status, r.completed, r.expires, r.score, r.due) == ("bestået", D(2026, 2, 10), D(2027, 2, 10), 90,
                                                                      D(2027, 2, 10))
        assert row_of("1", "basis", D(2027, 1, 10)).status == Status.PASSED  # window opens 30 days before: 2027-01-11
        assert row_of("1", "basis", D(2027, 1, 11)).status == Status.EXPIRING
        assert row_of("1", "basis", D(2027, 2, 9)).status == Status.EXPIRING
        assert row_of("1", "basis", D(2027, 2, 10)).status == Status.EXPIRED


def test_renewal_cycle_counts_the_first_pass_in_the_cycle(rules_app):
    from klarret.db import db
    from quizzes.models import Completion

    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        attempt("1", "basis", D(2026, 1, 20), passed=True, score=70)
        attempt("1", "basis", D(2026, 6, 1), passed=True, score=100)  # before the window: no new cycle
        r = row_of("1", "basis", D(2026, 7, 1))
        assert (r.completed, r.score) == (D(2026, 1, 20), 70), "the first pass of the cycle is reported"
        attempt("1", "basis", D(2026, 12, 25), passed=False)
        attempt("1", "basis", D(2027, 1, 2), passed=True, score=80)  # inside the window (opens 2026-12-21)
        attempt("1", "basis", D(2027, 1, 3), passed=True, score=100)
        r = row_of("1", "basis", D(2027, 1, 5))
        assert (r.status, r.completed, r.expires, r.score) == ("bestået", D(2027, 1, 2), D(2028, 1, 2), 80)
        cycles = db.session.execute(select(Completion.cycle, Completion.score).where(Completion.staff_no == "1")
                                    .order_by(Completion.cycle)).all()
        assert [tuple(c) for c in cycles] == [(0, 70), (1, 80)]


def test_a_course_without_renewal_keeps_its_first_completion(rules_app):
    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        attempt("1", "sof", D(2026, 1, 5), passed=True, score=60)
        attempt("1", "sof", D(2029, 1, 5), passed=True, score=100)
        r = row_of("1", "sof", D(2030, 1, 1))
        assert (r.status, r.completed, r.expires, r.score, r.due) == ("bestået", D(2026, 1, 5), None, 60,
                                                                      D(2027, 1, 31))


def test_exemption_comes_first_and_can_be_revoked(rules_app):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from quizzes.completion.assignments import exempt, revoke_exemption

    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        exempt("1", "basis", "Langtidssygemeldt", actor="admin")
        assert row_of("1", "basis", D(2026, 6, 1)).status == Status.EXEMPT
        assert revoke_exemption("1", "basis", actor="admin") == 1
        assert row_of("1", "basis", D(2026, 6, 1)).status == Status.OVERDUE
        actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions == ["exemption.grant", "exemption.revoke"]


def test_every_status_is_one_of_the_documented(rules_app):
    from quizzes.completion.status import STATUSES, status_rows

    with rules_app.app_context():
        person("1")
        person("2", manages="Center A")
        seen = {r.status for r in status_rows(today=D(2026, 3, 1))}
        assert seen <= set(STATUSES) and Status.OVERDUE in seen
        assert all(type(s) is Status for s in seen), "members, not bare strings"
        assert STATUSES[0] == Status.EXEMPT and str(Status.OVERDUE) == "forfalden", "the Danish values are kept"


def test_my_page_shows_mandatory_and_optional_courses(rules_app):
    from klarret.db import db
    from klarret.org.models import Employee
    from quizzes.completion.assignments import overview

    with rules_app.app_context():
        person("1", start=D(2026, 1, 1), excluded=True)
        attempt("1", "valg", D(2026, 1, 3), passed=True, score=100)
        rows = overview(db.session.get(Employee, "1"), today=D(2026, 1, 10))
        assert [(r.course.id, r.mandatory, r.status.status) for r in rows] == [
            ("basis", True, Status.NOT_STARTED), ("team", True, Status.NOT_STARTED), ("sof", True, Status.NOT_STARTED),
            ("ny", True, Status.NOT_STARTED), ("leder", False, Status.NOT_STARTED), ("valg", False, Status.PASSED)]
        assert rows[-1].code and len(rows[-1].code) == 10


def test_effective_date_moves_the_first_due_date_for_those_already_employed(rules_app, tmp_path):
    from klarret.db import db
    from quizzes.courses import catalogue
    from quizzes.courses.loader import load_courses

    courses, errors = load_courses(write_courses(tmp_path / "eff", {
        "ny-regel": 'title = "Ny regel"\n[[tildeling]]\nhvem = "alle"\nfrist_dage = 30\ngaelder_fra = 2026-09-01\n'}))
    assert errors == []
    with rules_app.app_context():
        catalogue()["ny-regel"] = courses[0]
        person("1", start=D(2020, 1, 1))
        person("2", start=D(2026, 10, 1))
        assert row_of("1", "ny-regel", D(2026, 9, 2)).due == D(2026, 10, 1), "from gaelder_fra, not 2020"
        assert row_of("2", "ny-regel", D(2026, 10, 2)).due == D(2026, 10, 31), "started later: from the start"
        del catalogue()["ny-regel"]
        db.session.rollback()


def test_my_page_shows_status_dates_and_certificate(rules_app):
    from klarret.auth import hash_password
    from klarret.db import db

    with rules_app.app_context():
        p = person("1", start=dt.date.today() - dt.timedelta(days=400), email="p1@kk.dk")
        p.password_hash = hash_password("hemmelig-kode")
        db.session.commit()
        attempt("1", "basis", dt.date.today() - dt.timedelta(days=3), passed=True, score=100)
    c = rules_app.test_client()
    login(c, "p1@kk.dk", "hemmelig-kode")
    html = c.get("/min-side").get_data(as_text=True)
    from klarret.dates import long_date
    from quizzes.courses.rules import add_months

    due, passed = html.split('id="skal-goeres"')[1].split('id="bestaaet"')
    passed, optional = passed.split('id="frivillige"')
    basis = passed[passed.index(">Basis<"):].split("</tr>")[0]
    expires = add_months(dt.date.today() - dt.timedelta(days=3), 12)
    assert "Bestået" in basis and long_date(expires) in basis and "Se bevis" in basis
    assert long_date(dt.date.today() - dt.timedelta(days=3)) in basis, "dates as people read them"
    team = due[due.index(">Center A<"):].split("</li>")[0]
    assert "Forfalden" in team and "over fristen" in team and "Overskredet" in team, "words, not colour alone"
    assert "status-overdue" in team and "1 modul," in team
    assert ">Valgfrit<" in optional and ">Valgfrit<" not in due
    assert "Start her" not in html, "400 days in: not new"


def test_cli_exempt_revoke_grant_with_danish_errors(rules_app):
    from klarret.audit import AuditEvent
    from klarret.db import db

    with rules_app.app_context():
        person("007")
    run = rules_app.test_cli_runner().invoke
    r = run(args=["assignments", "exempt", "007", "basis", "--reason", "Orlov", "--by", "000001"])
    assert r.exit_code == 0, r.output
    with rules_app.app_context():
        assert row_of("007", "basis", D(2026, 6, 1)).status == Status.EXEMPT
    assert run(args=["assignments", "exempt", "007", "basis"]).exit_code == 2, "a reason is required"
    r = run(args=["assignments", "exempt", "7", "basis", "--reason", "x"])
    assert r.exit_code == 2 and "Ukendt medarbejdernummer '7'" in r.output
    r = run(args=["assignments", "grant", "007", "findes-ikke", "1"])
    assert r.exit_code == 2 and "Ukendt kursus 'findes-ikke'" in r.output
    assert run(args=["assignments", "grant", "007", "basis", "0"]).exit_code == 2
    assert run(args=["assignments", "grant", "007", "basis", "2"]).exit_code == 0
    r = run(args=["assignments", "revoke", "007", "basis"])
    assert r.exit_code == 0 and "1 fritagelse(r) ophævet." in r.output
    with rules_app.app_context():
        assert row_of("007", "basis", D(2026, 6, 1)).status == Status.OVERDUE
        events = db.session.execute(select(AuditEvent.actor, AuditEvent.action).order_by(AuditEvent.id)).all()
        assert [tuple(e) for e in events] == [("000001", "exemption.grant"), ("cli", "attempts.grant"),
                                              ("cli", "exemption.revoke")]


def test_two_reminder_runs_at_once_record_each_assignment_once(rules_app):
    """Two `klarret remind` on two instances: the other run inserts the same assignment between this run's
    read and its insert; this run must not crash on the duplicate key (it did, before insert_missing)."""
    import sqlalchemy as sa

    from klarret.db import db
    from quizzes.completion.assignments import record_assignments
    from quizzes.models import Assignment

    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        db.session.commit()
        other = sa.create_engine(rules_app.config["SQLALCHEMY_DATABASE_URI"])
        done = []

        def the_other_run_first(conn, cursor, statement, parameters, context, executemany):
            if statement.lstrip().upper().startswith("INSERT INTO ASSIGNMENT") and not done:
                done.append(True)
                with other.begin() as o:
                    o.execute(Assignment.__table__.insert(), [{"staff_no": "1", "course_id": "basis",
                                                               "assigned_on": D(2026, 1, 2)}])

        sa.event.listen(db.engine, "before_cursor_execute", the_other_run_first)
        try:
            record_assignments(D(2026, 1, 5))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", the_other_run_first)
            other.dispose()
        assert done
        rows = db.session.execute(select(Assignment.course_id, Assignment.assigned_on)
                                  .where(Assignment.staff_no == "1")).all()
        assert sorted(c for c, _ in rows) == sorted({c for c, _ in rows}), "each course once"
        assert ("basis", D(2026, 1, 2)) in rows, "the other run's row is kept, not overwritten"
