"""The staff administration pages: the HR import (preview, then confirm) and the roles per employee."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from flask import Blueprint, Flask, abort, flash, redirect, render_template, request, session, url_for
from sqlalchemy import func, or_, select

from klarret import audit, settings
from klarret.auth import current_user, revoke_sessions, role_required
from klarret.db import db
from klarret.org import uploads
from klarret.org.hr_import import FIELD_LABELS, Plan, describe, run_import
from klarret.org.models import Employee
from klarret.org.uploads import StaffUpload
from klarret.registry import registry
from klarret.roles import ASSIGNABLE, ROLE_LABELS, Role

bp = Blueprint("staff", __name__, url_prefix="/admin")
SHOWN = 200  # rows per kind in the preview; the counts always cover every row
PER_PAGE = 50
EXTENSIONS = (".csv", ".xlsx", ".txt")
# The HR file may be 50 MB; the request may be a little larger (form fields, multipart boundaries).
UPLOAD_LIMIT = 51 * 1024 * 1024
TOO_LARGE = ("Filen er for stor: der kan højst indlæses 50 MB. Del udtrækket op pr. forvaltning (hver fil er et "
             "fuldt udtræk af de forvaltninger, den indeholder), og indlæs filerne én ad gangen.")
# Danish names for the organisation's audit actions (the import, the purge, these pages, deputies).
AUDIT_LABELS = {"staff.import": "HR-import", "staff.purge": "Anonymisering", "employee.role": "Rolle ændret",
                "employee.stats": "Statistik til/fra", "deputy.grant": "Stedfortræder udpeget",
                "deputy.revoke": "Stedfortræder fjernet",
                "employee.emergency": "Nødadgang til/fra", "employee.password": "Adgangskode sat"}


def _pending(claim: bool = False) -> StaffUpload | None:
    """The uploaded file awaiting confirmation in this session, if it is still there (on any instance)."""
    token = (session.get("staff_import") or {}).get("token", "")
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        return None
    return uploads.find(token, current_user().staff_no, claim=claim)


@bp.route("/import", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def import_page():
    """Upload an HR file and see what it would change; nothing is written here."""
    if request.method == "GET":
        return render_template("admin/import.html", plan=None, errors=[], filename=None)
    upload = request.files.get("fil")
    if upload is None or not upload.filename:
        return render_template("admin/import.html", plan=None, filename=None,
                               errors=["Vælg en fil med HR-udtrækket (CSV eller XLSX)."]), 400
    ext = Path(upload.filename).suffix.lower()
    if ext not in EXTENSIONS:
        return render_template("admin/import.html", plan=None, filename=upload.filename,
                               errors=[f"Filen '{upload.filename}' er hverken CSV eller XLSX. Gem udtrækket som "
                                       ".csv eller .xlsx og vælg det igen."]), 400
    earlier = _pending()
    if earlier is not None:  # a new preview replaces one that was never confirmed
        uploads.discard(earlier.token)
    token = secrets.token_hex(16)
    # The temporary file goes when the block ends, also on SystemExit (gunicorn's worker timeout): no orphan.
    with uploads.scratch_file(ext) as path:
        upload.save(path)
        plan = run_import(path, current_user().staff_no, dry_run=True, filename=upload.filename)
        if not plan.errors:
            uploads.keep(token, current_user().staff_no, upload.filename, path)
    if plan.errors:
        session.pop("staff_import", None)
        return render_template("admin/import.html", plan=None, filename=upload.filename,
                               errors=[str(e) for e in plan.errors]), 400
    session["staff_import"] = {"token": token, "ext": ext, "name": upload.filename}
    return _preview(plan, upload.filename)


def _preview(plan: Plan, filename: str, confirm_error: str | None = None):
    """The preview page (also shown again when the number typed to confirm a mass change was wrong)."""
    return render_template("admin/import.html", plan=plan, errors=[], filename=filename, shown=SHOWN,
                           describe=describe, labels=FIELD_LABELS, confirm_error=confirm_error)


def _typed_number() -> int | None:
    """The number typed to confirm a mass change ("1.234" too), or None."""
    text = request.form.get("antal", "").strip().replace(".", "")
    return int(text) if re.fullmatch(r"[0-9]{1,9}", text) else None  # not isdigit(): '²' is a digit to it


@bp.post("/import/bekraeft")
@role_required(Role.ADMINISTRATOR)
def confirm_import():
    """Apply the previewed file: read and validated again, in one transaction."""
    name = (session.get("staff_import") or {}).get("name", "")
    pending = _pending(claim=request.form.get("action") != "annuller")
    if pending is None or request.form.get("token") != pending.token:
        db.session.rollback()
        flash("Forhåndsvisningen findes ikke længere. Vælg filen igen, og se forhåndsvisningen, før du importerer.")
        return redirect(url_for("staff.import_page"))
    token = pending.token
    if request.form.get("action") == "annuller":
        uploads.discard(token)
        session.pop("staff_import", None)
        flash("Importen er annulleret. Intet er ændret.")
        return redirect(url_for("staff.import_page"))
    typed = _typed_number()
    try:
        with uploads.as_file(pending) as path:
            db.session.delete(pending)  # goes with the import's own commit; its rollback keeps the upload
            plan: Plan = run_import(path, current_user().staff_no, filename=name, confirm=typed)
    except BaseException:
        uploads.discard(token)
        session.pop("staff_import", None)
        raise
    if plan.needs_confirmation:  # the upload stays for another try; nothing was written
        given = request.form.get("antal", "").strip()
        error = (f"Du skrev {given[:20]}, men importen berører {plan.mass_change.affected} medarbejdere. "
                 if given else "Du skal skrive antallet af berørte medarbejdere for at importere. ")
        return _preview(plan, name, error + "Kontrollér listerne, og skriv tallet igen."), 400
    session.pop("staff_import", None)
    if plan.errors:
        uploads.discard(token)
        return render_template("admin/import.html", plan=None, filename=name,
                               errors=[str(e) for e in plan.errors]), 400
    counts = plan.summary()
    flash(f"Importen af {name} er gennemført: {counts['nye']} nye, {counts['ændrede']} ændrede og "
          f"{counts['deaktiverede']} deaktiverede medarbejdere.")
    return redirect(url_for("staff.import_page"))


@bp.get("/medarbejdere")
@role_required(Role.ADMINISTRATOR)
def employees():
    """Find an employee by staff number, name or e-mail."""
    q = request.args.get("q", "").strip()
    found = []
    if q:
        like = f"%{q.lower()}%"
        found = db.session.scalars(select(Employee).where(or_(
            Employee.staff_no == q, func.lower(Employee.name).like(like), func.lower(Employee.email).like(like)))
            .order_by(Employee.name).limit(PER_PAGE)).all()
    return render_template("admin/employees.html", q=q, found=found, labels=ROLE_LABELS, assignable=ASSIGNABLE)


def _chosen_roles(me: Employee, person: Employee) -> tuple[frozenset[Role], str | None]:
    """The roles ticked on the form, or an error message in Danish."""
    values = request.form.getlist("rolle")
    if any(v not in {r.value for r in ASSIGNABLE} for v in values):
        return frozenset(), "Vælg kun blandt rollerne på listen: redaktør, underviser og administrator."
    roles = frozenset({Role.EMPLOYEE, *(Role(v) for v in values)})
    if person.staff_no == me.staff_no and Role.ADMINISTRATOR not in roles:
        return roles, "Du kan ikke fjerne din egen administratorrolle. Bed en anden administrator om at gøre det."
    return roles, None


@bp.route("/medarbejdere/<staff_no>", methods=["GET", "POST"])
@role_required(Role.ADMINISTRATOR)
def employee(staff_no: str):
    """One employee: the roles (read-only with single sign-on: the token's win), emergency access and whether
    they count in the statistics (all audited)."""
    person = db.session.get(Employee, staff_no) or abort(404)
    errors: dict[str, str] = {}
    sso = settings.current().sso
    if request.method == "POST":
        me = current_user()
        roles, error = (person.roles, None) if sso else _chosen_roles(me, person)
        excluded = request.form.get("undtaget") == "ja"
        emergency = request.form.get("noedadgang") == "ja"
        if error:
            errors[f"rolle-{ASSIGNABLE[0].value}"] = error
        else:
            if roles != person.roles:
                audit.record(me.staff_no, "employee.role", person.staff_no, old=sorted(person.roles),
                             new=sorted(roles))
                person.roles = roles
                revoke_sessions(person.staff_no)  # a session must not keep the roles it was started with
            if excluded != person.excluded_from_stats:
                audit.record(me.staff_no, "employee.stats", person.staff_no, excluded=excluded)
                person.excluded_from_stats = excluded
            if emergency != person.emergency_access:
                audit.record(me.staff_no, "employee.emergency", person.staff_no, emergency_access=emergency)
                person.emergency_access = emergency
                if not emergency:
                    revoke_sessions(person.staff_no)  # a password session must not outlive the permission
            db.session.commit()
            flash(f"Ændringerne for {person.name} er gemt.")
            return redirect(url_for("staff.employee", staff_no=person.staff_no))
    sections = [section(person.staff_no) for section in registry().person_sections]  # e.g. the courses
    return render_template("admin/employee.html", person=person, labels=ROLE_LABELS, assignable=ASSIGNABLE,
                           errors=errors, sso=sso, sections=sections), (400 if errors else 200)


def _limit_upload() -> None:
    # Runs before CSRF reads the form, so an oversized upload is refused before it is stored anywhere.
    if request.method == "POST" and request.path.startswith("/admin/import"):
        request.max_content_length = UPLOAD_LIMIT


@bp.errorhandler(413)
def too_large(_exc):
    """An upload over the limit: the import page again, with the reason."""
    return render_template("admin/import.html", plan=None, filename=None, errors=[TOO_LARGE]), 413


def init_app(app: Flask) -> None:
    """Register the staff pages and the organisation's audit labels."""
    registry(app).add_audit_labels(AUDIT_LABELS)
    app.register_blueprint(bp)
    # First of all before-request functions, whenever CSRF protection was set up.
    app.before_request_funcs.setdefault(None, []).insert(0, _limit_upload)
