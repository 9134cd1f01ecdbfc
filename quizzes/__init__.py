"""KlarRet e-learning: course files, grading, attempts, completions and the course pages."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from klarret import clock, settings
from klarret.openapi import add_paths as add_api_paths
from klarret.registry import Audience, Page, registry
from klarret.roles import Role


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


def _stale_pages_hook(reports: list) -> None:
    """`klarret content report`: the questions that link to pages not reviewed for a year."""
    from quizzes.courses.loader import load_courses

    stale = {p.page for p in reports if p.stale(clock.today())}
    courses, _ = load_courses()
    hits = [(c, q) for c in courses for q in c.questions if q.page in stale]
    click.echo(f"\nKursusspørgsmål, der linker til sider, som ikke er gennemgået i over et år ({len(hits)}):")
    for c, q in hits:
        click.echo(f"  {c.id:24} {q.id:20} {q.page}#{q.anchor}")


# Danish names for the audit actions the e-learning records.
AUDIT_LABELS = {"export": "Eksport", "exemption.grant": "Fritagelse givet", "exemption.revoke": "Fritagelse ophævet",
                "attempts.grant": "Ekstra forsøg givet", "reminder.send": "Påmindelse sendt",
                "reminders.send": "Påmindelser sendt", "reminders.bulk": "Påmindelser sendt fra lederoversigten",
                "classroom.session.create": "Hold oprettet",
                "classroom.session.cancel": "Hold aflyst",
                "classroom.session.update": "Hold ændret", "classroom.book": "Tilmelding til hold",
                "classroom.cancel": "Afmelding fra hold", "classroom.promote": "Plads fra venteliste",
                "classroom.attendance": "Fremmøde registreret"}


def _courses_of(staff_no: str):
    """The administrator's view of one employee's courses (klarret.registry.PersonTable)."""
    from klarret.dates import long_date
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.registry import PersonTable
    from quizzes.completion.assignments import overview

    person = db.session.get(Employee, staff_no)
    day = lambda d: long_date(d) if d else "–"  # noqa: E731
    rows = [(r.course.title, "obligatorisk" if r.mandatory else "frivilligt", str(r.status.status),
             day(r.status.due) if r.mandatory else "–", day(r.status.completed), day(r.status.expires))
            for r in overview(person) if r.mandatory or r.status.completed] if person and person.active else []
    return PersonTable("Kurser", ("Kursus", "Type", "Status", "Frist", "Bestået", "Udløber"), rows,
                       "Medarbejderen har ingen obligatoriske kurser og har ikke bestået nogen." if person and
                       person.active else "Medarbejderen er fratrådt; kurserne vises ikke længere.")


def _register(app: Flask) -> None:
    """What the e-learning adds to the core: menu links, audit labels, the build step, report hooks."""
    reg = registry(app)
    reg.add_nav("Mine kurser", "quizzes.my_page", Audience.EVERYONE, order=30)
    # An administrator sees every unit; a manager or deputy their own; an editor the knowledge gaps.
    reg.add_nav("Medarbejdernes kurser", "reports.leader", Role.ADMINISTRATOR, order=40)
    reg.add_nav("Mine medarbejdere", "reports.leader", Audience.LEADER, order=41)
    reg.add_nav("Hele kommunen", "reports.municipality", Role.ADMINISTRATOR, order=42)
    reg.add_nav("Videnshuller", "reports.knowledge_gaps", Role.EDITOR, order=43)
    reg.add_nav("Hold", "classroom.sessions", Role.TRAINER, order=45)
    reg.add_nav("Hold", "classroom.sessions", Role.ADMINISTRATOR, order=45)
    reg.set_page(Page.AFTER_LOGIN, "quizzes.my_page")
    reg.add_audit_labels(AUDIT_LABELS)
    from klarret.privacy import Item

    reg.add_privacy_item(Item(
        "Kursusforsøg, svar, point, beviser, fritagelser og påmindelser om de obligatoriske kurser; tilmeldinger "
        "til hold (holdundervisning) og fremmøde",
        "At du kan tage kurserne og få et bevis, og at lederne kan følge op på, hvem der mangler.",
        "Databeskyttelsesforordningens art. 6, stk. 1, litra e (kommunens opgave som arbejdsgiver)",
        lambda s: f"Som medarbejderoplysningerne; efter anonymiseringen ({s.retention_years} år efter "
                  "fratrædelsen) uden navn og medarbejdernummer",
        "Du selv, dine ledere og deres stedfortrædere, administratorer; redaktører ser kun tal for "
        "grupper på mindst fem", order=20))
    reg.add_build_step("Tjekker kurserne mod vejledningen", _build_step)
    from quizzes.courses.review import review_step

    reg.add_build_step("Tjekker, om kursusspørgsmål skal gennemgås", review_step)
    reg.add_person_section(_courses_of)
    reg.add_cites_report(_cites_hook)
    reg.add_content_report(_stale_pages_hook)


def init_app(app: Flask) -> None:
    """Load the course files, register the pages, the `courses` commands and the build step."""
    from quizzes import models  # noqa: F401 (tables for migrations)
    from quizzes.attempts import views  # noqa: F401 (routes on quizzes.web.bp)
    from quizzes.classroom import models as classroom_models  # noqa: F401
    from quizzes.completion import views as completion_views  # noqa: F401
    from quizzes.courses import set_catalogue
    from quizzes.courses.loader import COURSES_DIR, load_courses
    from quizzes.web import bp

    courses, errors = load_courses(settings.of(app).courses_dir or COURSES_DIR)
    for e in errors:
        app.logger.warning("Kursusfil: %s", e)
    set_catalogue(app, courses)
    from quizzes.completion.status import Status

    app.jinja_env.globals["Status"] = Status  # templates compare members: r.status == Status.OVERDUE
    app.register_blueprint(bp)
    from quizzes.attempts.openapi import PATHS as api_paths

    add_api_paths(app, api_paths)
    from quizzes.reports import (
        bulk,  # noqa: F401 (the bulk reminder's routes on reports_bp)
        capacity,  # noqa: F401 (the capacity page, a route on reports_bp)
    )
    from quizzes.reports.views import bp as reports_bp  # manager dashboard, municipality view, exports

    app.register_blueprint(reports_bp)
    from quizzes.classroom import trainer_views  # noqa: F401 (the trainers' routes on the same blueprint)
    from quizzes.classroom.views import bp as classroom_bp  # sessions, booking, rosters

    app.register_blueprint(classroom_bp)
    from quizzes.courses.cli import courses_group

    app.cli.add_command(courses_group)
    from quizzes.completion.assignments import assignments_group
    from quizzes.reports.exports import report_group
    from quizzes.reports.reminders import remind_command

    app.cli.add_command(report_group)
    app.cli.add_command(remind_command)
    app.cli.add_command(assignments_group)
    from quizzes import records
    from quizzes.attempts import xapi
    from quizzes.classroom import xapi as classroom_xapi

    records.init_app(app)  # learning records out as xAPI: `klarret xapi`, the outbox's retention
    xapi.init_app(app)
    classroom_xapi.init_app(app)
    from quizzes.classroom.cli import sessions_group

    app.cli.add_command(sessions_group)
    _register(app)
