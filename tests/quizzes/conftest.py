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


@pytest.fixture
def ralph(tmp_path):
    """Ralph, a real Learning Record Store (file-system backend), started for one test and stopped after."""
    from tests.conftest import require
    from tests.support.lrs import RALPH_PYTHON, Ralph

    require(RALPH_PYTHON.exists(), f"Ralph is not installed in {RALPH_PYTHON.parents[1]}: run 'make ralph-venv'")
    folder = tmp_path / "ralph"
    folder.mkdir()
    store = Ralph(folder)
    store.start()
    yield store
    store.stop()


@pytest.fixture
def recording_store():
    """An HTTP endpoint that counts the statements POSTed to it (see tests/support/lrs.py)."""
    from tests.support.lrs import RecordingStore

    store = RecordingStore()
    yield store
    store.close()


@pytest.fixture
def class_app(basic_build, database_url, tmp_path):
    """The classroom test courses (tests/support/classroom.py), the clock at its TODAY, mail to the outbox,
    and five people in SOF (3 manages Center A) and one in BIF."""
    from klarret.db import db
    from klarret.org.models import ensure_administrations
    from tests.support.classroom import TODAY, write_classroom_courses
    from tests.support.status_org import person

    app = make_app(basic_build, database_url, tmp_path, KLARRET_TODAY=TODAY, KLARRET_MAIL="outbox",
                   KLARRET_COURSES_DIR=write_classroom_courses(tmp_path / "courses"),
                   KLARRET_BASE_URL="https://klarret.test")
    with app.app_context():
        ensure_administrations()
        db.session.commit()
        for no in "12345":
            person(no, "SOF", "Center A / Team 1", email=f"p{no}@kk.dk", manages="Center A" if no == "3" else None)
        person("6", "BIF", "Jobcenter", email="p6@kk.dk")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
