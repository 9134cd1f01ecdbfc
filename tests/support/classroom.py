"""Set-up for the classroom tests: blended, classroom-only and either-or courses, people and sessions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.support.status_org import QUESTION

TODAY = dt.date(2026, 12, 3)  # a Thursday
RULE = '[[tildeling]]\nhvem = "alle"\nfrist_dage = 30\n'
COURSES = {
    # Blended from 2026-06-01, renewed yearly.
    "blend": f'''title = "Blandet"\npass_mark = 50\n{RULE}fornyes_maaneder = 12\nsnart_dage = 30
[holdundervisning]\ngennemfoerelse = "begge"\ngaelder_fra = 2026-06-01\ntilmeldingsfrist_arbejdsdage = 3
afmeldingsfrist_arbejdsdage = 2\nfremmoede_dage = 5\n''' + QUESTION.format(cid="blend"),
    "moede": f'''title = "Kun fremmøde"\n{RULE}[holdundervisning]\ngennemfoerelse = "fremmoede"\n''',
    "enten": f'''title = "Enten eller"\npass_mark = 50\n{RULE}[holdundervisning]\ngennemfoerelse = "enten"
delvis_taeller = true\n''' + QUESTION.format(cid="enten"),
}


def write_classroom_courses(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for cid, body in COURSES.items():
        (folder / f"{cid}.toml").write_text(f'id = "{cid}"\ndescription = "Test."\nminutes = 10\n{body}',
                                            encoding="utf-8")
    return folder


def session(course_id: str = "blend", start: dt.datetime | None = None, capacity: int = 2, hours: int = 3,
            **kw):
    """A session starting at ``start`` (default: a week after TODAY at 9), created as the command line would."""
    from quizzes.classroom.booking import create_session

    start = start or dt.datetime.combine(TODAY + dt.timedelta(days=7), dt.time(9))
    return create_session(course_id, start, start + dt.timedelta(hours=hours), capacity, "test",
                          place=kw.pop("place", "Rådhuset, lokale 12"), **kw)


def past_session(course_id: str = "blend", days_ago: int = 1, **kw):
    """A session that started ``days_ago`` days before TODAY (bookings are written directly: booking is closed)."""
    return session(course_id, dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(0)), **kw)


def seat(session_id: int, staff_no: str, state: str = "booked", on: dt.date | None = None):
    """A booking in a given state, written directly (for sessions in the past)."""
    from klarret.db import db
    from quizzes.classroom.models import ClassroomBooking, ClassroomSession

    s = db.session.get(ClassroomSession, session_id)
    b = ClassroomBooking(session_id=session_id, staff_no=staff_no, course_id=s.course_id, state=state,
                         booked_by="test", sequence=0,
                         attended_on=on or s.starts_at.date() if state in ("attended", "partial") else None)
    db.session.add(b)
    db.session.commit()
    return b


def give_password(*staff_nos: str, roles: dict[str, set] | None = None) -> None:
    """Let these people log in with the demo password (one hash for all: hashing is slow on purpose)."""
    from klarret.auth import hash_password
    from klarret.db import db
    from klarret.org.models import Employee
    from tests.support.web import DEMO_PASSWORD

    hashed = hash_password(DEMO_PASSWORD)
    for no in staff_nos:
        e = db.session.get(Employee, no)
        e.password_hash = hashed
        if roles and no in roles:
            e.roles = roles[no]
    db.session.commit()
