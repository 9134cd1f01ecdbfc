"""Redirect targets taken from the request stay on the site: login's ``next`` and the search click link."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import make_app

# Targets a browser (or a proxy that decodes once more) would send to another site, run as script,
# or that would split the Location header.
TRICKY = [
    "//evil.example", "///evil.example", "////evil.example", "/\\evil.example", "\\\\evil.example",
    "/\\/evil.example", "\\/evil.example", "/\t/evil.example", "/%09/evil.example", "/\n/evil.example",
    "/\r/evil.example", "/\r\n/evil.example", "/%0a/evil.example", "/%0D%0A/evil.example",
    "/%2F%2Fevil.example", "/%2f/evil.example", "/%5Cevil.example", "/%5c%5cevil.example",
    "/%252F%252Fevil.example", "/\x00/evil.example", "/%00/evil.example", "https://evil.example",
    "HTTPS://evil.example/min-side", "http:evil.example", "http:/evil.example", "javascript:alert(1)",
    "JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>alert(1)</script>",
    "evil.example", " //evil.example", "\t//evil.example", "/min-side\r\nSet-Cookie: x=1", "",
]
GOOD = ["/min-side", "/soeg?q=fvl+%C2%A7+19&kapitel=aktindsigt", "/leder/enhed/3?kursus=a&status=forfalden",
        "/kurser/grundkursus", "/foer-afgoerelsen/partshoering.html#partshoering", "/?side=2",
        "/soeg?q=http%3A%2F%2Fexample.dk"]


@pytest.fixture(scope="module")
def redirect_app(basic_build, tmp_path_factory):
    """An app with the demo accounts, CSRF off: these tests are about the redirect, not the form."""
    from klarret.db import db
    from klarret.demo import load_demo_data

    tmp = tmp_path_factory.mktemp("redirects")
    app = make_app(basic_build, f"sqlite:///{tmp / 'db.sqlite'}", tmp, long_lived=True, WTF_CSRF_ENABLED=False)
    with app.app_context():
        load_demo_data(population=False)
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _login(app, query: str) -> str:
    r = app.test_client().post(f"/login{query}", data={"email": "anna@demo.klarret.dk", "password": "klarret-demo"})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return r.headers["Location"]


@pytest.fixture(scope="module")
def default_page(redirect_app) -> str:
    """Where a login without ``next`` lands."""
    return _login(redirect_app, "")


@pytest.mark.parametrize("target", TRICKY)
def test_login_never_redirects_to_a_tricky_target(redirect_app, default_page, target):
    assert _login(redirect_app, f"?next={quote(target, safe='')}") == default_page


def test_login_next_with_an_encoded_tab_reported_in_issue_10(redirect_app, default_page):
    # The request line of the finding, unchanged: it answered "Location: //evil.example".
    assert _login(redirect_app, "?next=/%09/evil.example") == default_page


@pytest.mark.parametrize("target", GOOD)
def test_login_returns_to_a_local_page(redirect_app, target):
    assert _login(redirect_app, f"?next={quote(target, safe='')}") == target


@pytest.mark.parametrize("target", TRICKY)
def test_search_click_refuses_a_tricky_target(redirect_app, target):
    client = redirect_app.test_client()
    r = client.get(f"/soeg/klik?s=abc&r=1&u={quote(target, safe='')}")
    assert r.status_code == 400 and "Linket peger ikke på en side i KlarRet" in r.get_data(as_text=True)
    assert client.post(f"/soeg/klik?s=abc&u={quote(target, safe='')}").status_code == 400


@pytest.mark.parametrize("target", GOOD)
def test_search_click_follows_a_local_target(redirect_app, target):
    r = redirect_app.test_client().get(f"/soeg/klik?s=abc&r=1&u={quote(target, safe='')}")
    assert r.status_code == 302 and r.headers["Location"] == target
