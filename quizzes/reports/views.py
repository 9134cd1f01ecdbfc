"""Report pages: the manager dashboard (/leder), deputies, exports, the municipality view (/kommune)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from klarret import clock, settings
from klarret.auth import current_user, login_required, role_required
from klarret.dates import long_date
from klarret.db import db
from klarret.export import RECORDS_FILE, export_dir, iter_records
from klarret.org import deputies as org_deputies
from klarret.org.models import Administration, Employee, Unit
from klarret.org.scope import managed_units, scope_roots, subtree_ids, visible_unit_ids
from klarret.roles import Role
from quizzes.completion.status import STATUSES, Status, status_rows
from quizzes.courses import catalogue
from quizzes.reports import figures as reports
from quizzes.reports import gaps as gap_figures

bp = Blueprint("reports", "quizzes", template_folder="templates")
_titles: dict[str, tuple[float, dict[str, str]]] = {}


def _today() -> dt.date:
    return clock.today()


def _scope() -> frozenset[int]:
    """The units the logged-in user may report on; 403 for someone who manages nothing."""
    scope = visible_unit_ids(current_user(), _today())
    if not scope:
        abort(403)
    return scope


def _filters() -> tuple[str | None, Status | None]:
    course_id = request.args.get("kursus") or None
    if course_id is not None and course_id not in catalogue():
        course_id = None
    try:  # an unknown status in the address means no filter
        status = Status(request.args.get("status", ""))
    except ValueError:
        status = None
    return course_id, status


def _unit_in_scope(unit_id: int, scope: frozenset[int]) -> Unit:
    """A unit of the user's scope; any other id is 'not found', so ids outside reveal nothing."""
    unit = db.session.get(Unit, unit_id) if unit_id in scope else None
    if unit is None:
        abort(404)
    return unit


def _common(**extra) -> dict:
    course_id, status = _filters()
    course_choices = sorted(((c.id, c.title) for c in catalogue().values()), key=lambda c: c[1])
    return {"course_id": course_id, "status": status, "statuses": STATUSES, "course_choices": course_choices,
            "today": _today(), **extra}


@bp.get("/leder")
@login_required
def leader():
    """The manager's overview: what needs action first, and completion per unit."""
    scope = _scope()
    course_id, status = _filters()
    roots = scope_roots(scope)
    user = current_user()
    data = reports.dashboard(scope, reports.shown_units(roots, scope), today=_today(), course_id=course_id,
                             status=status, everyone=Role.ADMINISTRATOR in user.roles)
    delegations = org_deputies.serving(user.staff_no, _today())
    return render_template("quizzes/reports/dashboard.html", data=data, roots=roots, delegations=delegations,
                           manages=bool(managed_units(user.staff_no)), **_common())


@bp.get("/leder/enhed/<int:unit_id>")
@login_required
def unit_page(unit_id: int):
    """One unit: its sub-units rolled up, and the people placed directly in it."""
    scope = _scope()
    unit = _unit_in_scope(unit_id, scope)
    course_id, status = _filters()
    sub = frozenset(subtree_ids([unit])) & scope
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.name)))
    data = reports.dashboard(sub, [unit, *children], today=_today(), course_id=course_id, status=status,
                             people_of=unit.id)
    trail = []
    node = unit.parent
    while node is not None and node.id in scope:
        trail.insert(0, node)
        node = node.parent
    return render_template("quizzes/reports/unit.html", unit=unit, data=data, trail=trail, **_common())


def _back() -> str:
    target = request.form.get("next", "")
    return target if target.startswith("/leder") and not target.startswith("//") else url_for("reports.leader")


@bp.post("/leder/paamind")
@login_required
def remind():
    """Send an overdue employee a reminder now (the manager's button)."""
    scope = _scope()
    staff_no, course_id = request.form.get("medarbejder", ""), request.form.get("kursus", "")
    person = db.session.get(Employee, staff_no)
    if person is None or person.unit_id not in scope or course_id not in catalogue():
        abort(404)
    rows = list(status_rows(staff_nos=[staff_no], course_id=course_id, today=_today()))
    if not rows or rows[0].status not in (Status.OVERDUE, Status.EXPIRED):
        flash(f"{person.name} er ikke forfalden med kurset, så der er ikke sendt en påmindelse.")
        return redirect(_back())
    from quizzes.reports.reminders import SendError, send_reminder_now

    try:
        send_reminder_now(staff_no, course_id, current_user().staff_no, today=_today())
    except ValueError as exc:  # a reason the manager can act on (already reminded today, no e-mail address)
        flash(f"Påmindelsen til {person.name} blev ikke sendt: {exc}")
        return redirect(_back())
    except SendError as exc:  # the mail system: the operator gets the details, the manager what to do
        current_app.logger.error("Påmindelse fra /leder kunne ikke sendes: %s", exc)
        flash(f"Påmindelsen til {person.name} kunne ikke sendes lige nu, fordi KlarRet ikke kunne komme i "
              "kontakt med mailsystemet. IT har fået besked. Prøv igen senere.")
        return redirect(_back())
    flash(f"Påmindelsen om »{rows[0].course_title}« er sendt til {person.name}.")
    return redirect(_back())


