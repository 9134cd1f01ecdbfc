"""Fixtures shared by the app-level tests."""

from __future__ import annotations

import pytest

from tests.conftest import make_app


@pytest.fixture
def login_app(basic_build, database_url, tmp_path):
    """An app with the five demo accounts (password: tests.support.web.DEMO_PASSWORD)."""
    from klarret.db import db
    from klarret.demo import load_demo_data

    app = make_app(basic_build, database_url, tmp_path)
    with app.app_context():
        load_demo_data(population=False)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
