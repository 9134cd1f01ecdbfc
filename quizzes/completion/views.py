"""The employee's own page: what is due, where to continue, what is passed (quizzes.completion.next_steps)."""

from __future__ import annotations

from flask import render_template

from klarret.auth import current_user, login_required
from quizzes.completion.next_steps import my_page as plan
from quizzes.web import bp


@bp.get("/min-side")
@login_required
def my_page():
    """What is due first (by deadline, with progress and "Fortsæt"), then passed and optional courses."""
    return render_template("quizzes/my_page.html", page=plan(current_user()))
