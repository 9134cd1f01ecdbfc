"""Who must take which course: an employee's own overview, recorded assignments, exemptions and grants.

The rules live in the course files (`[[tildeling]]`, see quizzes/rules.py); statuses come from
quizzes/status.py, the one code path for /min-side, dashboards, exports and reminders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import click
from flask.cli import AppGroup
from sqlalchemy import select

from klarret import clock
from klarret.audit import record
from klarret.db import db, insert_missing
from klarret.org.models import Employee
from quizzes.completion.status import StatusRow, courses_by_title, rows
from quizzes.courses.loader import Course
from quizzes.models import Assignment, AttemptGrant, Completion, Exemption


@dataclass
class Row:
    """One line of /min-side."""

    course: Course
    mandatory: bool
    status: StatusRow
    code: str | None  # the latest completion's certificate code


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
    today = today or clock.today()
    known = {(s, c) for s, c in db.session.execute(select(Assignment.staff_no, Assignment.course_id))}
    new = [{"staff_no": r.staff_no, "course_id": r.course_id, "assigned_on": today}
           for r, mandatory in rows(today=today, include_excluded=True) if (r.staff_no, r.course_id) not in known]
    # Another instance's `klarret remind` may record the same rows between the read above and this insert.
    count = insert_missing(Assignment.__table__, new)
    db.session.commit()
    return count


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
        ex.revoked_at = clock.now()
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


@click.group("assignments", cls=AppGroup)
def assignments_group() -> None:
    """Fritagelser, ekstra forsøg og tildelinger (for administratorer)."""


def _check(staff_no: str, course_id: str) -> None:
    """Refuse an unknown employee or course with a Danish message (exit status 2)."""
    if db.session.get(Employee, staff_no) is None:
        raise click.UsageError(f"Ukendt medarbejdernummer '{staff_no}'. Tjek nummeret (foranstillede nuller tæller).")
    known = [c.id for c in courses_by_title()]
    if course_id not in known:
        raise click.UsageError(f"Ukendt kursus '{course_id}'. Brug et af kursus-id'erne {', '.join(known)}.")


@assignments_group.command("exempt")
@click.argument("staff_no")
@click.argument("course_id")
@click.option("--reason", required=True, help="Begrundelsen, fx \"Langtidssygemeldt\" (gemmes i revisionsloggen).")
@click.option("--by", "actor", default="cli", show_default=True, help="Hvem der fritager (medarbejdernummer).")
def exempt_command(staff_no: str, course_id: str, reason: str, actor: str) -> None:
    """Fritag en medarbejder fra et kursus (status »fritaget«)."""
    _check(staff_no, course_id)
    try:
        exempt(staff_no, course_id, reason, actor)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{staff_no} er fritaget fra {course_id}.")


@assignments_group.command("revoke")
@click.argument("staff_no")
@click.argument("course_id")
@click.option("--by", "actor", default="cli", show_default=True, help="Hvem der ophæver (medarbejdernummer).")
def revoke_command(staff_no: str, course_id: str, actor: str) -> None:
    """Ophæv en medarbejders fritagelse fra et kursus."""
    _check(staff_no, course_id)
    n = revoke_exemption(staff_no, course_id, actor)
    click.echo(f"{n} fritagelse(r) ophævet." if n else f"{staff_no} var ikke fritaget fra {course_id}.")


@assignments_group.command("grant")
@click.argument("staff_no")
@click.argument("course_id")
@click.argument("extra", type=int)
@click.option("--by", "actor", default="cli", show_default=True, help="Hvem der giver forsøgene (medarbejdernummer).")
def grant_command(staff_no: str, course_id: str, extra: int, actor: str) -> None:
    """Giv en medarbejder, der har brugt alle forsøg, EXTRA forsøg mere."""
    _check(staff_no, course_id)
    try:  # grant_attempts refuses fewer than one, in Danish
        grant_attempts(staff_no, course_id, extra, actor)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"{staff_no} har fået {extra} ekstra forsøg på {course_id}.")


@assignments_group.command("record")
def record_command() -> None:
    """Registrér i dag som tildelingsdato for nye tildelinger (det gør 'klarret remind' også)."""
    click.echo(f"{record_assignments()} nye tildelinger registreret.")
