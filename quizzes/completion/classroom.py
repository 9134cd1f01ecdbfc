"""The classroom part in the status engine: attendance and upcoming bookings per employee and course, and
how they combine with the e-learning (blended: both in the same renewal cycle; either; classroom only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import Select, func, select

from klarret import clock
from klarret.db import db
from quizzes.classroom.models import ACTIVE, ClassroomBooking, ClassroomSession, State
from quizzes.courses.loader import Course
from quizzes.courses.rules import add_months

Scoped = Callable[[Select, object], Select]


def attendance(scoped: Scoped, courses: list[Course]) -> dict[tuple[str, str], dt.date]:
    """Per employee and course: the day of the latest attendance that counts (partial only where the course
    says so)."""
    counted = {c.id: ((State.ATTENDED, State.PARTIAL) if c.classroom.partial_counts else (State.ATTENDED,))
               for c in courses if c.classroom is not None}
    if not counted:
        return {}
    stmt = (select(ClassroomBooking.staff_no, ClassroomBooking.course_id, ClassroomBooking.state,
                   func.max(ClassroomBooking.attended_on))
            .where(ClassroomBooking.course_id.in_(sorted(counted)),
                   ClassroomBooking.state.in_((State.ATTENDED, State.PARTIAL)))
            .group_by(ClassroomBooking.staff_no, ClassroomBooking.course_id, ClassroomBooking.state))
    out: dict[tuple[str, str], dt.date] = {}
    for staff_no, course_id, state, day in db.session.execute(scoped(stmt, ClassroomBooking.staff_no)):
        if state in counted[course_id] and day is not None:
            key = (staff_no, course_id)
            out[key] = max(day, out.get(key, day))
    return out


def upcoming(scoped: Scoped, courses: list[Course]) -> dict[tuple[str, str], dt.datetime]:
    """Per employee and course: the start of the next session they have a seat or wait-list place on."""
    ids = sorted(c.id for c in courses if c.classroom is not None)
    if not ids:
        return {}
    stmt = (select(ClassroomBooking.staff_no, ClassroomBooking.course_id, func.min(ClassroomSession.starts_at))
            .join(ClassroomSession, ClassroomSession.id == ClassroomBooking.session_id)
            .where(ClassroomBooking.course_id.in_(ids), ClassroomBooking.state.in_(ACTIVE),
                   ClassroomSession.cancelled_at.is_(None), ClassroomSession.starts_at >= clock.local_now())
            .group_by(ClassroomBooking.staff_no, ClassroomBooking.course_id))
    return {(s, c): start for s, c, start in db.session.execute(scoped(stmt, ClassroomBooking.staff_no))}


def combine(course: Course, elearning: dt.date | None, attended: dt.date | None,
            today: dt.date) -> tuple[dt.date | None, bool]:
    """(the completion date, attendance missing): what the two parts add up to for this course today.

    Blended: both parts, neither expired when the other was done (the same renewal cycle); the date is
    the later of the two, and renewal counts from it. Missing attendance: the e-learning is passed and
    still valid, the classroom part not."""
    part = course.classroom
    if part is None or part.mode == "e-laering":
        return elearning, False
    if part.mode == "fremmoede":
        return attended, False
    if part.mode == "enten":
        done = [d for d in (elearning, attended) if d is not None]
        return (max(done) if done else None), False
    if not part.needs_attendance(today):
        return elearning, False
    renew = course.renew_months
    if elearning is not None and attended is not None:
        first, last = sorted((elearning, attended))
        if not renew or add_months(first, renew) > last:
            return last, False
    if elearning is not None:
        if renew and today >= add_months(elearning, renew):
            return elearning, False  # the e-learning itself has expired: shown as expired
        return None, True
    return None, False
