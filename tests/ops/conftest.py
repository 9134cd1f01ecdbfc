"""Fixtures of the operations tests: a seeded PostgreSQL database, and two `klarret serve` instances on it."""

from __future__ import annotations

import os

import pytest

from tests.conftest import make_app, require, reset_postgres
from tests.support import instances
from tests.support.live import seed


@pytest.fixture
def shared_db(guidance_build, tmp_path):
    """The PostgreSQL test database, emptied, migrated and seeded; the in-process app on it (for checks)."""
    url = os.environ.get("KLARRET_TEST_DATABASE_URL")
    require(bool(url), "several instances need PostgreSQL: KLARRET_TEST_DATABASE_URL is not set")
    reset_postgres(url)
    app = make_app(guidance_build, url, tmp_path / "checks")
    seed(app)
    yield app
    from klarret.db import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def two(shared_db, guidance_build, tmp_path):
    """Two `klarret serve` instances (two workers each) on the shared database."""
    running = instances.start(shared_db.config["SQLALCHEMY_DATABASE_URI"], guidance_build, tmp_path,
                              KLARRET_SEARCH_LOG_SECONDS="0.5")
    yield running
    instances.stop(running)
