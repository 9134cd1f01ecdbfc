"""Fixtures shared by the app-level tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def login_app(db_app):
    """An app with the five demo accounts (password: tests.support.web.DEMO_PASSWORD)."""
    from klarret.demo import load_demo_data

    with db_app.app_context():
        load_demo_data(population=False)
    return db_app


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID provider (PyPI oidc-provider-mock) in a thread, for the session: its issuer URL."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def make_sso_app(basic_build, database_url, tmp_path):
    """A factory: an app with single sign-on against ``issuer`` and the five demo accounts."""
    from klarret.demo import load_demo_data
    from tests.conftest import make_app
    from tests.support.oidc import CLIENT_ID

    made = []

    def make(issuer: str, **extra):
        app = make_app(basic_build, database_url, tmp_path, KLARRET_OIDC_ISSUER=issuer,
                       KLARRET_OIDC_CLIENT_ID=CLIENT_ID, KLARRET_OIDC_CLIENT_SECRET="test-secret", **extra)
        with app.app_context():
            load_demo_data(population=False)
        made.append(app)
        return app

    yield make
    from klarret.db import db

    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def sso_app(make_sso_app, oidc_provider):
    """An app with single sign-on against the in-process provider, matching people by e-mail."""
    return make_sso_app(oidc_provider)
