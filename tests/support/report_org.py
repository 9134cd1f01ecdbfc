"""The report tests' hand-computed organisation: two courses, people in SOF, BIF and ØKF, their attempts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from klarret.roles import Role
from tests.conftest import make_app
from tests.support import web

TODAY = dt.date(2026, 11, 29)
OLD = dt.date(2025, 1, 1)
PASSWORD = "rapport-test"
MODULE = """
[[modules]]
id = "m"
title = "Modul"
intro = "Intro."
reading = ["hoering"]
"""
QUESTION = """
[[modules.questions]]
id = "{qid}"
page = "{page}"
anchor = "{page}-reglen"
type = "truefalse"
prompt = "Sandt?"
explanation = "Ja."
answer = true
"""


def course(head: str, questions: dict[str, str]) -> str:
    """A course file: ``head`` (id, title, rules), one module and a true/false question per id -> page."""
    return head + MODULE + "".join(QUESTION.format(qid=q, page=p) for q, p in questions.items())


COURSE_A = course("""
id = "kursus-a"
title = "Kursus A"
description = "Alle skal tage det."
pass_mark = 50
minutes = 5
max_attempts = 0

[[tildeling]]
hvem = "alle"
frist_dage = 30
fornyes_maaneder = 12
snart_dage = 30
""", {"qa1": "partshoering", "qa2": "begrundelse"})
COURSE_B = course("""
id = "kursus-b"
title = "Kursus B"
description = "Kun Socialforvaltningen."
pass_mark = 50
minutes = 5
max_attempts = 2

