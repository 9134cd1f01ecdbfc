"""KlarRet e-learning: course files, grading, attempts, completions and the course pages."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from klarret import build, settings
from klarret.openapi import add_paths as add_api_paths


def _build_step(html_dir: Path) -> None:
    from quizzes.courses.cli import check_files

    courses, errors = check_files(html_dir)
    for e in errors:
        click.echo(f"  FEJL {e}", err=True)
    if errors:
        raise click.ClickException(f"{len(errors)} fejl i kursusfilerne. Ret dem (fil og spørgsmål står ovenfor) "
                                   "og kør 'klarret courses check'.")
    click.echo(f"  {len(courses)} kurser og {sum(len(c.questions) for c in courses)} spørgsmål er i orden.")


def _cites_hook(found: list) -> None:
    """`klarret content report --cites`: also list the questions that link to the sections found."""
    from quizzes.courses.loader import load_courses

    targets = {(r.page, r.anchor) for r in found}
    courses, _ = load_courses()
    hits = [(c, q) for c in courses for q in c.questions if (q.page, q.anchor) in targets]
    click.echo(f"{len(hits)} kursusspørgsmål linker til disse afsnit:")
    for c, q in hits:
        click.echo(f"  {c.id:24} {q.id:20} {q.page}#{q.anchor}")


def init_app(app: Flask) -> None:
    """Load the course files, register the pages, the `courses` commands and the build step."""
    from quizzes import models  # noqa: F401 (tables for migrations)
    from quizzes.courses.loader import COURSES_DIR, load_courses
    from quizzes.attempts import views  # noqa: F401 (routes on quizzes.web.bp)
    from quizzes.completion import views as completion_views  # noqa: F401
    from quizzes.web import bp

    courses, errors = load_courses(settings.of(app).courses_dir or COURSES_DIR)
    for e in errors:
        app.logger.warning("Kursusfil: %s", e)
    app.extensions["klarret.courses"] = {c.id: c for c in courses}
    app.register_blueprint(bp)
    from quizzes.attempts.openapi import PATHS as api_paths

    add_api_paths(app, api_paths)
    from quizzes.reports.views import bp as reports_bp  # manager dashboard, municipality view, exports

    app.register_blueprint(reports_bp)
    from quizzes.courses.cli import courses_group

    app.cli.add_command(courses_group)
    from quizzes.completion.assignments import assignments_group
    from quizzes.reports.exports import report_group
    from quizzes.reports.reminders import remind_command

    app.cli.add_command(report_group)
    app.cli.add_command(remind_command)
    app.cli.add_command(assignments_group)
    build.register_step(app, "Tjekker kurserne mod vejledningen", _build_step)
    app.extensions.setdefault("klarret.cites_report", []).append(_cites_hook)
