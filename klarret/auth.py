"""Login and roles. Features ask only ``current_user()``, ``login_required`` and ``role_required``.

Local accounts log in with e-mail and password (argon2). Single sign-on (OIDC) can be added as
another way to call ``login_user()``: nothing that uses the decorators needs to change.
"""

from __future__ import annotations

import functools
from typing import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import (Blueprint, Flask, abort, flash, g, redirect, render_template, request, session,
                   url_for)
from sqlalchemy import func, select

from werkzeug.exceptions import Unauthorized

from klarret.db import db
from klarret.errors import danish
from klarret.org.models import Employee, UnitManager
from klarret.urls import is_local_url
from klarret.registry import Page, registry
from klarret.roles import Role

bp = Blueprint("auth", __name__)
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2 hash of ``password``."""
    return _hasher.hash(password)


def check_password(employee: Employee, password: str) -> bool:
    """Whether ``password`` matches the employee's stored hash (False without one)."""
    if not employee.password_hash:
        return False
    try:
        return _hasher.verify(employee.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def login_user(employee: Employee) -> None:
    """Start a session for ``employee`` (called by password login, and later by single sign-on)."""
    session.clear()
    session["staff_no"] = employee.staff_no
    session.permanent = True


def current_user() -> Employee | None:
    """The logged-in, active employee, or None."""
    if "klarret_user" not in g:
        staff_no = session.get("staff_no")
        user = db.session.get(Employee, staff_no) if staff_no else None
        g.klarret_user = user if user is not None and user.active else None
    return g.klarret_user


def is_manager(employee: Employee) -> bool:
    """Whether the employee manages at least one unit."""
    return bool(db.session.scalar(select(func.count()).select_from(UnitManager)
                                  .where(UnitManager.staff_no == employee.staff_no)))


def login_required(view: Callable) -> Callable:
    """Send anonymous visitors to the login page, then back."""

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


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect to another site after login.
    if is_local_url(target):
        return target
    return registry().page_url(Page.AFTER_LOGIN) or "/"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """E-mail and password for local accounts."""
    errors: dict[str, str] = {}
    email = request.form.get("email", "").strip().lower()
    if request.method == "POST":
        password = request.form.get("password", "")
        if not email:
            errors["email"] = "Skriv din e-mailadresse."
        if not password:
            errors["password"] = "Skriv din adgangskode."
        if not errors:
            user = db.session.scalar(select(Employee).where(func.lower(Employee.email) == email))
            if user is None or not user.active or not check_password(user, password):
                errors["email"] = ("E-mailadressen eller adgangskoden er forkert. Har du ingen adgangskode, "
                                   "så log ind med kommunens single sign-on, eller bed en administrator om en.")
            else:
                login_user(user)
                return redirect(_safe_next(request.args.get("next")))
    status = 400 if errors else 200
    return render_template("auth/login.html", errors=errors, email=email), status


@bp.post("/logout")
def logout():
    """End the session (a half-done course attempt is kept)."""
    session.clear()
    flash("Du er logget ud.")
    return redirect("/")


def init_app(app: Flask) -> None:
    """Register login and logout, and make ``current_user`` available to templates."""
    app.register_blueprint(bp)
    app.jinja_env.globals["current_user"] = current_user
    app.jinja_env.globals["Role"] = Role  # templates compare members: Role.EDITOR in current_user().roles
