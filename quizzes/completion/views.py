"""The employee's own page: what is due, where to continue, what is passed (quizzes.completion.next_steps)."""

from __future__ import annotations

from flask import render_template

from klarret import clock
from klarret.auth import current_user, login_required
from quizzes.attempts.service import attempts_left, attempts_of, completion_of
from quizzes.attempts.views import course_or_404, guidance_url
from quizzes.completion.next_steps import my_page as plan
from quizzes.completion.status import status_rows
from quizzes.courses.links import link_title
from quizzes.web import bp


@bp.get("/min-side")
@login_required
def my_page():
    """What is due first (by deadline, with progress and "Fortsæt"), then passed and optional courses."""
    return render_template("quizzes/my_page.html", page=plan(current_user()))


@bp.get("/kurser/<course_id>")
@login_required
def course_page(course_id: str):
    """A course: what it is, your own deadline and status, its modules with their reading, your attempts."""
    course = course_or_404(course_id)
    user = current_user()
    mine = next(status_rows(staff_nos=[user.staff_no], course_id=course.id, include_excluded=True), None)
    return render_template("quizzes/course.html", course=course, attempts=attempts_of(user, course.id),
                           completion=completion_of(user, course.id), left=attempts_left(user, course),
                           guidance_url=guidance_url, link_title=link_title, mine=mine, today=clock.today())
