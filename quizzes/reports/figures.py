"""Report figures: the manager dashboard and the municipality view over time (knowledge gaps: gaps.py).

Every figure is counted from ``quizzes.completion.status.status_rows`` (one row per employee and assigned
course), so the dashboard, the exports and the municipality view agree with each other.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select

from klarret.db import chunks, db
from klarret.org.models import Administration, Unit
from klarret.org.paths import UnitPath
from quizzes.completion.status import Status, StatusRow, status_rows
from quizzes.courses.rules import NEW_EMPLOYEE_DAYS, add_months
from quizzes.models import Completion

DONE = (Status.PASSED, Status.EXPIRING)
LATE = (Status.OVERDUE, Status.EXPIRED, Status.FAILED)
PENDING = (Status.MISSING_ATTENDANCE, Status.IN_PROGRESS, Status.NOT_STARTED)
ACTION_LIMIT = 50


def percent(part: int, whole: int) -> int | None:
    """``part`` of ``whole`` in whole percent, rounded half up; None when there is nothing to count."""
    return (200 * part + whole) // (2 * whole) if whole else None


@dataclass
class Tally:
    """Status counts for a group of (employee, course) rows."""

    counts: Counter = field(default_factory=Counter)

    def add(self, status: Status, n: int = 1) -> None:
        self.counts[status] += n

    def merge(self, other: Tally) -> None:
        self.counts.update(other.counts)

    @property
    def assigned(self) -> int:
        """Rows that count: everyone assigned, except the exempted."""
        return sum(self.counts.values()) - self.counts[Status.EXEMPT]

    @property
    def done(self) -> int:
        return sum(self.counts[s] for s in DONE)

    @property
    def late(self) -> int:
        return sum(self.counts[s] for s in LATE)

    @property
    def pending(self) -> int:
        return sum(self.counts[s] for s in PENDING)

    @property
    def done_pct(self) -> int | None:
        return percent(self.done, self.assigned)

    @property
    def late_pct(self) -> int | None:
        return percent(self.late, self.assigned)

    @property
    def pending_pct(self) -> int | None:
        return percent(self.pending, self.assigned)


@dataclass
class UnitLine:
    unit: Unit
    tally: Tally
    depth: int


@dataclass
class Dashboard:
    """What a manager sees: actions first, then completion per unit (subtrees rolled up)."""

    overdue: list[StatusRow]
    due_soon: list[StatusRow]
    new_not_started: list[StatusRow]
    action_totals: dict[str, int]
    units: list[UnitLine]
    people: list[StatusRow]
    total: Tally
    courses: list[tuple[str, Tally]] = field(default_factory=list)  # (course title, tally): the key figures


def filtered_rows(unit_ids: Iterable[int] | None, *, course_id: str | None = None, status: Status | None = None,
                  today: dt.date | None = None) -> Iterator[StatusRow]:
    """The status rows of the given units (None: everyone), optionally of one course and one status."""
    ids = None if unit_ids is None else sorted(unit_ids)
    if ids is not None and not ids:
        return iter(())
    rows = status_rows(unit_ids=ids, course_id=course_id or None, today=today)
    return (r for r in rows if r.status == status) if status else rows


def dashboard(scope: Iterable[int], shown: list[Unit], *, today: dt.date, course_id: str | None = None,
              status: Status | None = None, people_of: int | None = None, everyone: bool = False) -> Dashboard:
    """Figures for the units ``shown`` (each rolled up over its subtree within ``scope``).

    ``people_of`` is a unit whose own people are listed (the drill-down page); ``everyone`` says the
    scope is every unit (an administrator), so the rows are read without a unit filter.
    """
    scope = frozenset(scope)
    per_unit: dict[int | None, Tally] = defaultdict(Tally)
    per_course: dict[str, Tally] = defaultdict(Tally)
    actions: dict[str, list[StatusRow]] = {"overdue": [], "due_soon": [], "new": []}
    people: list[StatusRow] = []
    new_since = today - dt.timedelta(days=NEW_EMPLOYEE_DAYS)
    for r in filtered_rows(None if everyone else scope, course_id=course_id, status=status, today=today):
        per_unit[r.unit_id].add(r.status)
        per_course[r.course_title].add(r.status)
        if r.status in (Status.OVERDUE, Status.EXPIRED):
            actions["overdue"].append(r)
        elif r.status == Status.EXPIRING:
            actions["due_soon"].append(r)
        elif r.status == Status.NOT_STARTED and r.start_date is not None and r.start_date >= new_since:
            actions["new"].append(r)
        if people_of is not None and r.unit_id == people_of:
            people.append(r)
    far = dt.date.max
    actions["overdue"].sort(key=lambda r: (r.due or r.expires or far, r.name, r.course_title))
    actions["due_soon"].sort(key=lambda r: (r.expires or r.due or far, r.name, r.course_title))
    actions["new"].sort(key=lambda r: (r.due or far, r.name, r.course_title))
    rolled = roll_up(per_unit, scope)
    total = Tally()
    for t in per_unit.values():
        total.merge(t)
    depth = {u.id: UnitPath.of(u).depth for u in shown}
    base = min(depth.values(), default=0)
    lines = [UnitLine(u, rolled.get(u.id, Tally()), depth[u.id] - base) for u in shown]
    people.sort(key=lambda r: (r.name, r.course_title))
    return Dashboard(overdue=actions["overdue"][:ACTION_LIMIT], due_soon=actions["due_soon"][:ACTION_LIMIT],
                     new_not_started=actions["new"][:ACTION_LIMIT],
                     action_totals={k: len(v) for k, v in actions.items()}, units=lines, people=people, total=total,
                     courses=sorted(per_course.items()))


def roll_up(per_unit: dict[int | None, Tally], scope: frozenset[int]) -> dict[int, Tally]:
    """Each unit's tally including everything below it (only units in ``scope`` are walked)."""
    parents = {i: p for chunk in chunks(sorted(scope))
               for i, p in db.session.execute(select(Unit.id, Unit.parent_id).where(Unit.id.in_(chunk)))}
    out: dict[int, Tally] = defaultdict(Tally)
    for unit_id, tally in per_unit.items():
        node = unit_id
        while node is not None and node in scope:
            out[node].merge(tally)
            node = parents.get(node)
    return out


