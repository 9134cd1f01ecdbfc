"""Login under attack (issue 10, findings 2 and 14): throttles in the database, capped hashing, no account
enumeration by timing, and every login and failed login in the audit log."""

from __future__ import annotations

import re
import threading
from types import SimpleNamespace

from sqlalchemy import select

from tests.conftest import make_app
from tests.support.web import DEMO_PASSWORD as RIGHT


def _try(app, email: str, password: str, address: str = "10.0.0.1"):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    tok = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": tok},
                       environ_base={"REMOTE_ADDR": address})


def test_an_account_is_locked_after_five_failures_even_for_the_right_password(login_app):
    for _ in range(5):
        assert _try(login_app, "anna@demo.klarret.dk", "forkert").status_code == 400
    r = _try(login_app, "anna@demo.klarret.dk", RIGHT)
    assert r.status_code == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 30
    assert "For mange forkerte forsøg" in r.get_data(as_text=True)
    assert _try(login_app, "bo@demo.klarret.dk", RIGHT).status_code == 302, "other accounts are not locked"


def test_the_wait_doubles_and_a_success_resets_it(login_app, monkeypatch):
    from klarret.auth import throttle

    for _ in range(5):
        _try(login_app, "anna@demo.klarret.dk", "forkert")
    first = int(_try(login_app, "anna@demo.klarret.dk", RIGHT).headers["Retry-After"])
    later = throttle.clock.now() + throttle.dt.timedelta(seconds=first + 1)
    monkeypatch.setattr(throttle.clock, "now", lambda: later)
    assert _try(login_app, "anna@demo.klarret.dk", "forkert").status_code == 400  # the lock has run out
    second = int(_try(login_app, "anna@demo.klarret.dk", RIGHT).headers["Retry-After"])
    assert second > first + 20, (first, second)  # 30 s, then 60 s
    much_later = later + throttle.dt.timedelta(seconds=second + 1)
    monkeypatch.setattr(throttle.clock, "now", lambda: much_later)
    assert _try(login_app, "anna@demo.klarret.dk", RIGHT).status_code == 302
    assert _try(login_app, "anna@demo.klarret.dk", "forkert").status_code == 400, "a success starts afresh"


def test_one_address_guessing_many_accounts_is_throttled_generously(login_app):
    from klarret import settings

    settings.override(login_app, {"KLARRET_LOGIN_ADDRESS_FAILURES": "8"})
    for i in range(8):
        assert _try(login_app, f"gaet{i}@demo.klarret.dk", "forkert", address="10.9.9.9").status_code == 400
    assert _try(login_app, "bo@demo.klarret.dk", RIGHT, address="10.9.9.9").status_code == 429
    assert _try(login_app, "bo@demo.klarret.dk", RIGHT, address="10.9.9.10").status_code == 302


def test_the_lock_is_kept_in_the_database_so_every_instance_sees_it(login_app, basic_build, database_url, tmp_path):
    for _ in range(5):
        _try(login_app, "anna@demo.klarret.dk", "forkert")
    other = make_app(basic_build, database_url, tmp_path / "other")  # a second instance, same database
    assert _try(other, "anna@demo.klarret.dk", RIGHT).status_code == 429


def test_an_unknown_email_costs_a_password_check_too(login_app, monkeypatch):
    """The same argon2 work for an unknown e-mail, so the answer time does not reveal who has an account."""
    from klarret.auth import passwords

    checks = []
    real = passwords.hasher.verify
    monkeypatch.setattr(passwords, "hasher", SimpleNamespace(verify=lambda h, p: checks.append(h) or real(h, p)))
    assert _try(login_app, "findes.ikke@demo.klarret.dk", "forkert").status_code == 400
    assert len(checks) == 1 and checks[0].startswith("$argon2")


def test_concurrent_password_checks_are_capped(login_app, monkeypatch):
    from klarret import settings
    from klarret.auth import passwords

    settings.override(login_app, {"KLARRET_LOGIN_HASH_SLOTS": "1"})
    inside, release = threading.Event(), threading.Event()
    real = passwords.hasher.verify

    def slow(h, p):
        inside.set()
        release.wait(5)
        return real(h, p)

    monkeypatch.setattr(passwords, "hasher", SimpleNamespace(verify=slow))
    results = []
    t = threading.Thread(target=lambda: results.append(_try(login_app, "anna@demo.klarret.dk", RIGHT).status_code))
    t.start()
    assert inside.wait(5)
    busy = _try(login_app, "bo@demo.klarret.dk", RIGHT)
    release.set()
    t.join(10)
    assert busy.status_code == 503 and busy.headers.get("Retry-After")
    assert "logger mange ind" in busy.get_data(as_text=True)
    assert results == [302]


def test_logins_and_failed_logins_are_audited_without_passwords(login_app):
    from klarret.audit import AuditEvent
    from klarret.db import db

    _try(login_app, "anna@demo.klarret.dk", "hemmeligt-forkert")
    _try(login_app, "anna@demo.klarret.dk", RIGHT)
    _try(login_app, "ukendt@demo.klarret.dk", "hemmeligt-forkert")
    with login_app.app_context():
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action.like("login%"))
                                    .order_by(AuditEvent.id)).all()
        rows = [(e.action, e.actor, e.target) for e in events]
        text = repr([e.details for e in events])
    assert rows == [("login.failed", "anonym", "000101"), ("login", "000101", "000101"),
                    ("login.failed", "anonym", "")]
    assert "hemmeligt" not in text and "klarret-demo" not in text
