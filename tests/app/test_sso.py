"""Single sign-on against a real OpenID provider (oidc-provider-mock): matching, roles, emergency access."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from klarret.roles import Role
from tests.support.oidc import CLIENT_ID, set_user, sso_login, start_login
from tests.support.web import DEMO_PASSWORD, token

ADMIN_ROLE, EDITOR_ROLE = "KlarRet.Administrator", "KlarRet.Redaktoer"


def _events(app, action: str) -> list:
    from klarret.audit import AuditEvent
    from klarret.db import db

    with app.app_context():
        return [(e.actor, e.target, e.details) for e in
                db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))]


def _person(app, staff_no: str):
    from klarret.db import db
    from klarret.org.models import Employee

    with app.app_context():
        person = db.session.get(Employee, staff_no)
        db.session.expunge(person)
        return person


def test_the_flow_uses_pkce_state_and_nonce(sso_app, oidc_provider):
    """The redirect to the provider carries a code challenge (S256), a state and a nonce; it goes to /login/callback."""
    query = parse_qs(urlsplit(start_login(sso_app.test_client())).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0] and query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://127.0.0.1:5000/login/callback"]
    assert set(query["scope"][0].split()) >= {"openid", "email"}


def test_a_known_person_logs_in_and_returns_where_they_were(sso_app, oidc_provider):
    set_user(oidc_provider, "anna-sub", {"email": "Anna@demo.klarret.dk", "roles": []})
    client = sso_app.test_client()
    r = sso_login(client, "anna-sub", next_url="/admin")
    assert r.status_code == 302 and r.headers["Location"] == "/admin"
    assert "Anna Demo" in client.get("/privatliv").get_data(as_text=True)
    assert _events(sso_app, "login")[-1] == ("000101", "000101", {"method": "single sign-on"})


def test_an_unknown_person_gets_a_danish_page_and_no_account(sso_app, oidc_provider):
    from klarret.db import db
    from klarret.org.models import Employee

    set_user(oidc_provider, "stranger", {"email": "ukendt@kk.dk"})
    client = sso_app.test_client()
    r = sso_login(client, "stranger")
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "Du findes ikke i KlarRets medarbejderliste" in html
    assert "HR" in html and "leder" in html  # whom to contact
    with sso_app.app_context():
        assert db.session.scalar(select(Employee).where(Employee.email == "ukendt@kk.dk")) is None
    assert client.get("/admin/medarbejdere").status_code == 302  # not logged in
    assert _events(sso_app, "login.sso_refused")[-1][2] == {"reason": "ukendt person"}


def test_a_leaver_is_refused(sso_app, oidc_provider):
    from klarret.db import db
    from klarret.org.models import Employee

    with sso_app.app_context():
        leaver = db.session.get(Employee, "000102")
        leaver.active, leaver.end_date = False, dt.date(2026, 11, 30)
        db.session.commit()
    set_user(oidc_provider, "bo-sub", {"email": "bo@demo.klarret.dk"})
    r = sso_login(sso_app.test_client(), "bo-sub")
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "Du er registreret som fratrådt" in html and "30. november 2026" in html
    assert _events(sso_app, "login.sso_refused")[-1][2] == {"reason": "fratrådt"}


def test_the_staff_claim_decides_and_a_token_without_it_is_refused(make_sso_app, oidc_provider):
    """With KLARRET_OIDC_STAFF_CLAIM the staff number matches, even against the e-mail; without it, refused."""
    app = make_sso_app(oidc_provider, KLARRET_OIDC_STAFF_CLAIM="employeeid")
    set_user(oidc_provider, "leila-sub", {"email": "anna@demo.klarret.dk", "employeeid": "000103"})
    client = app.test_client()
    assert sso_login(client, "leila-sub").status_code == 302
    assert _events(app, "login")[-1][0] == "000103"
    set_user(oidc_provider, "no-number", {"email": "anna@demo.klarret.dk"})
    r = sso_login(app.test_client(), "no-number")
    html = r.get_data(as_text=True)
    assert r.status_code == 403 and "Dit medarbejdernummer mangler" in html and "employeeid" in html
    assert _events(app, "login")[-1][0] == "000103", "never matched by e-mail instead"
    assert _events(app, "login.sso_refused")[-1][2] == {"reason": "mangler employeeid"}


def test_roles_come_from_the_token_at_every_login(sso_app, oidc_provider):
    """App roles map to KlarRet roles; a role removed at the provider is removed at the next login."""
    set_user(oidc_provider, "bo-sub", {"email": "bo@demo.klarret.dk", "roles": [EDITOR_ROLE, ADMIN_ROLE, "Other"]})
    client = sso_app.test_client()
    sso_login(client, "bo-sub")
    assert _person(sso_app, "000102").roles == {Role.EMPLOYEE, Role.EDITOR, Role.ADMINISTRATOR}
    assert client.get("/admin/medarbejdere").status_code == 200
    set_user(oidc_provider, "bo-sub", {"email": "bo@demo.klarret.dk", "roles": [EDITOR_ROLE]})
    client2 = sso_app.test_client()
    sso_login(client2, "bo-sub")
    assert _person(sso_app, "000102").roles == {Role.EMPLOYEE, Role.EDITOR}
    assert client2.get("/admin/medarbejdere").status_code == 403
    assert client.get("/admin/medarbejdere").status_code == 302, "the session with the old roles ended"
    set_user(oidc_provider, "bo-sub", {"email": "bo@demo.klarret.dk"})
    sso_login(sso_app.test_client(), "bo-sub")
    assert _person(sso_app, "000102").roles == {Role.EMPLOYEE}
    changes = [d for actor, target, d in _events(sso_app, "employee.role") if target == "000102"]
    assert [c["new"] for c in changes] == [["administrator", "editor", "employee"], ["editor", "employee"],
                                           ["employee"]]


def test_the_role_map_setting_is_used(make_sso_app, oidc_provider):
    app = make_sso_app(oidc_provider, KLARRET_OIDC_ROLE_MAP="Undervisere=trainer", KLARRET_OIDC_ROLES_CLAIM="groups")
    set_user(oidc_provider, "bo-sub", {"email": "bo@demo.klarret.dk", "groups": ["Undervisere"],
                                       "roles": [ADMIN_ROLE]})
    sso_login(app.test_client(), "bo-sub")
    assert _person(app, "000102").roles == {Role.EMPLOYEE, Role.TRAINER}


def _password_login(client, email: str) -> int:
    data = {"email": email, "password": DEMO_PASSWORD, "csrf_token": token(client, "/login")}
    return client.post("/login", data=data).status_code


def test_passwords_work_only_for_emergency_access(sso_app, oidc_provider):
    """An administrator marks emergency access (audited); only then does the password work."""
    assert _password_login(sso_app.test_client(), "admin@demo.klarret.dk") == 400
    assert _events(sso_app, "login.failed")[-1][2] == {"reason": "ikke nødadgang"}
    # The administrator logs in through single sign-on and gives Erik emergency access.
    set_user(oidc_provider, "admin-sub", {"email": "admin@demo.klarret.dk", "roles": [ADMIN_ROLE]})
    admin = sso_app.test_client()
    sso_login(admin, "admin-sub")
    page = admin.get("/admin/medarbejdere/000104").get_data(as_text=True)
    assert "Nødadgang" in page and 'name="rolle"' not in page, "roles are read-only with single sign-on"
    assert "Redaktør" in page
    r = admin.post("/admin/medarbejdere/000104", data={
        "noedadgang": "ja", "csrf_token": token(admin, "/admin/medarbejdere/000104")})
    assert r.status_code == 302
    assert _person(sso_app, "000104").emergency_access is True
    assert _person(sso_app, "000104").roles == {Role.EMPLOYEE, Role.EDITOR}, "the read-only roles are kept"
    assert _events(sso_app, "employee.emergency")[-1] == ("000105", "000104", {"emergency_access": True})
    erik = sso_app.test_client()
    assert _password_login(erik, "erik@demo.klarret.dk") == 302
    assert _events(sso_app, "login")[-1] == ("000104", "000104", {"method": "adgangskode"})


def test_the_login_page_and_content_policy_with_single_sign_on(sso_app, oidc_provider):
    r = sso_app.test_client().get("/login?next=/min-side")
    html = r.get_data(as_text=True)
    assert "Log ind med Københavns Kommunes login" in html and 'href="/login/sso?next=/min-side"' in html
    assert html.index("<summary>Nødadgang</summary>") < html.index('name="password"') < html.index("</details>")
    assert f"form-action 'self' {oidc_provider}" in r.headers["Content-Security-Policy"]
    assert "Kommunens login (single sign-on)" in sso_app.test_client().get("/privatliv").get_data(as_text=True)


def test_without_single_sign_on_nothing_changes(login_app):
    """make run: no provider, the password form as before, /login/sso is 404, the demo accounts log in."""
    client = login_app.test_client()
    r = client.get("/login")
    html = r.get_data(as_text=True)
    assert "Københavns Kommunes login" not in html and "<details" not in html
    assert "form-action 'self';" in r.headers["Content-Security-Policy"]
    assert client.get("/login/sso").status_code == 404 and client.get("/login/callback").status_code == 404
    assert _password_login(client, "anna@demo.klarret.dk") == 302
    assert "single sign-on" not in client.get("/privatliv").get_data(as_text=True)


def test_logout_ends_the_session_at_the_provider(sso_app, oidc_provider):
    set_user(oidc_provider, "anna-sub", {"email": "anna@demo.klarret.dk"})
    client = sso_app.test_client()
    sso_login(client, "anna-sub")
    r = client.post("/logout", data={"csrf_token": token(client, "/login")})
    assert r.status_code == 302
    target = urlsplit(r.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc_provider}/oauth2/end_session"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:5000/"] and query["id_token_hint"][0]
    assert client.get("/admin/medarbejdere").status_code == 302, "logged out here too"


def test_a_large_id_token_is_not_kept_in_the_cookie(sso_app, oidc_provider):
    """An ID token with many claims would push the session cookie past 4 KB: logout then names the client."""
    groups = [f"gruppe-{i}" for i in range(200)]
    set_user(oidc_provider, "anna-sub", {"email": "anna@demo.klarret.dk", "groups": groups})
    client = sso_app.test_client()
    sso_login(client, "anna-sub")
    assert len(client.get_cookie("session").value) < 3000
    query = parse_qs(urlsplit(client.post("/logout", data={"csrf_token": token(client, "/login")})
                              .headers["Location"]).query)
    assert query["client_id"] == [CLIENT_ID] and "id_token_hint" not in query


def test_logout_after_an_emergency_password_login_stays_here(sso_app):
    from klarret.db import db
    from klarret.org.models import Employee

    with sso_app.app_context():
        db.session.get(Employee, "000105").emergency_access = True
        db.session.commit()
    client = sso_app.test_client()
    assert _password_login(client, "admin@demo.klarret.dk") == 302
    assert client.post("/logout", data={"csrf_token": token(client, "/login")}).headers["Location"] == "/"
