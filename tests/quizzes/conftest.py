"""Fixtures of the quizzes tests."""

from __future__ import annotations

import pytest

from tests.conftest import make_app


@pytest.fixture
def rules_app(basic_build, database_url, tmp_path):
    """An app with the rule-bearing test courses (tests/support/status_org.py) and the seven administrations,
    no people yet."""
    from klarret.db import db
    from klarret.org.models import ensure_administrations
    from tests.support.status_org import write_courses

    app = make_app(basic_build, database_url, tmp_path, KLARRET_COURSES_DIR=write_courses(tmp_path / "courses"))
    with app.app_context():
        ensure_administrations()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
