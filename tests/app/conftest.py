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