[[tildeling]]
hvem = "forvaltning"
forvaltninger = ["SOF"]
frist_dage = 30
""", {"qb1": "partshoering"})

# staff_no: (administration, unit path, start date, roles, manages unit path)
PEOPLE = {
    "m1": ("SOF", "Center A", OLD, set(), "Center A"),
    "e1": ("SOF", "Center A / Team 1", OLD, set(), None),
    "e2": ("SOF", "Center A / Team 1", OLD, set(), None),
    "e3": ("SOF", "Center A / Team 1", OLD, set(), None),
    "x1": ("SOF", "Center A / Team 1", OLD, set(), None),  # excluded from statistics
    "ex1": ("SOF", "Center A / Team 1", OLD, set(), None),  # exempted from kursus-a
    "gone": ("SOF", "Center A / Team 1", OLD, set(), None),  # a leaver
    "e4": ("SOF", "Center A / Team 2", dt.date(2026, 11, 10), set(), None),
    "e5": ("SOF", "Center A / Team 2", dt.date(2026, 11, 20), set(), None),
    "m2": ("SOF", "Center B", OLD, set(), "Center B"),
    "e6": ("SOF", "Center B", OLD, set(), None),
    "z1": ("SOF", "Center AB", OLD, set(), None),  # a sibling whose path starts like Center A's
    "boss": ("BIF", "", OLD, set(), ""),  # manages BIF's top unit: the whole administration
    "b1": ("BIF", "Jobcenter", OLD, set(), None),
    "b2": ("BIF", "Jobcenter", OLD, set(), None),
    "d1": ("BIF", "Jobcenter", OLD, set(), None),  # m1's deputy now
    "d2": ("BIF", "Jobcenter", OLD, set(), None),  # m1's deputy until yesterday
    "ed": ("ØKF", "Sekretariatet", OLD, {Role.EDITOR}, None),
    "adm": ("ØKF", "Sekretariatet", OLD, {Role.ADMINISTRATOR}, None),
}


def email(staff_no: str) -> str:
    return f"{staff_no}@test.klarret.dk"


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day + "T10:00:00")


def build_org() -> None:
    """The organisation above, its attempts, answers and completions (inside an app context)."""
    from klarret.auth import hash_password
    from klarret.db import db
    from klarret.org.models import Deputy, Employee, UnitManager, ensure_administrations
    from klarret.org.write import unit_by_path
    from quizzes.attempts.service import pin_version
    from quizzes.courses import catalogue
    from quizzes.models import Answer, Attempt, Completion, Exemption

    ensure_administrations()
    hashed = hash_password(PASSWORD)
    for staff_no, (code, path, start, roles, manages) in PEOPLE.items():
        db.session.add(Employee(staff_no=staff_no, name=f"Person {staff_no.upper()}", email=email(staff_no),
                                unit=unit_by_path(code, path), start_date=start, roles=roles, password_hash=hashed,
                                excluded_from_stats=staff_no == "x1", active=staff_no != "gone"))
        db.session.flush()
        if manages is not None:
            db.session.add(UnitManager(unit_id=unit_by_path(code, manages).id, staff_no=staff_no))
    db.session.add(Deputy(manager_staff_no="m1", deputy_staff_no="d1", valid_from=dt.date(2026, 11, 1),
                          valid_to=dt.date(2026, 12, 31)))
    db.session.add(Deputy(manager_staff_no="m1", deputy_staff_no="d2", valid_from=dt.date(2026, 10, 1),
                          valid_to=dt.date(2026, 11, 28)))
    db.session.add(Exemption(staff_no="ex1", course_id="kursus-a", reason="Orlov", granted_by="adm"))
    versions = {cid: pin_version(c).id for cid, c in catalogue().items()}
    codes = iter(range(1000, 9999))

    def attempt(staff_no, course_id, day, answers: dict[str, bool], passed: bool | None):
        a = Attempt(staff_no=staff_no, course_id=course_id, version_id=versions[course_id], seed=1,
                    started_at=at(day), submitted_at=at(day) if passed is not None else None,
                    score=(100 if passed else 0) if passed is not None else None, passed=passed)
        db.session.add(a)
        db.session.flush()
        for qid, right in answers.items():
            db.session.add(Answer(attempt_id=a.id, question_id=qid, selected="sand" if right else "falsk",
                                  correct=right if passed is not None else None))
        if passed:
            db.session.add(Completion(staff_no=staff_no, course_id=course_id, cycle=0, attempt_id=a.id,
                                      completed_at=at(day), score=100, code=f"C{next(codes)}"))

    attempt("m1", "kursus-a", "2026-03-01", {"qa1": True, "qa2": True}, True)
    attempt("e1", "kursus-a", "2026-06-01", {"qa1": False, "qa2": True}, True)
    attempt("e3", "kursus-a", "2025-12-15", {"qa1": False, "qa2": True}, True)
    attempt("m2", "kursus-a", "2026-01-10", {"qa1": True, "qa2": False}, True)
    attempt("e6", "kursus-a", "2026-02-01", {"qa1": False, "qa2": False}, False)
    attempt("e4", "kursus-a", "2026-11-20", {"qa1": False}, None)  # open: not counted anywhere
    attempt("x1", "kursus-a", "2026-02-01", {"qa1": False, "qa2": False}, False)  # excluded person
    attempt("z1", "kursus-a", "2025-05-20", {}, True)  # expired on 2026-05-20
    attempt("e1", "kursus-b", "2026-02-01", {"qb1": False}, False)
    attempt("e1", "kursus-b", "2026-02-02", {"qb1": True}, False)  # a second attempt: not a first answer
    attempt("b1", "kursus-a", "2026-02-10", {"qa1": True, "qa2": True}, True)
    attempt("b2", "kursus-a", "2026-02-11", {"qa1": False, "qa2": True}, False)
    db.session.commit()


def write_report_courses(folder: Path) -> Path:
    """Kursus A and Kursus B as course files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.toml").write_text(COURSE_A, encoding="utf-8")
    (folder / "b.toml").write_text(COURSE_B, encoding="utf-8")
    return folder


def make_report_app(build_dir: Path, database_url: str, tmp_path: Path, **extra):
    """An app with the two courses, the clock at TODAY and the organisation built."""
    app = make_app(build_dir, database_url, tmp_path, KLARRET_COURSES_DIR=write_report_courses(tmp_path / "courses"),
                   KLARRET_TODAY=TODAY, **extra)
    with app.app_context():
        build_org()
    return app


def login(client, staff_no: str) -> None:
    """Log in as one of the people above (all share PASSWORD)."""
    web.login(client, email(staff_no), PASSWORD)
