"""Administrator pages: the start page and the audit log (the staff pages are in klarret.org.views)."""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request
from sqlalchemy import select

from klarret.audit import AuditEvent
from klarret.auth import role_required
from klarret.db import db, paginate
from klarret.org.models import Employee
from klarret.registry import registry
from klarret.roles import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 50


@bp.get("/")
@role_required(Role.ADMINISTRATOR)
def index():
    """The administrator's start page."""
    return render_template("admin/index.html")


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
                           pages=pages, total=total, labels=labels, names=names)


def init_app(app: Flask) -> None:
    """Register the administrator's start page and the audit log, and its menu link."""
    app.register_blueprint(bp)
    registry(app).add_nav("Administration", "admin.index", Role.ADMINISTRATOR, order=60)
