"""The database: Flask-SQLAlchemy in SQLAlchemy 2 style, Alembic migrations via Flask-Migrate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, event
from sqlalchemy.orm import DeclarativeBase

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Base(DeclarativeBase):
    """Declarative base for every KlarRet model."""


db = SQLAlchemy(model_class=Base)
migrate = Migrate(directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL and a busy timeout, so concurrent employees saving answers do not fail on SQLite."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=5000"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()


def lock_row(model: type[Base], key: Any) -> Any:
    """Claim one row for the rest of the transaction, so a read-then-write cannot interleave with another.

    PostgreSQL locks the row (SELECT … FOR UPDATE); SQLite has no row locks, so the transaction takes
    the database's write lock at once (BEGIN IMMEDIATE; readers go on under WAL). Call it before the
    transaction has written anything. Returns the row, freshly read, or None.
    """
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        driver = conn.connection.driver_connection
        if not driver.in_transaction:  # the driver opens transactions lazily, on the first write
            driver.execute("BEGIN IMMEDIATE")
        return db.session.get(model, key, populate_existing=True)
    return db.session.get(model, key, with_for_update=True, populate_existing=True)


def init_app(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    db.init_app(app)
    migrate.init_app(app, db)
