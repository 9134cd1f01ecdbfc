"""Capacity planning for the classroom part: per course and administration, how many still need a session
against the free seats in the coming sessions (/hold/kapacitet, administrators)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from flask import render_template
from sqlalchemy import select

from klarret import clock
from klarret.auth import role_required
from klarret.db import db
from klarret.org.models import ADMINISTRATIONS
from klarret.roles import Role
from quizzes.classroom.booking import counts
from quizzes.classroom.models import SEATED, ClassroomSession
from quizzes.completion.status import Status, status_rows
from quizzes.courses import catalogue
from quizzes.reports.views import bp

DONE = (Status.PASSED, Status.EXPIRING, Status.EXEMPT)
ALL = ""  # sessions open to every administration


@dataclass
class Line:
    """One administration's figures for one course."""

    need: int = 0  # assigned, not completed, no seat booked
    booked: int = 0  # not completed, with a seat or wait-list place in a coming session
    free: int = 0  # free seats in coming sessions reserved for this administration


@dataclass
class CoursePlan:
    """One course: its lines per administration, and the free seats open to everyone."""

    course_id: str
    title: str
    lines: dict[str, Line] = field(default_factory=lambda: defaultdict(Line))
    free_for_all: int = 0
    sessions: int = 0

    @property
    def need(self) -> int:
        return sum(line.need for line in self.lines.values())

    @property
    def free(self) -> int:
        return self.free_for_all + sum(line.free for line in self.lines.values())


def plan(today: dt.date | None = None) -> list[CoursePlan]:
    """Every course whose completion needs (or may use) attendance, by title."""
    today = today or clock.today()
    courses = sorted((c for c in catalogue().values()
                      if c.classroom is not None and c.classroom.mode != "e-laering"), key=lambda c: c.title)
    out = []
    for course in courses:
        p = CoursePlan(course.id, course.title)
        part = course.classroom
        for r in status_rows(course_id=course.id, today=today):
            if r.status in DONE:
                continue
            if part.mode == "begge" and not part.needs_attendance(today):
                continue
            line = p.lines[r.administration]
            if r.session is not None:
                line.booked += 1
            else:
                line.need += 1
        sessions = list(db.session.scalars(select(ClassroomSession).where(
            ClassroomSession.course_id == course.id, ClassroomSession.cancelled_at.is_(None),
            ClassroomSession.starts_at > clock.local_now())))
        taken = counts([s.id for s in sessions])
        for s in sessions:
            free = max(0, s.capacity - sum(taken[s.id].get(str(x), 0) for x in SEATED))
            codes = s.admin_codes
            if not codes:
                p.free_for_all += free
            else:  # a session shared by several administrations counts for the first named
                p.lines[codes[0]].free += free
        p.sessions = len(sessions)
        out.append(p)
    return out


@bp.get("/hold/kapacitet")
@role_required(Role.ADMINISTRATOR)
def capacity():
    """The capacity planning page."""
    return render_template("quizzes/classroom/capacity.html", plans=plan(), names=ADMINISTRATIONS,
                           today=clock.today())
