"""The database's migration version: `serve` refuses an outdated database; `db upgrade` migrates once at a time.

Two deploys started at once must not both migrate: the migration run (klarret/migrations/env.py) holds
``migration_lock`` for its whole length, a PostgreSQL advisory lock or a file lock beside the SQLite file.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text

from klarret.db import MIGRATIONS_DIR

# Any fixed 64-bit number names the lock; every KlarRet instance on the database uses the same one.
ADVISORY_LOCK_ID = 0x4B6C617252657401  # "KlarRet" + 1


class SchemaError(RuntimeError):
    """The database is not at the code's migration; the message (Danish) says to run `klarret db upgrade`."""


def _scripts() -> ScriptDirectory:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(cfg)


def head_revision() -> str:
    """The newest migration the code knows."""
    head = _scripts().get_current_head()
    assert head is not None, "the migrations folder has no head"
    return head


def known_revisions() -> set[str]:
    """Every migration the code knows (a database at another one was migrated by a newer KlarRet)."""
    return {script.revision for script in _scripts().walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None: never migrated)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_current(engine: Engine) -> None:
    """Raise SchemaError unless the database is at the code's newest migration."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if current is None:
        state = "Databasen er ikke oprettet endnu"
    elif current not in known_revisions():  # another instance already runs a newer KlarRet
        raise SchemaError(f"Databasen er opdateret af en nyere udgave af KlarRet (version {current}), som denne "
                          "udgave ikke kender. Installér den samme udgave af KlarRet som på de andre "
                          "maskiner, og start så igen.")
    else:
        state = f"Databasen er på version {current}, men denne udgave af KlarRet skal bruge {head}"
    raise SchemaError(f"{state}. Kør 'klarret db upgrade' (med de samme indstillinger), og start så igen.")


@contextmanager
def migration_lock(connection: Connection) -> Iterator[None]:
    """Hold the database's migration lock: a second `db upgrade` waits here, then finds nothing left to do."""
    if connection.dialect.name == "postgresql":
        # A session-level lock on the migration's own connection: released at unlock or if the process dies.
        connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": ADVISORY_LOCK_ID})
        connection.commit()  # the lock outlives this statement's transaction; the migrations open their own
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": ADVISORY_LOCK_ID})
            connection.commit()
        return
    path = _lock_file(connection)
    if path is None:  # an in-memory SQLite database: only this process can see it
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes, also if the process dies
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_file(connection: Connection) -> Path | None:
    database = connection.engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(database).with_name(Path(database).name + ".migrate-lock")
