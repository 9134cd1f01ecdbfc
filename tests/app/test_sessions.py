"""Sessions (issue 10, finding 4): revoked on the server, idle and absolute limits, no staff number in the cookie."""

from __future__ import annotations

import base64
import json
import re
import zlib

import pytest

from tests.support.web import DEMO_PASSWORD as RIGHT


def _login(app, email="anna@demo.klarret.dk"):
    client = app.test_client()
    tok = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    r = client.post("/login", data={"email": email, "password": RIGHT, "csrf_token": tok})
    assert r.status_code == 302
    return client


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _stolen(app, cookie: str):
    """Another browser holding a copy of the cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief


def _payload(cookie: str) -> str:
    """What anyone can read in Flask's signed (not encrypted) session cookie."""
    data = cookie.split(".")[1] if cookie.startswith(".") else cookie.split(".")[0]
    raw = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    return zlib.decompress(raw).decode() if cookie.startswith(".") else raw.decode()


def test_a_cookie_is_worthless_after_logout(login_app):
    client = _login(login_app)
    copy = _cookie(client)
    assert _stolen(login_app, copy).get("/min-side").status_code == 200
    tok = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/min-side").get_data(as_text=True)).group(1)
    client.post("/logout", data={"csrf_token": tok})
    r = _stolen(login_app, copy).get("/min-side")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_the_cookie_does_not_hold_the_staff_number(login_app):
    payload = _payload(_cookie(_login(login_app)))
    assert "000101" not in payload
    json.loads(payload)  # it is Flask's session, readable: which is why it must hold nothing personal


def test_a_role_change_ends_the_persons_sessions(login_app):
    from klarret.db import db
    from klarret.org.models import Employee

    client = _login(login_app)
    assert client.get("/min-side").status_code == 200
    admin = _login(login_app, "admin@demo.klarret.dk")
    url = "/admin/medarbejdere/000101"
    tok = re.search(r'name="csrf_token" value="([^"]+)"', admin.get(url).get_data(as_text=True)).group(1)
    assert admin.post(url, data={"csrf_token": tok, "rolle": ["editor"]}).status_code == 302
    with login_app.app_context():
        assert "editor" in db.session.get(Employee, "000101").roles
    assert client.get("/min-side").status_code == 302, "the old session does not carry the old roles"


@pytest.mark.parametrize("field, minutes", [("seen_at", 241), ("created_at", 13 * 60)])
def test_idle_and_absolute_limits(login_app, field, minutes):
    import datetime as dt

    from klarret.auth.sessions import UserSession
    from klarret.db import db

    client = _login(login_app)
    assert client.get("/min-side").status_code == 200
    with login_app.app_context():
        for row in db.session.query(UserSession):
            setattr(row, field, getattr(row, field) - dt.timedelta(minutes=minutes))
        db.session.commit()
    r = client.get("/min-side")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    assert "logget ud" in client.get(r.headers["Location"]).get_data(as_text=True)


def test_an_answer_saved_after_expiry_gets_401_in_danish(login_app):
    client = _login(login_app)
    tok = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/min-side").get_data(as_text=True)).group(1)
    from klarret.auth.sessions import UserSession
    from klarret.db import db

    with login_app.app_context():
        db.session.query(UserSession).delete()
        db.session.commit()
    r = client.post("/api/forsoeg/1/svar", json={"question": "t-1", "options": ["a"]}, headers={"X-CSRFToken": tok})
    assert r.status_code == 401 and "Log ind igen" in r.get_json()["error"]["message"]


def test_cookie_flags_and_a_fresh_session_at_login(login_app):
    from klarret import settings

    client = login_app.test_client()
    client.get("/login")
    before = _cookie(client)
    tok = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    r = client.post("/login", data={"email": "anna@demo.klarret.dk", "password": RIGHT, "csrf_token": tok})
    header = r.headers["Set-Cookie"]
    assert "SameSite=Lax" in header and "HttpOnly" in header and "Secure" not in header
    assert _cookie(client) != before
    settings.override(login_app, {"KLARRET_BASE_URL": "https://klarret.kk.dk"})
    secure = login_app.test_client()
    secure.get("/login", base_url="https://klarret.kk.dk")
    assert "Secure" in secure.get("/login", base_url="https://klarret.kk.dk").headers.get("Set-Cookie", "Secure")
