"""Who may see whose records: the units in a user's scope (managers, deputies, administrators).

An administrator sees every unit; a manager the subtree of every unit they manage; a deputy
(stedfortræder) additionally the subtrees of the managers who named them, for the period given.
Everyone else sees no unit, only their own records. Subtrees are found by the unit path prefix in
one query (works on SQLite and PostgreSQL, uses the (administration_code, path) index).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import and_, or_, select

from klarret import clock
from klarret.db import chunks, db
from klarret.org.models import Deputy, Employee, Unit, UnitManager
from klarret.org.paths import UnitPath
from klarret.roles import Role


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def subtree_ids(roots: Iterable[Unit | UnitPath]) -> set[int]:
    """Ids of the given units and everything below them, in one query."""
    paths = {r if isinstance(r, UnitPath) else UnitPath.of(r) for r in roots}
    if not paths:
        return set()
    conds = []
    for root in paths:
        if not root.parts:  # an administration's top unit: the whole administration
            conds.append(Unit.administration_code == root.administration)
        else:
            conds.append(and_(Unit.administration_code == root.administration,
                              or_(Unit.path == root.path,
                                  Unit.path.like(_like_escape(root.descendant_prefix) + "%", escape="\\"))))
    return set(db.session.scalars(select(Unit.id).where(or_(*conds))))


def managed_units(staff_no: str) -> list[Unit]:
    """The units the employee manages directly."""
    return list(db.session.scalars(select(Unit).join(UnitManager, UnitManager.unit_id == Unit.id)
                                   .where(UnitManager.staff_no == staff_no)))


def delegating_managers(staff_no: str, today: dt.date) -> list[str]:
    """Staff numbers of the managers who have named this employee deputy for a period covering today."""
    return list(db.session.scalars(select(Deputy.manager_staff_no).where(
        Deputy.deputy_staff_no == staff_no, Deputy.valid_from <= today, Deputy.valid_to >= today).distinct()))


def leads(staff_no: str, today: dt.date) -> bool:
    """Whether the employee manages a unit or is a deputy today (the organisation decides, not a role)."""
    return bool(managed_units(staff_no) or delegating_managers(staff_no, today))


def visible_unit_ids(user: Employee | None, today: dt.date | None = None) -> frozenset[int]:
    """Every unit whose people ``user`` may see in reports; empty for an ordinary employee.

    Deputyship is not transitive: a deputy sees the delegating manager's own units, not the units
    of whoever named that manager deputy.
    """
    if user is None:
        return frozenset()
    if Role.ADMINISTRATOR in user.roles:
        return frozenset(db.session.scalars(select(Unit.id)))
    today = today or clock.today()
    owners = [user.staff_no, *delegating_managers(user.staff_no, today)]
    roots = list(db.session.scalars(select(Unit).join(UnitManager, UnitManager.unit_id == Unit.id)
                                    .where(UnitManager.staff_no.in_(owners))))
    return frozenset(subtree_ids(roots))


def scope_roots(unit_ids: frozenset[int] | set[int]) -> list[Unit]:
    """The highest units of a scope (those whose parent lies outside it), by administration and path."""
    if not unit_ids:
        return []
    units = _units(unit_ids)
    return sorted((u for u in units if u.parent_id not in unit_ids), key=lambda u: (u.administration_code, u.path))


def _units(unit_ids) -> list[Unit]:
    return [u for chunk in chunks(unit_ids) for u in db.session.scalars(select(Unit).where(Unit.id.in_(chunk)))]


__all__ = ["leads", "visible_unit_ids", "subtree_ids", "managed_units", "delegating_managers", "scope_roots"]
