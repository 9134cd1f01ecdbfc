"""Deputies (stedfortrædere): a manager lets a colleague see the same reports for a period of at most a year.

The rules live here (who may be named, which periods are valid, the audit trail); the pages that
use them are in ``quizzes.reports.views``. Deputyship is read by ``klarret.org.scope``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Row, func, or_, select

from klarret import audit
from klarret.db import db
from klarret.org.models import Deputy, Employee

MAX_DEPUTY_DAYS = 366


@dataclass
class Nomination:
    """A manager's request to name a deputy, checked; ``errors`` maps form fields to Danish messages."""

    deputy: Employee | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    errors: dict[str, str] = field(default_factory=dict)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


NAME_MATCHES_SHOWN = 8


def _by_name(key: str) -> list[Employee]:
    """Active employees whose name is ``key`` (case-insensitive), else whose name contains it."""
    active = select(Employee).where(Employee.active.is_(True))
    exact = list(db.session.scalars(active.where(func.lower(Employee.name) == key.lower())
                                    .limit(NAME_MATCHES_SHOWN + 1)))
    if exact:
        return exact
    pattern = "%" + key.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return list(db.session.scalars(active.where(func.lower(Employee.name).like(pattern, escape="\\"))
                                   .order_by(Employee.name, Employee.staff_no).limit(NAME_MATCHES_SHOWN + 1)))


def _ambiguous(key: str, people: list[Employee]) -> str:
    """The message when a name fits several people: who they are, and what to type instead."""
    shown = "; ".join(f"{p.name} (medarbejdernummer {p.staff_no}{', ' + p.unit.name if p.unit else ''})"
                      for p in people[:NAME_MATCHES_SHOWN])
    more = " og flere" if len(people) > NAME_MATCHES_SHOWN else ""
    return (f"Flere medarbejdere passer på »{key}«: {shown}{more}. Skriv hele navnet eller "
            "medarbejdernummeret på den, du mener.")


def check(manager_staff_no: str, colleague: str, valid_from: str, valid_to: str, today: dt.date) -> Nomination:
    """Check a nomination: an active colleague (staff number, e-mail or name), and a period of at most a year."""
    found = Nomination()
    errors = found.errors
    key = colleague.strip()
    person = db.session.scalar(select(Employee).where(
        or_(Employee.staff_no == key, func.lower(Employee.email) == key.lower()))) if key else None
    named = _by_name(key) if key and person is None and len(key) >= 2 else []
    if len(named) == 1:
        person = named[0]
    if not key:
        errors["kollega"] = "Skriv kollegaens navn, medarbejdernummer eller e-mailadresse."
    elif len(named) > 1:
        errors["kollega"] = _ambiguous(key, named)
    elif person is None or not person.active:
        errors["kollega"] = (f"Vi fandt ingen aktiv medarbejder med »{key}«. Tjek stavemåden, eller skriv "
                             "medarbejdernummeret eller e-mailadressen.")
    elif person.staff_no == manager_staff_no:
        errors["kollega"] = "Du kan ikke være stedfortræder for dig selv. Vælg en kollega."
    else:
        found.deputy = person
    start, end = found.valid_from, found.valid_to = _date(valid_from), _date(valid_to)
    if start is None:
        errors["fra"] = "Skriv startdatoen som en dato, fx 2026-12-01."
    if end is None:
        errors["til"] = "Skriv slutdatoen som en dato, fx 2026-12-31."
    if start and end:
        if end < start:
            errors["til"] = "Slutdatoen skal ligge efter startdatoen."
        elif end < today:
            errors["til"] = "Slutdatoen er passeret. Vælg en dato fra i dag og frem."
        elif (end - start).days > MAX_DEPUTY_DAYS:
            errors["til"] = "En stedfortræder kan højst udpeges for et år ad gangen."
    return found


def grant(manager_staff_no: str, nomination: Nomination) -> Deputy:
    """Name the deputy of a checked nomination, with an audit event; committed."""
    if nomination.errors or nomination.deputy is None:
        raise ValueError("a nomination with errors cannot be granted")
    row = Deputy(manager_staff_no=manager_staff_no, deputy_staff_no=nomination.deputy.staff_no,
                 valid_from=nomination.valid_from, valid_to=nomination.valid_to)
    db.session.add(row)
    audit.record(manager_staff_no, "deputy.grant", row.deputy_staff_no, valid_from=row.valid_from.isoformat(),
                 valid_to=row.valid_to.isoformat())
    db.session.commit()
    return row


def revoke(manager_staff_no: str, deputy_id: int) -> bool:
    """End a deputyship now, with an audit event; False if it is not this manager's to end."""
    row = db.session.get(Deputy, deputy_id)
    if row is None or row.manager_staff_no != manager_staff_no:
        return False
    audit.record(manager_staff_no, "deputy.revoke", row.deputy_staff_no, valid_from=row.valid_from.isoformat(),
                 valid_to=row.valid_to.isoformat())
    db.session.delete(row)
    db.session.commit()
    return True


def named_by(manager_staff_no: str, today: dt.date) -> list[Row]:
    """(Deputy, deputy's name) for the manager's deputies that have not ended, by start date."""
    return list(db.session.execute(
        select(Deputy, Employee.name).join(Employee, Employee.staff_no == Deputy.deputy_staff_no)
        .where(Deputy.manager_staff_no == manager_staff_no, Deputy.valid_to >= today).order_by(Deputy.valid_from)))


def serving(deputy_staff_no: str, today: dt.date) -> list[Row]:
    """(manager's name, valid_to) for each manager this employee is deputy for today."""
    return list(db.session.execute(
        select(Employee.name, Deputy.valid_to).join(Employee, Employee.staff_no == Deputy.manager_staff_no)
        .where(Deputy.deputy_staff_no == deputy_staff_no, Deputy.valid_from <= today, Deputy.valid_to >= today)))
