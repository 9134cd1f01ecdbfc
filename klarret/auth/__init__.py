"""Login and roles. Features ask only ``current_user()``, ``login_required`` and ``role_required``.

Local accounts log in with e-mail and password (``views``), throttled in the database (``throttle``),
with capped argon2 checks (``passwords``); a session lives on the server (``sessions``). Single sign-on
(``oidc``, ``oidc_views``) is another way to call ``login_user()``; with it on, passwords are for
emergency access only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Flask, abort, g, redirect, request, url_for
from sqlalchemy import func, select
from werkzeug.exceptions import Unauthorized

from klarret import settings
from klarret.auth import sessions
from klarret.auth.passwords import hash_password
from klarret.db import db
from klarret.errors import danish
from klarret.org.models import Employee, UnitManager
from klarret.roles import Role

# Danish names of the login events on /admin/revisionslog.
AUDIT_LABELS = {"login": "Login", "login.failed": "Login mislykkedes", "login.sso_failed": "Single sign-on mislykkedes",
                "login.sso_refused": "Single sign-on afvist"}

__all__ = ["current_user", "hash_password", "is_manager", "login_required", "login_user", "logout_user",
           "revoke_sessions", "role_required"]


def login_user(employee: Employee) -> None:
    """Start a fresh server-side session for ``employee`` (password login now, single sign-on later)."""
    sessions.start(employee.staff_no)
    g.klarret_user = employee


def logout_user() -> None:
    """End this browser's session."""
    sessions.end()
    g.klarret_user = None


def revoke_sessions(staff_no: str) -> None:
    """End every session of one person, e.g. when their roles change (committed with that change)."""
    sessions.revoke_all(staff_no)


def current_user() -> Employee | None:
    """The logged-in, active employee, or None."""
    if "klarret_user" not in g:
        staff_no = sessions.staff_no()
        user = db.session.get(Employee, staff_no) if staff_no else None
        g.klarret_user = user if user is not None and user.active else None
    return g.klarret_user


def is_manager(employee: Employee) -> bool:
    """Whether the employee manages at least one unit."""
    return bool(db.session.scalar(select(func.count()).select_from(UnitManager)
                                  .where(UnitManager.staff_no == employee.staff_no)))


def login_required(view: Callable) -> Callable:
    """Send anonymous visitors to the login page, then back; an API call gets 401 in Danish."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            if request.path.startswith("/api/"):  # a script cannot follow a login page: say so in JSON
                raise danish(Unauthorized, "Du er ikke logget ind længere. Log ind igen i en ny fane, og prøv så "
                                           "igen; det, du har skrevet på siden, er ikke væk.")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: Role) -> Callable:
    """Allow only employees with one of ``roles``; an administrator may do everything."""
    if not roles or not all(isinstance(r, Role) for r in roles):
        raise TypeError("role_required takes Role members, e.g. role_required(Role.EDITOR).")

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            user = current_user()
            if not any(user.has_role(role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    """Register login and logout, the session cookie's rules, and ``current_user`` for templates."""
    from klarret.auth import oidc, oidc_views, throttle  # noqa: F401 (the throttle table, for migrations)
    from klarret.auth.views import bp
    from klarret.registry import registry

    config = settings.of(app)
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SECURE=config.base_url.startswith("https://"),
                      PERMANENT_SESSION_LIFETIME=config.session_max_hours * 3600)
    app.register_blueprint(bp)
    oidc.init_app(app)
    app.register_blueprint(oidc_views.bp)
    registry(app).add_audit_labels(AUDIT_LABELS)
    if config.sso:
        from klarret.privacy import Item

        registry(app).add_privacy_item(Item(
            "Kommunens login (single sign-on): dit id hos kommunens login, navn, e-mail, medarbejdernummer og "
            "roller fra login-svaret; svaret gemmes i din browsers sessionscookie, rollerne i KlarRet",
            "At vide, at det er dig, der logger ind, og hvilke roller du har fået i kommunens brugeradministration.",
            "Databeskyttelsesforordningens art. 6, stk. 1, litra e, og art. 32 (sikkerhed)",
            lambda s: "Login-svaret, til du logger ud, eller sessionen udløber; rollerne, til næste login; afviste "
                      f"logins i revisionsloggen i {s.audit_years} år",
            "Du selv; rollerne ser administratorer", order=55))
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["Role"] = Role  # templates compare members: Role.EDITOR in current_user().roles
