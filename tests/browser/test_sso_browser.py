"""In the browser: single sign-on through the forms of a real, certified provider (npm oidc-provider)."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from tests.conftest import make_app, require
from tests.support.web import free_port

ROOT = Path(__file__).resolve().parents[2]
OP_SCRIPT = ROOT / "tests" / "support" / "op.mjs"
CLIENT_ID, CLIENT_SECRET = "klarret-browser", "browser-test-secret"


@pytest.fixture
def sso_site(basic_build, tmp_path):
    """npm oidc-provider on one port and KlarRet (single sign-on on, the demo accounts) on another."""
    node = shutil.which("node")
    require(node is not None and (ROOT / "node_modules" / "oidc-provider").exists(),
            "node or npm oidc-provider is missing (npm ci)")
    op_port, site_port = free_port(), free_port()
    site, issuer = f"http://127.0.0.1:{site_port}", f"http://127.0.0.1:{op_port}"
    config = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uri": f"{site}/login/callback",
              "post_logout_redirect_uri": f"{site}/",
              "accounts": {"anna": {"email": "anna@demo.klarret.dk", "name": "Anna Demo",
                                    "roles": ["KlarRet.Redaktoer"]}}}
    op = subprocess.Popen([node, str(OP_SCRIPT), str(op_port), json.dumps(config)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(f"{issuer}/.well-known/openid-configuration", op)
        from werkzeug.serving import make_server

        from klarret.demo import load_demo_data

        app = make_app(basic_build, f"sqlite:///{tmp_path / 'sso.db'}", tmp_path, KLARRET_BASE_URL=site,
                       KLARRET_OIDC_ISSUER=issuer, KLARRET_OIDC_CLIENT_ID=CLIENT_ID,
                       KLARRET_OIDC_CLIENT_SECRET=CLIENT_SECRET)
        with app.app_context():
            load_demo_data(population=False)
        server = make_server("127.0.0.1", site_port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield app, site, issuer
        server.shutdown()
        thread.join(5)
    finally:
        op.terminate()
        op.wait(10)


def _wait_for(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"oidc-provider stopped: {process.stdout.read()}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.2)
    pytest.fail(f"oidc-provider did not answer at {url}")


@pytest.mark.slow
def test_log_in_and_out_through_the_providers_forms(page, axe, sso_site):
    """The button, the provider's login and consent forms, back logged in with the token's role; logout
    ends the session at the provider too (the content policy lets the logout form's redirect go there)."""
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.roles import Role

    app, site, issuer = sso_site
    page.goto(f"{site}/login")
    assert axe(page) == []
    assert not page.get_by_label("Adgangskode").is_visible(), "the password form is folded under Nødadgang"
    page.get_by_role("link", name="Log ind med Københavns Kommunes login").click()
    page.wait_for_url(f"{issuer}/interaction/**")
    page.fill("input[name=login]", "anna")
    page.fill("input[name=password]", "any")
    page.click("button[type=submit]")
    page.wait_for_url(f"{issuer}/interaction/**")  # the consent form
    page.click("button[type=submit]")
    page.wait_for_url(f"{site}/**")
    logout = page.get_by_role("button", name="Log ud")  # the header: the name, then "Log ud"
    assert logout.is_visible() and page.locator(".kr-user__name").inner_text() == "Anna Demo"
    with app.app_context():
        assert db.session.get(Employee, "000101").roles == {Role.EMPLOYEE, Role.EDITOR}
    logout.click()
    page.wait_for_url(f"{issuer}/session/end**")
    page.click("button[type=submit][value=yes], button[autofocus]")
    page.wait_for_url(f"{site}/?state=*")  # back on the front page
    page.goto(f"{site}/min-side")
    page.wait_for_url(f"{site}/login?next=/min-side")  # logged out here too
