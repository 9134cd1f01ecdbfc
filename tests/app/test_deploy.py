"""Deploying: `serve` refuses an outdated database, `db upgrade` migrates once when two deploys race,
the secret key is required on a shared database, and /healthz is liveness only."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from klarret import settings
from klarret.db import MIGRATIONS_DIR
from klarret.schema import head_revision, migration_lock
from tests.support.processes import command_env, get, run, serving, start


def _script() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg)


def _revision(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(sa.text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_serve_refuses_a_database_that_is_not_migrated(database_url, tmp_path):
    env = command_env(tmp_path, database_url)
    r = run("serve", "--port", "1", env=env, timeout=120)
    assert r.returncode == 1
    assert "Databasen er ikke oprettet endnu" in r.stderr and "klarret db upgrade" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_serve_refuses_an_older_migration_and_starts_after_upgrade(database_url, basic_build, tmp_path):
    env = command_env(tmp_path, database_url, build_dir=basic_build)
    previous = _script().get_revision(head_revision()).down_revision
    assert isinstance(previous, str)
    # As if the new code were deployed before its migration ran.
    assert run("db", "upgrade", previous, env=env).returncode == 0
    r = run("serve", "--port", "1", env=env, timeout=120)
    assert r.returncode == 1 and f"version {previous}" in r.stderr and head_revision() in r.stderr
    assert "klarret db upgrade" in r.stderr

    assert run("db", "upgrade", env=env).returncode == 0
    with serving(env, workers=1) as (base, _):
        assert get(base + "/readyz")[0] == 200


def test_a_database_from_a_newer_version_is_refused_without_advice_to_upgrade(db_app):
    from klarret.db import db
    from klarret.schema import SchemaError, check_current

    with db_app.app_context():
        check_current(db.engine)  # at head: nothing to say
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f9future0001'"))
        with pytest.raises(SchemaError, match="nyere udgave af KlarRet") as caught:
            check_current(db.engine)
    assert "db upgrade" not in str(caught.value), "upgrading cannot help: this code is the older one"


@pytest.mark.slow
def test_two_upgrades_at_once_both_succeed_and_migrate_once(database_url, tmp_path):
    env = command_env(tmp_path, database_url)
    procs = [start("db", "upgrade", env=env) for _ in range(2)]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    for code, err in results:
        assert code == 0, err[-2000:]
    assert _revision(database_url) == [head_revision()]


@pytest.mark.slow
def test_upgrade_waits_for_the_migration_lock(database_url, tmp_path):
    """A second deploy's `db upgrade` does not start migrating while another one holds the lock."""
    env = command_env(tmp_path, database_url)
    engine = sa.create_engine(database_url)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with engine.connect() as conn, migration_lock(conn):
            held.set()
            release.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        proc = start("db", "upgrade", env=env)
        time.sleep(8)  # long enough for an unlocked upgrade to finish (≈3 s here)
        assert proc.poll() is None, "db upgrade ran while another process held the migration lock"
        assert not sa.inspect(engine).has_table("alembic_version")
    finally:
        release.set()
        holder.join()
    assert proc.wait(timeout=300) == 0, proc.stderr.read()[-2000:]
    assert _revision(database_url) == [head_revision()]
    engine.dispose()


def test_a_shared_database_needs_the_secret_key(tmp_path):
    environ = {"KLARRET_INSTANCE_PATH": str(tmp_path), "KLARRET_DATABASE_URL": "postgresql+psycopg://db/klarret"}
    with pytest.raises(settings.SettingsError, match="KLARRET_SECRET_KEY skal være sat"):
        settings.with_secret_key(settings.load(environ))
    assert not (tmp_path / "secret_key").exists(), "no instance may invent its own key"
    given = settings.with_secret_key(settings.load({**environ, "KLARRET_SECRET_KEY": "shared"}))
    assert given.secret_key == "shared"
    # SQLite is one machine's database: a key kept in the instance folder is still fine there.
    local = settings.with_secret_key(settings.load({"KLARRET_INSTANCE_PATH": str(tmp_path)}))
    assert local.secret_key == (tmp_path / "secret_key").read_text().strip()


@pytest.mark.slow
def test_the_command_stops_with_the_danish_message_without_the_key(tmp_path):
    env = command_env(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/none")
    del env["KLARRET_SECRET_KEY"]
    r = run("serve", env=env, timeout=120)
    assert r.returncode == 1 and "KLARRET_SECRET_KEY skal være sat" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_serve_says_so_when_the_database_does_not_answer(tmp_path):
    env = command_env(tmp_path, "postgresql+psycopg://postgres@127.0.0.1:1/none")  # nothing listens on port 1
    r = run("serve", env=env, timeout=120)
    assert r.returncode == 1 and "KlarRet kan ikke nå databasen" in r.stderr and "Traceback" not in r.stderr


def test_healthz_is_liveness_and_readyz_checks_the_database(basic_build, tmp_path):
    from klarret.app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "KLARRET_INSTANCE_PATH": tmp_path / "instance",
                      # nothing listens on port 1: the database is down
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none",
                      "KLARRET_BUILD_DIR": basic_build})
    client = app.test_client()
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"ok": True}
    r = client.get("/readyz")
    body = r.get_json()
    assert r.status_code == 503 and body["checks"]["database"]["ok"] is False
    assert body["checks"]["search"]["ok"] is True
