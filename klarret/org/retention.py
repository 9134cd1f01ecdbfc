"""Retention: anonymise employees who left long ago, keeping their records in the statistics.

The staff number is the HR system's key and identifies the person as surely as the name, so it is
replaced by a random surrogate ("anon-…") in the employee row and in every table that refers to it.
Attempts, answers and completions stay, attached to the surrogate and to the same unit, so completion
per administration and the knowledge-gap figures do not change when people are purged.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import bindparam, insert, select

from klarret import audit, clock, settings
from klarret.db import db
from klarret.org.models import Deputy, Employee, EmployeeRole, UnitManager

ANONYMOUS_NAME = "Anonymiseret"


def retention_years(value: int | None = None) -> int:
    """``value``, else KLARRET_RETENTION_YEARS (five years unless set; checked at start-up)."""
    return value if value is not None else settings.current().retention_years


def cutoff_date(years: int, today: dt.date) -> dt.date:
    """The day ``years`` years before ``today`` (29 February becomes 28 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def candidates(years: int, today: dt.date | None = None) -> list[Employee]:
    """Inactive, not yet anonymised employees whose end date is more than ``years`` years ago."""
    cutoff = cutoff_date(years, today or clock.today())
    return list(db.session.scalars(select(Employee).where(
        Employee.active.is_(False), Employee.anonymised_at.is_(None), Employee.end_date.is_not(None),
        Employee.end_date < cutoff).order_by(Employee.end_date)))


def _referencing_columns() -> list:
    """Every column in the schema that holds a staff number through a foreign key (features add tables)."""
    target = Employee.__table__.c.staff_no
    return [col for table in db.metadata.sorted_tables if table is not Employee.__table__
            for col in table.columns if any(fk.column is target for fk in col.foreign_keys)]


def purge(actor: str, years: int | None = None, dry_run: bool = False, today: dt.date | None = None) -> int:
    """Anonymise the candidates in one transaction with an audit event; return how many."""
    years = retention_years(years)
    today = today or clock.today()
    people = candidates(years, today)
    if dry_run or not people:
        db.session.rollback()
        return len(people)
    now = clock.now()
    mapping = [{"old": p.staff_no, "new": f"anon-{secrets.token_hex(8)}"} for p in people]
    new_of = {m["old"]: m["new"] for m in mapping}
    try:
        # The surrogate row first, so foreign keys can be moved to it; then the old row goes.
        db.session.execute(insert(Employee), [{
            "staff_no": new_of[p.staff_no], "name": ANONYMOUS_NAME, "email": None, "unit_id": p.unit_id,
            "job_title": "", "start_date": None, "end_date": p.end_date, "active": False,
            "excluded_from_stats": p.excluded_from_stats, "password_hash": None,
            "anonymised_at": now} for p in people])
        news = list(new_of.values())
        for col in _referencing_columns():
            stmt = col.table.update().where(col == bindparam("old")).values({col.name: bindparam("new")})
            db.session.execute(stmt, mapping)
        # Roles, management and deputy grants are access rights, not statistics: a leaver keeps none.
        db.session.execute(EmployeeRole.__table__.delete().where(EmployeeRole.staff_no.in_(news)))
        db.session.execute(UnitManager.__table__.delete().where(UnitManager.staff_no.in_(news)))
        db.session.execute(Deputy.__table__.delete().where(Deputy.manager_staff_no.in_(news)
                                                           | Deputy.deputy_staff_no.in_(news)))
        table = Employee.__table__
        db.session.execute(table.delete().where(table.c.staff_no == bindparam("old")), mapping)
        # The audit event counts people; listing their staff numbers would undo the anonymisation.
        audit.record(actor, "staff.purge", "", anonymised=len(people), years=years,
                     left_before=cutoff_date(years, today).isoformat())
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    return len(people)