def _export(kind: str):
    from quizzes.reports import exports

    scope = _scope()
    course_id, status = _filters()
    ids: frozenset[int] | set[int] | None = None if Role.ADMINISTRATOR in current_user().roles else scope
    unit_arg = request.args.get("enhed")
    if unit_arg:
        if not unit_arg.isdigit():
            abort(404)
        ids = frozenset(subtree_ids([_unit_in_scope(int(unit_arg), scope)])) & scope
    rows = reports.filtered_rows(ids, course_id=course_id, status=status, today=_today())
    name = f"klarret-status-{_today().isoformat()}.{kind}"
    respond = exports.csv_response if kind == "csv" else exports.xlsx_response
    return respond(rows, name, current_user().staff_no, unit=unit_arg, course=course_id, status=status,
                   units_in_scope=len(ids) if ids is not None else "alle")


@bp.get("/leder/eksport.csv")
@login_required
def export_csv():
    """Every row in scope as CSV (semicolons, UTF-8 with BOM), streamed."""
    return _export("csv")


@bp.get("/leder/eksport.xlsx")
@login_required
def export_xlsx():
    """Every row in scope as an Excel workbook, streamed."""
    return _export("xlsx")


# --- deputies (the rules are in klarret.org.deputies) ----------------------------------------------
@bp.route("/leder/stedfortraedere", methods=["GET", "POST"])
@login_required
def deputies():
    """A manager names a colleague deputy (stedfortræder) for a period, and sees and revokes them."""
    user = current_user()
    if not managed_units(user.staff_no):
        abort(403)
    errors: dict[str, str] = {}
    form = {"kollega": request.form.get("kollega", "").strip(), "fra": request.form.get("fra", ""),
            "til": request.form.get("til", "")}
    if request.method == "POST":
        nomination = org_deputies.check(user.staff_no, form["kollega"], form["fra"], form["til"], _today())
        errors = nomination.errors
        if not errors:
            org_deputies.grant(user.staff_no, nomination)
            flash(f"{nomination.deputy.name} er stedfortræder fra {long_date(nomination.valid_from)} til og med "
                  f"{long_date(nomination.valid_to)}.")
            return redirect(url_for("reports.deputies"))
    return render_template("quizzes/reports/deputies.html", rows=org_deputies.named_by(user.staff_no, _today()),
                           errors=errors, form=form, today=_today()), (400 if errors else 200)


@bp.post("/leder/stedfortraedere/<int:deputy_id>/tilbagekald")
@login_required
def revoke_deputy(deputy_id: int):
    """End a deputyship now (only the manager who gave it can)."""
    if not org_deputies.revoke(current_user().staff_no, deputy_id):
        abort(404)
    flash("Stedfortræderen er fjernet og kan ikke længere se dine enheder.")
    return redirect(url_for("reports.deputies"))


# --- the municipality view ------------------------------------------------------------------------
def page_titles() -> dict[str, str]:
    """Page id -> title, from the export (re-read after a new build)."""
    path = Path(export_dir(settings.current().html_dir)) / RECORDS_FILE
    try:
        mtime = os.stat(path).st_mtime
    except FileNotFoundError:
        return {}
    if str(path) not in _titles or _titles[str(path)][0] != mtime:
        _titles[str(path)] = (mtime, {r.page: r.title for r in iter_records(path) if r.kind == "page"})
    return _titles[str(path)][1]


@bp.get("/kommune")
@role_required(Role.ADMINISTRATOR)
def municipality():
    """Completion per administration and course, and month by month, for the whole municipality."""
    data = reports.municipality(_today(), catalogue())
    return render_template("quizzes/reports/municipality.html", data=data, today=_today(), empty=reports.Tally())


@bp.get("/kommune/videnshuller")
@role_required(Role.EDITOR)
def knowledge_gaps():
    """Where people answer wrong first: per topic page and administration."""
    from quizzes.attempts.views import guidance_url

    admins, gaps = gap_figures.knowledge_gaps()
    titles = page_titles()
    lines = []
    for page_id, cells in gaps.items():
        total = gap_figures.GapCell(sum(c.people for c in cells.values()), sum(c.answers for c in cells.values()),
                                sum(c.wrong for c in cells.values()))
        row = [total, *(cells.get(code) for code in admins)]
        lines.append((page_id, titles.get(page_id, page_id), guidance_url(page_id), row, total))
    lines.sort(key=lambda line: (-(line[4].wrong_pct if line[4].wrong_pct is not None else -1), line[1]))
    names = dict(db.session.execute(select(Administration.code, Administration.name)).all())
    return render_template("quizzes/reports/gaps.html", admins=admins, lines=lines, min_group=gap_figures.MIN_GROUP,
                           names=names)
