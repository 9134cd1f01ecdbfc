"""/login/sso and /login/callback: single sign-on, matched to the HR record, roles from the token."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session
from sqlalchemy import func, select

from klarret import audit, settings
from klarret.auth import login_user, oidc, revoke_sessions
from klarret.auth.views import safe_next
from klarret.dates import long_date
from klarret.db import db
from klarret.org.models import Employee

bp = Blueprint("sso", __name__)
NEXT_KEY = "sso_next"
ID_TOKEN_KEY = "sso_id_token"  # kept for RP-initiated logout (id_token_hint); "" when too large for the cookie
# The session cookie must stay under browsers' 4 KB; a larger ID token is not kept (logout then names the client).
HINT_MAX = 2000
WHOM = ("Kontakt din leder eller din HR-konsulent: KlarRet får medarbejderlisten fra kommunens HR-system, "
        "og du bliver oprettet ved næste indlæsning, når du er registreret dér.")


def _configured() -> None:
    if oidc.client() is None:
        abort(404)


def _refused(title: str, text: str, reason: str, claims: dict[str, Any], status: int = 403):
    """The Danish page for a person who cannot log in (audited); no account is created."""
    audit.record("anonym", "login.sso_refused", claims.get("sub", ""), reason=reason)
    db.session.commit()
    return render_template("auth/sso_refused.html", title=title, text=text, whom=WHOM, failed=False), status


def _failed(exc: oidc.Failed, target: str = ""):
    """The Danish page for a failed single sign-on (audited as login.sso_failed), never a 500."""
    db.session.rollback()
    audit.record("anonym", "login.sso_failed", target, reason=exc.reason)
    db.session.commit()
    status = 502 if exc.reason == oidc.UNREACHABLE else 400
    return render_template("auth/sso_refused.html", title="Login mislykkedes", text=str(exc), whom="",
                           failed=True), status


@bp.get("/login/sso")
def start():
    """Send the browser to the municipality's login."""
    _configured()
    target = request.args.get("next")
    try:
        response = oidc.login_redirect(settings.current().base_url + "/login/callback")
    except oidc.Failed as exc:
        return _failed(exc)
    session[NEXT_KEY] = safe_next(target)
    return response


def _staff_no(claims: dict[str, Any]) -> str:
    """The staff number in the KLARRET_OIDC_STAFF_CLAIM claim ("" when the token lacks it)."""
    return str(claims.get(settings.current().oidc_staff_claim) or "").strip()


def _match(claims: dict[str, Any]) -> Employee | None:
    """The HR record for the token: by staff number when KLARRET_OIDC_STAFF_CLAIM is set, else by e-mail."""
    if settings.current().oidc_staff_claim:
        return db.session.get(Employee, _staff_no(claims))  # never by e-mail: that may belong to someone else
    email = str(claims.get("email") or "").strip().lower()
    if not email:
        return None
    return db.session.scalar(select(Employee).where(func.lower(Employee.email) == email))


def _apply_roles(person: Employee, claims: dict[str, Any]) -> None:
    """The token's roles win at every login: a role removed at the provider goes here too."""
    roles = oidc.mapped_roles(claims)
    if roles != person.roles:
        audit.record("sso", "employee.role", person.staff_no, old=sorted(person.roles), new=sorted(roles),
                     source="single sign-on")
        person.roles = roles
        revoke_sessions(person.staff_no)  # other sessions must not keep the old roles


@bp.get("/login/callback")
def callback():
    """The provider's answer: check it, match the person, apply roles, start a session."""
    _configured()
    try:
        claims, id_token = oidc.finish()
    except oidc.Failed as exc:
        return _failed(exc)
    claim = settings.current().oidc_staff_claim
    if claim and not _staff_no(claims):
        return _refused("Dit medarbejdernummer mangler",
                        "Kommunens login sendte ikke dit medarbejdernummer, så KlarRet kan ikke se, hvem du er. "
                        "Kontakt IT-support, og nævn, at oplysningen "
                        f"'{claim}' mangler i dit login til KlarRet.", f"mangler {claim}", claims)
    person = _match(claims)
    if person is None:
        return _refused("Du findes ikke i KlarRets medarbejderliste",
                        "Du er logget ind hos kommunen, men KlarRet kan ikke finde dig i listen over "
                        "medarbejdere, så du kan ikke bruge KlarRet endnu.", "ukendt person", claims)
    if not person.active:
        since = f" (fratrådt {long_date(person.end_date)})" if person.end_date else ""
        return _refused("Du er registreret som fratrådt",
                        f"Ifølge HR-systemet er du ikke længere ansat{since}, så du kan ikke logge ind i KlarRet. "
                        "Er det en fejl, skal det rettes i HR-systemet.", "fratrådt", claims)
    _apply_roles(person, claims)
    audit.record(person.staff_no, "login", person.staff_no, method="single sign-on")
    target = session.get(NEXT_KEY) or safe_next(None)
    login_user(person)  # a fresh session: commits the roles and the audit events with it
    session[ID_TOKEN_KEY] = id_token if len(id_token) <= HINT_MAX else ""
    return redirect(target)


def logout_redirect() -> str | None:
    """Where to send the browser after logging out of a single sign-on session: the provider's end-session
    page, if it has one (None after a password login, or without single sign-on)."""
    id_token = session.get(ID_TOKEN_KEY)
    if id_token is None or oidc.client() is None:
        return None
    return oidc.logout_url(id_token, settings.current().base_url + "/")
