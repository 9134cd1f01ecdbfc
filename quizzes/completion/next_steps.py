"""What an employee must do next: /min-side's due list, progress, "Fortsæt" and the new employee's start.

Built on assignments.overview (the one status code path); this module only orders and words it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import url_for

from klarret import clock
from klarret.dates import days_left, long_date
from klarret.org.models import Employee
from quizzes.attempts.service import answers_of, open_attempt, pinned_course
from quizzes.completion.assignments import Row, overview
from quizzes.completion.status import Status

# Someone who started within this many days, and has not taken a course yet, sees "Start her".
NEW_DAYS = 90
# A deadline this close is shown as urgent.
SOON_DAYS = 14
DONE = (Status.PASSED, Status.EXEMPT)


@dataclass
class Next:
    """One course on /min-side, with what the person can do about it now."""

    row: Row
    deadline: str = ""  # "om 12 dage (frist 2. januar 2027)", "5 dage over fristen (frist …)"
    tone: str = "ok"  # overdue | soon | ok: a CSS class; the words say the same without colour
    modules_done: int = 0
    modules: int = 0
    continue_url: str = ""  # where the open attempt left off, else ""


@dataclass
class MyPage:
    """The parts of /min-side, in the order the page shows them."""

    due: list[Next] = field(default_factory=list)  # mandatory, not yet done, by deadline
    start_here: list[Next] = field(default_factory=list)  # a new employee's first courses
    passed: list[Next] = field(default_factory=list)  # passed or exempt, with certificates and expiry
    optional: list[Next] = field(default_factory=list)


def _deadline(row: Row, today: dt.date) -> tuple[str, str]:
    """The deadline in words and its tone."""
    due = row.status.due
    if due is None:
        return "ingen frist", "ok"
    words = f"{days_left(due, today)} (frist {long_date(due)})"
    if due < today:
        return words, "overdue"
    return words, "soon" if (due - today).days <= SOON_DAYS else "ok"


def _progress(item: Next, user: Employee) -> None:
    """Modules answered in the open attempt, and the first module with an unanswered question."""
    attempt = open_attempt(user, item.row.course.id)
    course = pinned_course(attempt) if attempt is not None else item.row.course
    item.modules = len(course.modules)
    if attempt is None:
        return
    answered = set(answers_of(attempt))
    done = [all(q.id in answered for q in m.questions) for m in course.modules]
    item.modules_done = sum(done)
    first_open = next((i for i, d in enumerate(done) if not d), None)
    item.continue_url = (url_for("quizzes.review", attempt_id=attempt.id) if first_open is None
                         else url_for("quizzes.module", attempt_id=attempt.id, index=first_open))


def is_new(user: Employee, rows: list[Row], today: dt.date) -> bool:
    """Started recently and has not passed or begun a course yet."""
    recent = user.start_date is not None and (today - user.start_date).days <= NEW_DAYS
    untouched = all(r.status.status == Status.NOT_STARTED or r.status.status == Status.OVERDUE
                    for r in rows if r.mandatory) and not any(r.code for r in rows)
    return recent and untouched


def my_page(user: Employee, today: dt.date | None = None) -> MyPage:
    """The employee's courses sorted into what is due, where to start, what is done and what is optional."""
    today = today or clock.today()
    rows = overview(user, today)
    page = MyPage()
    for row in rows:
        words, tone = _deadline(row, today)
        item = Next(row, words, tone)
        _progress(item, user)
        if row.status.status in DONE:
            page.passed.append(item)
        elif row.mandatory:
            page.due.append(item)
        elif row.code:  # an optional course passed earlier
            page.passed.append(item)
        else:
            page.optional.append(item)
    page.due.sort(key=lambda n: (n.row.status.due or dt.date.max, n.row.course.title))
    if is_new(user, rows, today):
        # The courses every newcomer is given (rules "alle" and "nye"), introduction first.
        firsts = [n for n in page.due if any(r.who in ("alle", "nye") for r in n.row.course.rules)]
        page.start_here = sorted(firsts, key=lambda n: (not any(r.who == "alle" for r in n.row.course.rules),
                                                        n.row.course.title))
    return page
