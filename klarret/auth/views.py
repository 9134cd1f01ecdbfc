"""The login and logout pages for local accounts: throttled, capped, audited.

With single sign-on on, a password works only for the accounts an administrator marked as emergency access."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session
from sqlalchemy import func, select

from klarret import audit, settings
from klarret.auth import login_user, logout_user, passwords, throttle
from klarret.db import db
from klarret.org.models import Employee
from klarret.registry import Page, registry
from klarret.urls import is_local_url

bp = Blueprint("auth", __name__)
WRONG = ("E-mailadressen eller adgangskoden er forkert. Har du ingen adgangskode, så log ind med kommunens "
         "single sign-on, eller bed en administrator om en.")


def safe_next(target: str | None) -> str:
    # Only local paths: never redirect to another site after login.
    if is_local_url(target):
        return target
    return registry().page_url(Page.AFTER_LOGIN) or "/"


def _minutes(seconds: int) -> str:
    return f"{seconds} sekunder" if seconds < 60 else f"{-(-seconds // 60)} minutter"


def _page(errors: dict[str, str], email: str, status: int, retry_after: int | None = None):
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    sso = settings.current().sso
    return (render_template("auth/login.html", errors=errors, email=email, sso=sso, next=request.args.get("next"),
                            emergency_open=sso and request.method == "POST"), status, headers)


def _attempt(email: str, password: str):
    """Check one login: locked keys first (no password check), then the password, in a capped slot."""
    limits = throttle.keys(email, request.remote_addr or "-")
    wait = throttle.locked_for(limits)
    if wait:
        audit.record("anonym", "login.failed", "", reason="låst", seconds=wait)
        db.session.commit()
        return _page({"email": f"For mange forkerte forsøg. Vent {_minutes(wait)}, og prøv igen. Har du glemt "
                               "adgangskoden, så kontakt en administrator."}, email, 429, wait)
    user = db.session.scalar(select(Employee).where(func.lower(Employee.email) == email))
    # With single sign-on, a password that is not for emergency access counts as no password (same answer).
    usable = user is not None and (user.emergency_access or not settings.current().sso)
    try:
        with passwords.slot():
            ok = passwords.check(user.password_hash if usable else None, password)
    except passwords.Busy:
        return _page({"email": "Lige nu logger mange ind på én gang. Vent et øjeblik, og prøv igen."}, email, 503, 5)
    if user is None or not user.active or not ok:
        throttle.failed(limits)
        audit.record("anonym", "login.failed", user.staff_no if user is not None else "",
                     reason="ukendt e-mail" if user is None else ("inaktiv" if not user.active else
                                                               "forkert kode" if usable else "ikke nødadgang"))
        db.session.commit()
        return _page({"email": WRONG}, email, 400)
    throttle.succeeded(next(iter(limits)))
    audit.record(user.staff_no, "login", user.staff_no, method="adgangskode")
    login_user(user)  # commits the session row, the audit event and the cleared throttle together
    return redirect(safe_next(request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """E-mail and password for local accounts."""
    email = request.form.get("email", "").strip().lower()
    if request.method == "GET":
        if session.pop("ended", False):
            flash("Du er blevet logget ud, fordi du ikke har brugt KlarRet i et stykke tid (eller er logget ind "
                  "for længe siden). Log ind igen; det, du har gemt, er ikke væk.")
        return _page({}, email, 200)
    errors: dict[str, str] = {}
    password = request.form.get("password", "")
    if not email:
        errors["email"] = "Skriv din e-mailadresse."
    if not password:
        errors["password"] = "Skriv din adgangskode."
    if errors:
        return _page(errors, email, 400)
    return _attempt(email, password)


@bp.post("/logout")
def logout():
    """End the session (a half-done course attempt is kept), and at the provider after single sign-on."""
    from klarret.auth.oidc_views import logout_redirect

    provider = logout_redirect()  # read before the session is cleared
    logout_user()
    flash("Du er logget ud.")
    return redirect(provider or "/")
