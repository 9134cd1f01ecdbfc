"""The employee's own page: assigned courses with status, due date, completion and certificate."""

from __future__ import annotations

from flask import render_template

from klarret.auth import current_user, login_required
from quizzes.completion import assignments
from quizzes.web import bp


@bp.get("/min-side")
@login_required
def my_page():
    """Assigned courses with status, due date, completion date and certificate."""
    rows = assignments.overview(current_user())
    return render_template("quizzes/my_page.html", rows=rows)
