"""Shared fixtures: the real guidance built once per session, apps on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from klarret.build import run_sphinx
from klarret.settings import ROOT, SOURCE_DIR

ROOTS = Path(__file__).parent / "roots"
IN_CI = os.environ.get("CI") == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally when a service is missing; fail in CI, where every service must be there."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (required when CI=true)")
        pytest.skip(reason)


def build_guidance(source: Path, out: Path, confdir: Path | None = None, jobs: str = "1",
                   fresh: bool = True) -> int:
    """sphinx-build -W a guidance tree into out/html (doctrees in out/doctrees)."""
    return run_sphinx(source, confdir or source, out / "html", out / "doctrees", fresh=fresh,
                      jobs=jobs, quiet=True)


@pytest.fixture(scope="session")
def guidance_build(tmp_path_factory) -> Path:
    """The real guidance, built once per test session with -W, plus its search index."""
    from search.indexer import build_index

    out = tmp_path_factory.mktemp("guidance")
    status = build_guidance(SOURCE_DIR, out, confdir=ROOT, jobs="auto")
    assert status == 0, "the real guidance must build with -W (see the warnings above)"
    build_index(out / "html", out / "index", echo=lambda *_: None)
    return out


@pytest.fixture(scope="session")
def basic_build(tmp_path_factory) -> Path:
    """The extension's tiny test root, built once, with its index."""
    from search.indexer import build_index

    out = tmp_path_factory.mktemp("basic")
    assert build_guidance(ROOTS / "basic", out) == 0
    build_index(out / "html", out / "index", echo=lambda *_: None)
    return out


def database_urls() -> list[str]:
    """SQLite and PostgreSQL, both always collected: ``database_url`` skips the PostgreSQL cases with a
    reason when no test database is set, and fails them when CI=true."""
    return ["sqlite", "postgresql"]


@pytest.fixture(params=database_urls())
def database_url(request, tmp_path) -> str:
    """A fresh database: SQLite in a temporary folder, or the PostgreSQL test database emptied."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'klarret.db'}"
    url = os.environ.get("KLARRET_TEST_DATABASE_URL")
    require(bool(url), "PostgreSQL case: KLARRET_TEST_DATABASE_URL is not set "
                       "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    reset_postgres(url)
    return url


def reset_postgres(url: str) -> None:
    """Empty the test database (tests start from an empty database); skip, or fail in CI, if it is down."""
    import sqlalchemy as sa

    from klarret.db import reset_postgres as drop_all

    try:
        drop_all(url)
    except sa.exc.OperationalError as exc:
        require(False, f"PostgreSQL at {url} does not answer: {exc.orig}")


def make_app(build_dir: Path, database_url: str, tmp_path: Path, long_lived: bool = False, **extra):
    """An app on ``build_dir`` and ``database_url``, migrated to head."""
    from flask_migrate import upgrade

    from klarret.app import create_app
    from klarret.db import db

    os.environ["KLARRET_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
        "KLARRET_BUILD_DIR": build_dir, "KLARRET_HTML_DIR": build_dir / "html",
        "KLARRET_INDEX_DIR": build_dir / "index", **extra,
    })
    with app.app_context():
        upgrade()
        db.session.remove()
    if not long_lived:  # a session-wide app (the live server) keeps its writer
        _apps.append(app)
    return app


_apps: list = []


@pytest.fixture(autouse=True)
def _stop_background_writers():
    """Stop each test app's search-log writer, so a late flush cannot land in the next test's database."""
    yield
    while _apps:
        from search import search_log

        log = search_log(_apps.pop())
        if log is not None:
            log.close(flush=False)


def _closed_after(app):
    """Yield ``app`` to the test, then close its sessions and connections (SQLite warns about open ones)."""
    from klarret.db import db

    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(guidance_build, database_url, tmp_path):
    """The app on the real guidance and a fresh, migrated database."""
    app = make_app(guidance_build, database_url, tmp_path)
    yield from _closed_after(app)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def tree_copy(tmp_path):
    """A writable copy of a test root (for builds that must fail or be edited)."""

    def copy(name: str = "basic") -> Path:
        dst = tmp_path / name
        shutil.copytree(ROOTS / name, dst)
        return dst

    return copy


@pytest.fixture
def db_app(basic_build, database_url, tmp_path):
    """An app on the tiny test root, for tests that need the database, not the real guidance."""

    app = make_app(basic_build, database_url, tmp_path)
    yield from _closed_after(app)


@pytest.fixture
def quiz_app(basic_build, database_url, tmp_path):
    """An app with the test course and the demo's accounts (no population: these tests count rows)."""
    from klarret.demo import load_demo_data
    from tests.support.attempts import TEST_COURSES

    courses = tmp_path / "courses"
    shutil.copytree(TEST_COURSES, courses)
    app = make_app(basic_build, database_url, tmp_path, KLARRET_COURSES_DIR=courses)
    with app.app_context():
        load_demo_data(population=False)
    yield from _closed_after(app)


@pytest.fixture
def qclient(quiz_app):
    """A client of ``quiz_app``, logged in as the demo's Anna."""
    from tests.support.web import login

    c = quiz_app.test_client()
    login(c)
    return c


@pytest.fixture
def report_org_app(basic_build, database_url, tmp_path):
    """The report tests' hand-computed organisation (tests/support/report_org.py), the clock at its TODAY."""
    from tests.support.report_org import make_report_app

    app = make_report_app(basic_build, database_url, tmp_path)
    yield from _closed_after(app)
