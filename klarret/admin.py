"""Administrator pages: the start page and the audit log (the staff pages are in klarret.org.views)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request, url_for
from sqlalchemy import func, select

from klarret.audit import AuditEvent, describe
from klarret.auth import role_required
from klarret.db import db, paginate
from klarret.org.models import Employee, EmployeeRole, Unit
from klarret.registry import registry
from klarret.roles import ROLE_LABELS, Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50
# Danish names for the audit log's own actions (login's are in klarret.auth; the parts add theirs).
AUDIT_LABELS = {"audit.purge": "Revisionslog ryddet"}


@bp.get("/")
@role_required(Role.ADMINISTRATOR)
def index():
    """The administrator's overview: the last HR import, people, units and roles, and every admin page."""
    count = lambda stmt: db.session.scalar(stmt) or 0  # noqa: E731
    last_import = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff.import")
                                     .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)).first()
    roles = dict(db.session.execute(select(EmployeeRole.role, func.count()).join(
        Employee, Employee.staff_no == EmployeeRole.staff_no).where(Employee.active.is_(True))
        .group_by(EmployeeRole.role)).all())
    figures = {"active": count(select(func.count()).select_from(Employee).where(Employee.active.is_(True))),
               "inactive": count(select(func.count()).select_from(Employee).where(Employee.active.is_(False))),
               "units": count(select(func.count()).select_from(Unit))}
    # The features' pages for administrators and editors (reports, search statistics), from the registry.
    feature_pages = [(url_for(n.endpoint), n.label) for n in sorted(registry().nav, key=lambda n: n.order)
                     if n.audience in (Role.ADMINISTRATOR, Role.EDITOR) and n.endpoint != "admin.index"]
    return render_template("admin/index.html", last_import=last_import, figures=figures, feature_pages=feature_pages,
                           roles=[(ROLE_LABELS[r], roles.get(r.value, 0)) for r in Role if r != Role.EMPLOYEE],
                           importer=db.session.get(Employee, last_import.actor) if last_import else None)


@bp.get("/revisionslog")
@role_required(Role.ADMINISTRATOR)
def audit_log():
    """The audit log, newest first, paged, optionally for one action."""
    action = request.args.get("handling", "")
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    events, page, pages, total = paginate(query, request.args.get("side", 1, type=int), PER_PAGE)
    # Danish names come from the parts that record the actions (an unknown action is shown as stored).
    labels = registry().audit_labels
    actions = sorted(set(db.session.scalars(select(AuditEvent.action).distinct())) | set(labels))
    # Names of the people on this page, in one query (the log itself stores only staff numbers).
    names = dict(db.session.execute(select(Employee.staff_no, Employee.name).where(
        Employee.staff_no.in_({e.actor for e in events} | {e.target for e in events}))).all())
    return render_template("admin/audit.html", events=events, action=action, actions=actions, page=page,
                           pages=pages, total=total, labels=labels, names=names, describe=describe)


def init_app(app: Flask) -> None:
    """Register the administrator's start page and the audit log, and its menu link."""
    app.register_blueprint(bp)
    reg = registry(app)
    reg.add_audit_labels(AUDIT_LABELS)
    reg.add_nav("Administration", "admin.index", Role.ADMINISTRATOR, order=90)
