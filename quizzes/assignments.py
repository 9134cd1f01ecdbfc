"""Who must take which course: an employee's own overview, recorded assignments, exemptions and grants.

The rules live in the course files (`[[tildeling]]`, see quizzes/rules.py); statuses come from
quizzes/status.py, the one code path for /min-side, dashboards, exports and reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from klarret.audit import record
from klarret.db import db
from klarret.people import Employee
from quizzes.loader import Course
from quizzes.models import Assignment, AttemptGrant, Completion, Exemption, utcnow
from quizzes.status import StatusRow, courses_by_title, rows


@dataclass
class Row:
    """One line of /min-side."""

    course: Course
    mandatory: bool
    status: StatusRow
    code: str | None  # the latest completion's certificate code

    @property
    def due(self) -> dt.date | None:
        return self.status.due


def overview(user: Employee, today: dt.date | None = None) -> list[Row]:
    """The employee's courses, mandatory first (people excluded from statistics see theirs too)."""
    by_id = {c.id: c for c in courses_by_title()}
    codes = {c: code for c, code in db.session.execute(select(Completion.course_id, Completion.code).where(
        Completion.staff_no == user.staff_no).order_by(Completion.cycle))}
    out = [Row(by_id[r.course_id], mandatory, r, codes.get(r.course_id))
           for r, mandatory in rows(staff_nos=[user.staff_no], today=today, include_excluded=True, optional=True)]
    out.sort(key=lambda r: (not r.mandatory, r.course.title))
    return out


def record_assignments(today: dt.date | None = None) -> int:
    """Record today as the assignment date of every rule-assigned course not yet recorded; return how many.

    Run daily (by `klarret remind`): someone who moves into a unit or becomes a manager is then due
    frist_dage after that day, and a new employee keeps the "nye" course after the window closes.
    """
    today = today or dt.date.today()
    known = {(s, c) for s, c in db.session.execute(select(Assignment.staff_no, Assignment.course_id))}
    new = [{"staff_no": r.staff_no, "course_id": r.course_id, "assigned_on": today}
           for r, mandatory in rows(today=today, include_excluded=True) if (r.staff_no, r.course_id) not in known]
    if new:
        db.session.execute(Assignment.__table__.insert(), new)
    db.session.commit()
    return len(new)


def exempt(staff_no: str, course_id: str, reason: str, actor: str) -> Exemption:
    """Exempt an employee from a course (fritaget), with a reason; audited."""
    if not reason.strip():
        raise ValueError("Skriv en begrundelse for fritagelsen.")
    ex = Exemption(staff_no=staff_no, course_id=course_id, reason=reason.strip(), granted_by=actor)
    db.session.add(ex)
    record(actor, "exemption.grant", f"{staff_no}/{course_id}", reason=reason.strip())
    db.session.commit()
    return ex


def revoke_exemption(staff_no: str, course_id: str, actor: str) -> int:
    """End the employee's active exemptions from a course; audited; return how many."""
    found = db.session.scalars(select(Exemption).where(Exemption.staff_no == staff_no,
                                                       Exemption.course_id == course_id,
                                                       Exemption.revoked_at.is_(None))).all()
    for ex in found:
        ex.revoked_at = utcnow()
    record(actor, "exemption.revoke", f"{staff_no}/{course_id}", count=len(found))
    db.session.commit()
    return len(found)


def grant_attempts(staff_no: str, course_id: str, extra: int, actor: str) -> AttemptGrant:
    """Give someone who has used every attempt ``extra`` more; audited."""
    if extra < 1:
        raise ValueError("Antallet af ekstra forsøg skal være mindst 1.")
    grant = AttemptGrant(staff_no=staff_no, course_id=course_id, extra=extra, granted_by=actor)
    db.session.add(grant)
    record(actor, "attempts.grant", f"{staff_no}/{course_id}", extra=extra)
    db.session.commit()
    return grant
