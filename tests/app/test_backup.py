"""`klarret backup` / `klarret restore`: a round trip keeps every row; the refusals; the file is private."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import tarfile

import pytest
import sqlalchemy as sa

from klarret.backup import BackupError, create, read_manifest, restore
from klarret.schema import head_revision


def snapshot(engine: sa.Engine) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a checksum of every row (sorted, so the order rows come back in does not count)."""
    metadata = sa.MetaData()
    metadata.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in sorted(metadata.tables.items()):
            rows = sorted(repr(tuple(row)) for row in conn.execute(sa.select(table)))
            out[name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return out


@pytest.fixture
def demo_app(db_app):
    """The test app with the full demo data (organisation, ~2,000 people, attempts, accounts)."""
    from klarret.demo import load_demo_data

    with db_app.app_context():
        load_demo_data()
    return db_app


def _engine(app) -> sa.Engine:
    from klarret.db import db

    with app.app_context():
        return db.engine


@pytest.mark.slow
def test_round_trip_keeps_every_row_of_every_table(demo_app, tmp_path):
    engine = _engine(demo_app)
    before = snapshot(engine)
    assert before["employee"][0] > 1000 and before["alembic_version"][0] == 1
    file = tmp_path / "backup" / "klarret.backup"
    file.parent.mkdir()

    manifest = create(engine, file)
    assert stat.S_IMODE(file.stat().st_mode) == 0o600, "the backup holds personal data: owner only"
    assert manifest["revision"] == head_revision() and manifest["kind"] == engine.dialect.name
    assert read_manifest(file) == manifest
    assert list(file.parent.iterdir()) == [file], "no temporary file is left beside it"

    with engine.begin() as conn:  # the day goes on after the backup: people change, a table is emptied
        conn.execute(sa.text("UPDATE employee SET name = 'Ændret' WHERE staff_no IN "
                             "(SELECT staff_no FROM employee ORDER BY staff_no LIMIT 50)"))
        conn.execute(sa.text("DELETE FROM audit_event"))
    assert snapshot(engine) != before

    with pytest.raises(BackupError, match="indeholder allerede data"):
        restore(engine, file)
    restore(engine, file, force=True)
    assert snapshot(engine) == before


@pytest.mark.slow
def test_restore_into_an_empty_database_needs_no_force(demo_app, database_url, tmp_path):
    from tests.conftest import reset_postgres

    engine = _engine(demo_app)
    before = snapshot(engine)
    file = tmp_path / "klarret.backup"
    create(engine, file)
    engine.dispose()
    if engine.dialect.name == "postgresql":
        reset_postgres(database_url)  # nothing at all, not even Alembic's table
        target = engine
    else:
        target = sa.create_engine(f"sqlite:///{tmp_path / 'new.db'}")
    restore(target, file)
    assert snapshot(target) == before
    target.dispose()


def test_an_empty_migrated_database_counts_as_empty(db_app, tmp_path):
    engine = _engine(db_app)
    file = tmp_path / "klarret.backup"
    create(engine, file)
    restore(engine, file)  # only alembic_version has a row: no --force needed
    assert snapshot(engine)["alembic_version"][0] == 1


def _rewrite_manifest(src, dst, **changes) -> None:
    with tarfile.open(src) as tar_in, tarfile.open(dst, "w:gz") as tar_out:
        for member in tar_in.getmembers():
            data = tar_in.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps({**json.loads(data), **changes}).encode()
                member.size = len(data)
            tar_out.addfile(member, io.BytesIO(data))


def test_restore_refuses_a_newer_version_and_the_other_kind_of_database(db_app, tmp_path):
    engine = _engine(db_app)
    file = tmp_path / "klarret.backup"
    create(engine, file)
    newer, other = tmp_path / "newer.backup", tmp_path / "other.backup"
    _rewrite_manifest(file, newer, revision="f9future0001")
    _rewrite_manifest(file, other, kind="postgresql" if engine.dialect.name == "sqlite" else "sqlite")
    with pytest.raises(BackupError, match="nyere udgave af KlarRet"):
        restore(engine, newer, force=True)
    with pytest.raises(BackupError, match="Gendan den med de indstillinger"):
        restore(engine, other, force=True)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hej")
    with pytest.raises(BackupError, match="ikke en sikkerhedskopi"):
        restore(engine, not_a_backup)


def test_missing_postgres_tools_give_a_danish_message(db_app, tmp_path, monkeypatch):
    engine = _engine(db_app)
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite needs no tools")  # the PostgreSQL case of the same test runs it
    file = tmp_path / "klarret.backup"
    create(engine, file)
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without PostgreSQL's client programs
    with pytest.raises(BackupError, match="pg_dump findes ikke.*postgresql-client"):
        create(engine, tmp_path / "again.backup")
    with pytest.raises(BackupError, match="pg_restore findes ikke"):
        restore(engine, file, force=True)
    assert snapshot(engine)["alembic_version"][0] == 1, "nothing was dropped before the tool was found missing"


@pytest.mark.slow
def test_the_commands(db_app, database_url, tmp_path):
    from tests.support.processes import command_env, run

    env = command_env(tmp_path, database_url)
    file = tmp_path / "klarret.backup"
    r = run("backup", str(file), env=env)
    assert r.returncode == 0 and "Sikkerhedskopi gemt" in r.stdout, r.stderr
    from klarret.demo import load_demo_data

    with db_app.app_context():
        load_demo_data(population=False)
    r = run("restore", str(file), env=env)
    assert r.returncode == 1 and "--force" in r.stderr and "Traceback" not in r.stderr
    r = run("restore", str(file), "--force", env=env)
    assert r.returncode == 0 and "Databasen er gendannet fra sikkerhedskopien taget" in r.stdout, r.stderr
    assert snapshot(_engine(db_app))["employee"][0] == 0