def shown_units(roots: list[Unit], scope: frozenset[int]) -> list[Unit]:
    """The roots of a scope and their direct children, in tree order."""
    children: dict[int, list[Unit]] = defaultdict(list)
    root_ids = [u.id for u in roots]
    if root_ids:
        for u in db.session.scalars(select(Unit).where(Unit.parent_id.in_(root_ids)).order_by(Unit.name)):
            if u.id in scope:
                children[u.parent_id].append(u)
    out: list[Unit] = []
    for r in roots:
        out.append(r)
        out.extend(children[r.id])
    return out


# --- the municipality view ---------------------------------------------------------------------
@dataclass
class Municipality:
    administrations: list[Administration]
    courses: list[tuple[str, str]]
    by_admin_course: dict[tuple[str, str], Tally]
    by_admin: dict[str, Tally]
    months: list[dt.date]
    trend: dict[str, list[tuple[int, int]]]  # administration code or "" (all) -> (valid, assigned) per month


def month_ends(today: dt.date, n: int = 12) -> list[dt.date]:
    """The last day of each of the ``n`` completed months before ``today``, oldest first."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    out = []
    for _ in range(n):
        out.append(end)
        end = end.replace(day=1) - dt.timedelta(days=1)
    return out[::-1]


def renewal_months(course) -> int | None:
    """The course's renewal period in months, if it is renewed (the status engine's rule)."""
    return getattr(course, "renew_months", 0) or None


def municipality(today: dt.date, courses: dict) -> Municipality:
    """Completion per administration and course now, and the monthly share with a valid completion."""
    months = month_ends(today)
    n = len(months)
    by_ac: dict[tuple[str, str], Tally] = defaultdict(Tally)
    by_a: dict[str, Tally] = defaultdict(Tally)
    # Difference arrays per group: a row counts as assigned from the month its employee started, and
    # as valid over the month ends covered by one of its completions (completed <= end < expiry).
    started: dict[str, list[int]] = defaultdict(lambda: [0] * (n + 1))
    valid: dict[str, list[int]] = defaultdict(lambda: [0] * (n + 1))
    renew = {cid: renewal_months(c) for cid, c in courses.items()}
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for staff_no, course_id, at in db.session.execute(select(Completion.staff_no, Completion.course_id,
                                                             Completion.completed_at)):
        day = at.date() if isinstance(at, dt.datetime) else at
        period = renew.get(course_id)
        hi = n if period is None else bisect.bisect_left(months, add_months(day, period))
        spans[(staff_no, course_id)].append((bisect.bisect_left(months, day), hi))
    for r in status_rows(today=today):
        by_ac[(r.administration, r.course_id)].add(r.status)
        by_a[r.administration].add(r.status)
        if r.status == Status.EXEMPT:
            continue
        first = 0 if r.start_date is None else bisect.bisect_left(months, r.start_date)
        started[r.administration][first] += 1
        started[""][first] += 1
        end = first  # merge the row's completion spans so a month is counted once
        for lo, hi in sorted(spans.get((r.staff_no, r.course_id), ())):
            lo = max(lo, end)
            if lo < hi:
                for key in (r.administration, ""):
                    valid[key][lo] += 1
                    valid[key][hi] -= 1
                end = hi
    trend = {}
    for key, diff in started.items():
        assigned = ok = 0
        series = []
        for i in range(n):
            assigned += diff[i]
            ok += valid[key][i]
            series.append((ok, assigned))
        trend[key] = series
    admins = list(db.session.scalars(select(Administration).order_by(Administration.code)))
    course_list = sorted(((c.id, c.title) for c in courses.values()), key=lambda c: c[1])
    return Municipality(admins, course_list, by_ac, by_a, months, trend)


# --- knowledge gaps ------------------------------------------------------------------------------
