"""Who must take which course, and each person's status (interim rules until the organisation issue).

Until assignment rules arrive: the mandatory basic course for everyone, the new-employee course for
those who started within 90 days, the manager course for managers; the rest are optional. A course
is due 90 days after the employee's start date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from klarret.auth import is_manager
from klarret.people import Employee
from quizzes.attempts import attempts_left, completion_of, courses, open_attempt, attempts_of
from quizzes.loader import Course
from quizzes.models import Completion

NEW_EMPLOYEE_DAYS = 90
DUE_DAYS = 90


@dataclass
class Row:
    course: Course
    mandatory: bool
    status: str
    due: dt.date | None
    completion: Completion | None


def is_assigned(user: Employee, course: Course, today: dt.date) -> bool:
    """Whether the interim rules make the course mandatory for the employee."""
    if course.audience == "alle":
        return True
    if course.audience == "nye":
        return user.start_date is not None and (today - user.start_date).days <= NEW_EMPLOYEE_DAYS
    if course.audience == "ledere":
        return is_manager(user)
    return False


def status(user: Employee, course: Course, due: dt.date | None = None, today: dt.date | None = None) -> str:
    """The first that applies: bestået, ikke bestået (no attempts left), forfalden, i gang, ikke startet."""
    if completion_of(user, course.id) is not None:
        return "bestået"
    if attempts_of(user, course.id) and attempts_left(user, course) == 0:
        return "ikke bestået"
    if due is not None and today is not None and due < today:
        return "forfalden"
    if open_attempt(user, course.id) is not None:
        return "i gang"
    return "ikke startet"


def overview(user: Employee, today: dt.date | None = None) -> list[Row]:
    """The employee's courses: mandatory first, then optional."""
    today = today or dt.date.today()
    rows = []
    for course in sorted(courses().values(), key=lambda c: c.title):
        mandatory = is_assigned(user, course, today)
        due = user.start_date + dt.timedelta(days=DUE_DAYS) if mandatory and user.start_date else None
        rows.append(Row(course, mandatory, status(user, course, due, today), due, completion_of(user, course.id)))
    rows.sort(key=lambda r: not r.mandatory)
    return rows
