"""The HR import: compare a full snapshot with the database (the plan), then apply it in one transaction.

Set-based: the whole organisation is loaded with a few queries, compared in memory, and written with
bulk inserts and updates, so 45,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import bindparam, select, update

from klarret import audit, clock, metrics
from klarret.dates import short_date
from klarret.db import db
from klarret.org.guard import MassChange, mass_change
from klarret.org.hr_parse import ParsedFile, RowError, StaffFileError, read_staff_file
from klarret.org.models import ADMINISTRATIONS, Employee, UnitManager
from klarret.org.paths import UnitPath
from klarret.org.write import create_units, insert_rows, unit_ids

Progress = Callable[[str], None]
FIELD_LABELS = {"name": "navn", "email": "email", "unit": "enhed", "job_title": "stilling",
                "start_date": "startdato", "end_date": "slutdato", "active": "aktiv", "manages": "leder for"}
# Which file column fills which Employee field (a column absent from the file leaves the field alone).
FIELD_COLUMNS = {"email": "email", "job_title": "stilling", "start_date": "startdato", "end_date": "slutdato"}


@dataclass
class Entry:
    """One person in the plan: added, changed or deactivated, with the fields that change."""

    staff_no: str
    name: str
    administration: str
    fields: dict[str, tuple[object, object]] = field(default_factory=dict)
    reason: str = ""


@dataclass
class Plan:
    """What an import would do; ``errors`` non-empty means it must not be applied."""

    rows: int = 0
    administrations: list[str] = field(default_factory=list)
    additions: list[Entry] = field(default_factory=list)
    changes: list[Entry] = field(default_factory=list)
    deactivations: list[Entry] = field(default_factory=list)
    new_units: list[tuple[str, str]] = field(default_factory=list)
    managers_added: list[tuple[str, str, str]] = field(default_factory=list)
    managers_removed: list[tuple[str, str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    mass_change: MassChange | None = None  # set by run_import: the import must then be confirmed with a number
    needs_confirmation: bool = False  # not applied: the number typed was missing or wrong
    # What apply() writes: computed once here, so the preview and the import cannot disagree.
    _inserts: list[dict] = field(default_factory=list, repr=False)
    _updates: list[dict] = field(default_factory=list, repr=False)

    @property
    def empty(self) -> bool:
        return not (self.additions or self.changes or self.deactivations or self.new_units
                    or self.managers_added or self.managers_removed)

    def counts(self) -> dict[str, int]:
        """Counts by English key (audit log details)."""
        return {"rows": self.rows, "added": len(self.additions), "changed": len(self.changes),
                "deactivated": len(self.deactivations), "units_created": len(self.new_units),
                "managers_added": len(self.managers_added), "managers_removed": len(self.managers_removed)}

    def summary(self) -> dict[str, int]:
        """The same counts with Danish labels (CLI and page)."""
        return dict(zip(("rækker", "nye", "ændrede", "deaktiverede", "nye enheder", "ledere tilføjet",
                         "ledere fjernet"), self.counts().values(), strict=True))


def describe(value: object) -> str:
    """A plan value as a case worker reads it."""
    if value is None or value == "":
        return "(tom)"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, dt.date):
        return short_date(value)
    if isinstance(value, tuple):
        return f"{value[0]}: {value[1]}" if value[1] else f"{value[0]} (hele forvaltningen)"
    return str(value)


def _manager_target(code: str, text: str) -> str:
    # The administration's code or full name in leder_for means its top unit (the whole administration).
    return "" if text.casefold() in (code.casefold(), ADMINISTRATIONS[code].casefold()) else text


def make_plan(parsed: ParsedFile, today: dt.date | None = None, progress: Progress | None = None) -> Plan:
    """Compare the file with the database; reads only (a few set-based queries)."""
    today = today or clock.today()
    plan = Plan(rows=len(parsed.rows), administrations=sorted(parsed.administrations), errors=list(parsed.errors))
    if plan.errors:
        return plan
    say = progress or (lambda _m: None)
    say(f"Sammenligner {plan.rows:,} medarbejdere med databasen".replace(",", "."))
    units = unit_ids()
    unit_of = {i: (c, p) for (c, p), i in units.items()}
    cols = (Employee.staff_no, Employee.name, Employee.email, Employee.unit_id, Employee.job_title,
            Employee.start_date, Employee.end_date, Employee.active)
    existing = {r.staff_no: r for r in db.session.execute(select(*cols))}
    email_owner = {r.email.lower(): r.staff_no for r in existing.values() if r.email}
    wanted_units: set[tuple[str, str]] = set()
    in_file = {r.staff_no for r in parsed.rows}
    for code, path in {(r.administration, r.unit_path) for r in parsed.rows}:
        wanted_units.update((code, a.path) for a in UnitPath.below(code, path).ancestors())
    for row in parsed.rows:
        target = {"name": row.name, "unit": (row.administration, row.unit_path),
                  "active": row.end_date is None or row.end_date >= today}
        for fld, col in FIELD_COLUMNS.items():
            if col in parsed.present:
                target[fld] = getattr(row, fld)
        old = existing.get(row.staff_no)
        if target.get("email"):
            owner = email_owner.get(target["email"])
            if owner is not None and owner != row.staff_no and owner not in in_file:
                holder = existing[owner]
                holder_admin = unit_of.get(holder.unit_id, (None,))[0]
                if holder.active and holder_admin not in parsed.administrations:
                    plan.errors.append(RowError(row.row, "email", f"e-mailadressen '{target['email']}' bruges "
                                                f"allerede af medarbejder {owner} i en anden forvaltning."))
                    continue
                # The address belonged to someone who has left (or leaves now): it passes to the new owner.
                plan._updates.append({"staff_no": owner, "email": None, "_first": True})
        if old is None:
            plan.additions.append(Entry(row.staff_no, row.name, row.administration, reason=row.unit_path))
            plan._inserts.append({"staff_no": row.staff_no, "name": row.name, "email": target.get("email"),
                                  "unit": target["unit"], "job_title": target.get("job_title", ""),
                                  "start_date": target.get("start_date"), "end_date": target.get("end_date"),
                                  "active": target["active"]})
            continue
        current = {"name": old.name, "email": old.email, "unit": unit_of.get(old.unit_id),
                   "job_title": old.job_title, "start_date": old.start_date, "end_date": old.end_date,
                   "active": old.active}
        diff = {k: (current[k], v) for k, v in target.items() if current[k] != v}
        if diff:
            entry = Entry(row.staff_no, row.name, row.administration, diff)
            if diff.get("active") == (True, False):
                entry.reason = "slutdatoen er passeret"
                plan.deactivations.append(entry)
            else:
                plan.changes.append(entry)
            plan._updates.append({"staff_no": row.staff_no, **{k: v for k, (_o, v) in diff.items()}})
    if plan.errors:
        return plan
    for r in existing.values():
        admin = unit_of.get(r.unit_id, (None,))[0]
        if r.active and admin in parsed.administrations and r.staff_no not in in_file:
            fields = {"active": (True, False)}
            if r.end_date is None:
                fields["end_date"] = (None, today)  # the day the import learnt they left; purge counts from it
            plan.deactivations.append(Entry(r.staff_no, r.name, admin, fields, "står ikke i HR-udtrækket"))
            plan._updates.append({"staff_no": r.staff_no, **{k: v for k, (_o, v) in fields.items()}})
    if "leder_for" in parsed.present:
        _plan_managers(plan, parsed, wanted_units, unit_of, today)
    plan.new_units = sorted(u for u in wanted_units if u not in units)
    return plan


def _plan_managers(plan: Plan, parsed: ParsedFile, wanted_units: set, unit_of: dict, today: dt.date) -> None:
    admins = set(parsed.administrations)
    current = {(s, *unit_of[u]) for u, s in db.session.execute(select(UnitManager.unit_id, UnitManager.staff_no))
               if unit_of.get(u, (None,))[0] in admins}
    target = set()
    for row in parsed.rows:
        if row.end_date is not None and row.end_date < today:
            continue  # a leaver manages nothing
        for text in row.manages:
            path = _manager_target(row.administration, text)
            target.add((row.staff_no, row.administration, path))
            unit = UnitPath.below(row.administration, path)
            wanted_units.update((row.administration, a.path) for a in unit.ancestors())
    plan.managers_added = sorted(target - current)
    plan.managers_removed = sorted(current - target)


def apply(plan: Plan, progress: Progress | None = None) -> None:
    """Write the plan (units, employees, managers) in the current transaction; the caller commits."""
    if plan.errors:
        raise ValueError("a plan with errors cannot be applied")
    say = progress or (lambda _m: None)
    if plan.new_units:
        say(f"Opretter {len(plan.new_units)} enheder")
    units = create_units(plan.new_units)
    first = [u for u in plan._updates if u.get("_first")]
    if first:  # free e-mail addresses before they are given to someone else (unique index)
        db.session.execute(update(Employee), [{"staff_no": u["staff_no"], "email": None} for u in first])
    rows = [_db_values(u, units) for u in plan._updates if not u.get("_first")]
    moving = [{"staff_no": r["staff_no"], "email": None} for r in rows if "email" in r]
    if moving:  # two people swapping addresses must not collide half-way
        db.session.execute(update(Employee), moving)
    if rows:
        say(f"Opdaterer {len(rows):,} medarbejdere".replace(",", "."))
        for keys in {tuple(sorted(r)) for r in rows}:  # executemany needs the same columns in every row
            db.session.execute(update(Employee), [r for r in rows if tuple(sorted(r)) == keys])
    if plan._inserts:
        say(f"Indsætter {len(plan._inserts):,} nye medarbejdere".replace(",", "."))
        insert_rows(Employee, [_db_values({**r, "excluded_from_stats": False,
                                           "password_hash": None, "anonymised_at": None}, units)
                               for r in plan._inserts])
    if plan.managers_removed:
        table = UnitManager.__table__
        db.session.execute(table.delete().where(table.c.staff_no == bindparam("s"), table.c.unit_id == bindparam("u")),
                           [{"s": s, "u": units[(c, p)]} for s, c, p in plan.managers_removed])
    if plan.managers_added:
        insert_rows(UnitManager, [{"staff_no": s, "unit_id": units[(c, p)]} for s, c, p in plan.managers_added])
    db.session.flush()


def _db_values(values: dict, units: dict[tuple[str, str], int]) -> dict:
    out = {k: v for k, v in values.items() if k not in ("unit", "_first")}
    if "unit" in values:
        out["unit_id"] = units[values["unit"]]
    return out


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def run_import(path: str | os.PathLike, actor: str, dry_run: bool = False, today: dt.date | None = None,
               progress: Progress | None = None, columns: str | None = None, filename: str | None = None,
               confirm: int | None = None) -> Plan:
    """Read, plan and (unless ``dry_run`` or errors) apply and commit with an audit event; all or nothing.

    A mass change (``plan.mass_change``) is applied only when ``confirm`` is the number of people it affects.
    """
    from klarret.org.hr_parse import column_mapping

    path = Path(path)
    try:
        parsed = read_staff_file(path, column_mapping(columns), progress)
    except StaffFileError as exc:
        return Plan(errors=[RowError(None, None, str(exc))])
    plan = make_plan(parsed, today, progress)
    if not plan.errors:
        plan.mass_change = mass_change(plan)
        plan.needs_confirmation = not dry_run and plan.mass_change is not None and \
            confirm != plan.mass_change.affected
    if dry_run or plan.errors or plan.needs_confirmation:
        db.session.rollback()
        return plan
    try:
        apply(plan, progress)
        confirmed = {"confirmed_mass_change": plan.mass_change.affected} if plan.mass_change else {}
        audit.record(actor, "staff.import", (filename or path.name)[:200], sha256=file_digest(path),
                     administrations=plan.administrations, **plan.counts(), **confirmed)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    metrics.count("imports")
    return plan
