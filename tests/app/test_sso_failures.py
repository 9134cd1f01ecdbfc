"""Single sign-on failures answer with a Danish page, never 500, and are audited as login.sso_failed.

The tampered answers come from a real HTTP relay in front of the real provider (tests/support/oidc.py).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from tests.support.oidc import Relay, local, provider_login, set_user, sso_login, start_login
from tests.support.web import free_port


def _failures(app) -> list[dict]:
    from klarret.audit import AuditEvent
    from klarret.db import db

    with app.app_context():
        return [e.details for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "login.sso_failed").order_by(AuditEvent.id))]


def _logged_in(app) -> bool:
    from klarret.auth.sessions import UserSession
    from klarret.db import db

    with app.app_context():
        return db.session.scalar(select(UserSession.id)) is not None


@pytest.fixture
def relay(oidc_provider):
    """The relay in front of the provider; each test sets its ``mode``."""
    with Relay(oidc_provider).running() as r:
        set_user(oidc_provider, "anna-sub", {"email": "anna@demo.klarret.dk"})
        yield r


def test_the_relay_itself_lets_a_genuine_login_through(make_sso_app, relay):
    """The control case: forwarded unchanged, the login works, so each failure below is the tampering's."""
    app = make_sso_app(relay.url)
    assert sso_login(app.test_client(), "anna-sub").status_code == 302
    assert _logged_in(app) and _failures(app) == []


@pytest.mark.parametrize(("mode", "reason"), [
    ("aud", "forkert aud i id-token"),
    ("iss", "forkert iss i id-token"),
    ("nonce", "forkert nonce i id-token"),
    ("expired", "id-token udløbet"),
    ("forged", "id-token afvist (BadSignatureError)"),
    ("foreign-key", "id-token afvist (BadSignatureError)"),
])
def test_a_tampered_id_token_is_refused(make_sso_app, relay, mode, reason):
    """Another client's token, another issuer, a wrong nonce, an expired token, a forged payload, an unknown key."""
    app = make_sso_app(relay.url)
    relay.mode = mode
    r = sso_login(app.test_client(), "anna-sub")
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and "Svaret fra kommunens login kunne ikke godkendes" in html
    assert 'lang="da"' in html
    assert _failures(app) == [{"reason": reason}]
    assert not _logged_in(app)


def test_a_tampered_state_is_refused(sso_app, oidc_provider):
    set_user(oidc_provider, "anna-sub", {"email": "anna@demo.klarret.dk"})
    client = sso_app.test_client()
    callback = urlsplit(provider_login(start_login(client), "anna-sub"))
    query = {k: v[0] for k, v in parse_qs(callback.query).items()}
    query["state"] = query["state"][:-4] + "AAAA"
    r = client.get(f"{callback.path}?{urlencode(query)}")
    assert r.status_code == 400 and "passer ikke til et login" in r.get_data(as_text=True)
    assert _failures(sso_app) == [{"reason": "ugyldig state"}]
    assert not _logged_in(sso_app)


def test_a_callback_replayed_in_another_browser_is_refused(sso_app, oidc_provider):
    """Login CSRF: a code and state started in one browser do nothing in another."""
    set_user(oidc_provider, "anna-sub", {"email": "anna@demo.klarret.dk"})
    callback = provider_login(start_login(sso_app.test_client()), "anna-sub")
    r = sso_app.test_client().get(local(callback))
    assert r.status_code == 400 and _failures(sso_app) == [{"reason": "ugyldig state"}]


def test_an_unreachable_provider_gets_a_danish_page(make_sso_app):
    app = make_sso_app(f"http://127.0.0.1:{free_port()}")
    client = app.test_client()
    r = client.get("/login/sso")
    html = r.get_data(as_text=True)
    assert r.status_code == 502 and "Kommunens login svarer ikke lige nu" in html
    assert _failures(app) == [{"reason": "udbyder utilgængelig"}]
    r = client.get("/login")  # the emergency form is still there
    assert r.status_code == 200 and "Nødadgang" in r.get_data(as_text=True)


def test_a_provider_that_goes_away_before_the_code_is_exchanged(make_sso_app, oidc_provider):
    """The provider answers the login, then is gone when KlarRet fetches the token: a Danish page."""
    set_user(oidc_provider, "anna-sub", {"email": "anna@demo.klarret.dk"})
    with Relay(oidc_provider).running() as relay:
        app = make_sso_app(relay.url)
        client = app.test_client()
        callback = provider_login(start_login(client), "anna-sub")
    r = client.get(local(callback))
    assert r.status_code == 502 and "Kommunens login svarer ikke lige nu" in r.get_data(as_text=True)
    assert _failures(app) == [{"reason": "udbyder utilgængelig"}]


def test_an_error_from_the_provider_is_a_danish_page(sso_app):
    """The provider sends the person back with error=access_denied (they pressed 'deny')."""
    client = sso_app.test_client()
    state = parse_qs(urlsplit(start_login(client)).query)["state"][0]
    r = client.get(f"/login/callback?error=access_denied&state={state}")
    assert r.status_code == 400 and "kunne ikke godkendes" in r.get_data(as_text=True)
    assert _failures(sso_app) == [{"reason": "udbyderen afviste (access_denied)"}]
