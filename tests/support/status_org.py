"""Set-up for the assignment, export and reminder tests: courses with rules, people, attempts, status rows."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

QUESTION = '''
[[modules]]
id = "m"
title = "Modul"
intro = "Intro."
reading = []

[[modules.questions]]
id = "{cid}-1"
page = "hoering"
anchor = "hoering-reglen"
type = "truefalse"
prompt = "Sandt?"
explanation = "Ja."
answer = true
'''

COURSES = {
    "basis": '''title = "Basis"\nmax_attempts = 2\n[[tildeling]]\nhvem = "alle"\nfrist_dage = 30
fornyes_maaneder = 12\nsnart_dage = 30\n''',
    "sof": '''title = "Kun SOF"\n[[tildeling]]\nhvem = "forvaltning"\nforvaltninger = ["SOF"]
frist_dato = 2027-01-31\n''',
    "team": '''title = "Center A"\n[[tildeling]]\nhvem = "enhed"\nenheder = ["SOF/Center A"]\nfrist_dage = 10\n''',
    "leder": '''title = "Ledere"\n[[tildeling]]\nhvem = "ledere"\nfrist_dage = 20\n''',
    "ny": '''title = "Nye"\n[[tildeling]]\nhvem = "nye"\nnye_dage = 30\nfrist_dage = 14\n''',
    "valg": '''title = "Valgfrit"\naudience = "valgfri"\n''',
}


def course_file(cid: str, header: str) -> str:
    return f'id = "{cid}"\ndescription = "Test."\npass_mark = 50\nminutes = 10\n{header}\n' + QUESTION.format(cid=cid)


def write_courses(folder: Path, courses: dict[str, str] = COURSES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for cid, header in courses.items():
        (folder / f"{cid}.toml").write_text(course_file(cid, header), encoding="utf-8")
    return folder


def person(staff_no: str, admin: str = "SOF", path: str = "Center A / Team 1", start: dt.date | None = None,
           *, email: str | None = None, manages: str | None = None, active: bool = True,
           excluded: bool = False, name: str | None = None):
    """Add an employee (and the units they need); returns the Employee."""
    from klarret.db import db
    from klarret.org.models import Employee, UnitManager
    from klarret.org.write import unit_by_path

    emp = Employee(staff_no=staff_no, name=name or f"Person {staff_no}", email=email,
                   unit=unit_by_path(admin, path), start_date=start or dt.date(2026, 1, 1), active=active,
                   excluded_from_stats=excluded)
    db.session.add(emp)
    db.session.flush()
    if manages is not None:
        db.session.add(UnitManager(unit_id=unit_by_path(admin, manages).id, staff_no=staff_no))
    db.session.commit()
    return emp


def attempt(staff_no: str, course_id: str, when: dt.date | None, passed: bool = False, score: int = 40):
    """An attempt submitted on ``when`` (None: still open), recorded as the submission would record it."""
    from klarret.db import db
    from quizzes.attempts.service import _record_completion, pin_version
    from quizzes.courses import catalogue
    from quizzes.models import Attempt

    at = dt.datetime.combine(when, dt.time(12)) if when else None
    a = Attempt(staff_no=staff_no, course_id=course_id, version_id=pin_version(catalogue()[course_id]).id,
                seed=secrets.randbelow(1000), started_at=at or dt.datetime(2026, 1, 2), submitted_at=at,
                correct=1 if passed else 0, total=1, score=score if at else None, passed=passed if at else None)
    db.session.add(a)
    db.session.flush()
    if passed:
        _record_completion(a, score, at)
    db.session.commit()
    return a


def row_of(staff_no: str, course_id: str, today: dt.date, **kw):
    """The status row of one person and course, or None if the course is not assigned to them."""
    from quizzes.completion.status import status_rows

    return next(status_rows(staff_nos=[staff_no], course_id=course_id, today=today, **kw), None)
