"""The database: Flask-SQLAlchemy in SQLAlchemy 2 style, Alembic migrations via Flask-Migrate."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, Select, create_engine, event, func, select, text
from sqlalchemy.orm import DeclarativeBase

from klarret.errors import is_database_away

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Values per "IN (...)": below the 999 bound parameters older SQLite versions allow in one statement.
MAX_IN_VALUES = 900


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


def paginate(query: Select, page: int | None, per_page: int) -> tuple[list[Any], int, int, int]:
    """(rows, page, pages, total) of one page of ``query``; a page past either end shows the nearest one, so
    no offset from the request can overflow the database's integer."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page or 1), pages)
    return db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all(), page, pages, total


def purge_rows(table: Any, condition: Any, dry_run: bool) -> int:
    """Delete (or, dry, only count) the rows of ``table`` matching ``condition``: one retention rule's work.

    A table-level delete, so ORM events do not fire (the audit log refuses single deletes on purpose)."""
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
    count = db.session.execute(table.delete().where(condition)).rowcount
    db.session.commit()
    return count


def insert_missing(table: Any, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows`` into ``table``, skipping any whose key is already there (INSERT … ON CONFLICT DO NOTHING).

    For rows that another process (a second instance, a second cron run) may insert at the same moment:
    checking first and inserting after leaves a gap in which the other one's row lands. Returns how many
    rows were new. Not committed."""
    if not rows:
        return 0
    conn = db.session.connection()
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    key = list(table.primary_key.columns)  # RETURNING counts what went in; rowcount is -1 on some drivers
    return sum(len(db.session.execute(insert(table).values(chunk).on_conflict_do_nothing().returning(*key)).all())
               for chunk in chunks(rows, MAX_IN_VALUES // max(1, len(rows[0]))))


def init_app(app: Flask) -> None:
    """Bind the database and migrations to the app."""
    # Test each pooled connection before use: after a database restart the pool holds dead connections,
    # and without the ping every one of them would fail one request before being replaced.
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {}).setdefault("pool_pre_ping", True)
    db.init_app(app)
    migrate.init_app(app, db)
    app.teardown_appcontext(_end_session)  # registered last, so it runs before Flask-SQLAlchemy's own


def _end_session(exc: BaseException | None) -> None:
    """End the request's session; a connection the database cut meanwhile is dropped, not raised.

    The answer is made by then (and what it saved committed): an error here would turn it into a bare 500
    from the server after the fact, as when the database restarts between the view and this rollback."""
    try:
        db.session.remove()
    except Exception as error:
        if not is_database_away(error):
            raise
        current_app.logger.warning("Database connection lost after the answer was made: %s",
                                   error.__class__.__name__)
        try:
            db.session.registry().invalidate()  # no rollback on a dead connection: the pool just forgets it
        finally:
            db.session.registry.clear()


def chunks(values: Iterable[Any], size: int = MAX_IN_VALUES) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size``, so each ``column.in_(chunk)`` stays under SQLite's limit."""
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def keyset_chunks(query: Select, key: Any, size: int = 500) -> Iterator[list[Any]]:
    """The rows of ``query`` in ``key`` order, ``size`` at a time; ``key`` is a unique column of the query's
    first entity. Each chunk is read whole before it is yielded, so the caller may commit between chunks."""
    ordered, last = query.order_by(key).limit(size), None
    while rows := db.session.execute(ordered if last is None else ordered.where(key > last)).all():
        yield rows
        last = getattr(rows[-1][0], key.key)


def reset_postgres(url: str) -> None:
    """Drop every table of the PostgreSQL database at ``url`` (tests and benchmarks only: it empties it)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
