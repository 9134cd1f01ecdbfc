"""Bulk writes of the organisation: units created level by level, rows inserted in bulk (COPY on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import insert, select

from klarret.db import db
from klarret.org.models import Unit, ensure_administrations


def insert_rows(model, rows: list[dict]) -> None:
    """Bulk insert in the current transaction: COPY on PostgreSQL, executemany on SQLite.

    psycopg's executemany sends a round trip per row and very long multi-row VALUES statements are
    slow to prepare; COPY loads 100,000 rows in well under a second."""
    table = getattr(model, "__table__", model)
    if not rows:
        return
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        conn.execute(table.insert(), rows)
        return
    keys = list(rows[0])
    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table.name)} ({', '.join(quote(k) for k in keys)}) FROM STDIN"
    with conn.connection.driver_connection.cursor() as cur, cur.copy(sql) as copy:
        for r in rows:
            copy.write_row([r[k] for k in keys])


def unit_ids() -> dict[tuple[str, str], int]:
    """(administration, path) -> unit id, for every unit."""
    return {(c, p): i for i, c, p in db.session.execute(select(Unit.id, Unit.administration_code, Unit.path))}


def create_units(wanted: "list[tuple[str, str]] | set[tuple[str, str]]") -> dict[tuple[str, str], int]:
    """Create the missing units among ``wanted`` (and their parents), level by level; return all ids."""
    ensure_administrations()
    units = unit_ids()
    missing = {(c, a) for c, p in wanted for a in ancestors(p) if (c, a) not in units}
    for depth in sorted({p.count(" / ") for _c, p in missing}):
        level = sorted((c, p) for c, p in missing if p.count(" / ") == depth)
        # Parents were created at the previous depth (or existed), so their ids are known now.
        db.session.execute(insert(Unit), [{"administration_code": c, "name": p.rsplit(" / ", 1)[-1], "path": p,
                                           "parent_id": units[(c, p.rsplit(" / ", 1)[0] if " / " in p else "")]}
                                          for c, p in level])
        units = unit_ids()
    return units


def ancestors(path: str) -> list[str]:
    """"A / B / C" -> ["A", "A / B", "A / B / C"]."""
    parts = path.split(" / ") if path else []
    return [" / ".join(parts[:n]) for n in range(1, len(parts) + 1)]
