"""The `klarret` command and the database: migrations (one head), demo data, exit statuses."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select

from klarret.db import MIGRATIONS_DIR


def klarret(*args, env=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "klarret.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd, timeout=300)


def test_exactly_one_migration_head():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_migrations_match_the_models(db_app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from klarret.db import db

    with db_app.app_context():
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == [], "a model changed without a migration: run 'klarret db migrate'"


@pytest.mark.slow
def test_demo_data_is_idempotent(db_app):
    from klarret.db import db
    from klarret.demo import load_demo_data
    from klarret.org.models import Administration, Employee

    with db_app.app_context():
        first = load_demo_data()
        second = load_demo_data()
        assert first == second
        assert db.session.scalar(select(func.count()).select_from(Administration)) == 7
        assert db.session.get(Employee, "000101").unit.path == "Center for Udsatte Voksne / Team Nord"


@pytest.mark.slow
def test_cli_steps_and_exit_statuses(tmp_path):
    env = {"KLARRET_INSTANCE_PATH": str(tmp_path / "instance"),
           "KLARRET_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "KLARRET_BUILD_DIR": str(tmp_path / "build")}
    r = klarret("--help", env=env)
    assert r.returncode == 0
    for cmd in ("build", "index", "db", "demo-data", "serve", "staff"):
        assert cmd in r.stdout
    assert klarret("db", "upgrade", env=env).returncode == 0
    r = klarret("demo-data", env=env)
    assert r.returncode == 0 and "medarbejdere: 2000" in r.stdout
    r = klarret("index", env=env)
    assert r.returncode != 0 and "klarret build" in r.stderr
    assert klarret("findes-ikke", env=env).returncode != 0
