"""`klarret courses check [--org]`: the course files against the guidance and, on request, the organisation."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import click
from flask.cli import AppGroup

from klarret import settings
from quizzes.courses.loader import COURSES_DIR, Course, CourseError, load_courses


def check_files(html_dir: Path | None) -> tuple[list[Course], list[CourseError]]:
    """The configured course files, checked against the guidance export in ``html_dir`` (None: not checked)."""
    return load_courses(settings.current().courses_dir or COURSES_DIR, html_dir)


def unknown_units(courses: list[Course]) -> list[CourseError]:
    """Each unit in a rule's ``enheder`` that the organisation (the database) does not have."""
    from klarret.org.paths import SEP, UnitPath
    from klarret.org.write import unit_ids

    known = [UnitPath.below(code, path) for code, path in unit_ids()]
    errors = []
    for course in courses:
        for unit in sorted({u for rule in course.rules for u in rule.units}):
            if not unit.parts or unit in known:  # the administration itself always exists
                continue
            near = difflib.get_close_matches(str(unit), [str(u) for u in known if u.administration
                                                         == unit.administration], n=1)
            hint = f" Mente du \"{near[0]}\"?" if near else ""
            errors.append(CourseError(course.source, "enheder", f"enheden \"{unit}\" findes ikke i organisationen, "
                                      f"så ingen får kurset gennem den.{hint} Skriv enheden som i HR-udtrækket: "
                                      f"forvaltningens kode, /, og enhederne adskilt af '{SEP}' (med mellemrum)."))
    return errors


@click.group("courses", cls=AppGroup)  # AppGroup: every subcommand runs inside the app context
def courses_group() -> None:
    """Kursusfilerne (e-læring)."""


@courses_group.command("check")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON.")
@click.option("--org", is_flag=True, help="Tjek også, at enhederne i tildelingsreglerne findes i organisationen "
                                          "(kræver databasen).")
def check_command(as_json: bool, org: bool) -> None:
    """Tjek kursusfilerne mod vejledningens eksport (sider og ankre)."""
    html = settings.current().html_dir
    try:
        courses, errors = check_files(html)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    if org:
        from sqlalchemy.exc import SQLAlchemyError

        try:
            errors += unknown_units(courses)
        except SQLAlchemyError as exc:
            raise click.ClickException(f"Databasen kan ikke læses ({exc.__class__.__name__}). Kør "
                                       "'klarret db upgrade' og HR-importen, eller tjek uden --org.") from None
    for e in errors:
        click.echo(f"FEJL {e}", err=True)
    if as_json:
        click.echo(json.dumps({"courses": [{"id": c.id, "title": c.title, "version": c.version,
                                            "modules": len(c.modules), "questions": len(c.questions),
                                            "gennemfoerelse": c.classroom.mode if c.classroom else "e-laering"}
                                           for c in courses]}, ensure_ascii=False))
    else:
        for c in courses:
            click.echo(f"{c.id}: {len(c.modules)} moduler, {len(c.questions)} spørgsmål, "
                       f"{sum(q.case_based for q in c.questions)} sagsbaserede, version {c.version}"
                       + (f", holdundervisning: {c.classroom.mode}" if c.classroom else ""))
    if errors:
        raise SystemExit(1)


@courses_group.command("review")
def review_command() -> None:
    """Notér, at kursusspørgsmålene er gennemgået mod de afsnit, de linker til, som de ser ud nu."""
    from quizzes.courses.review import REVIEW_FILE, record_review

    changed = record_review(settings.current().html_dir, check_files(None)[0])
    click.echo(f"{len(changed)} afsnit noteret som gennemgået i {REVIEW_FILE.name}"
               + (": " + ", ".join(changed) if changed else "."))
