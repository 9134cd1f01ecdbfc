"""The search log: what case workers search for and click, without who they are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from klarret import clock
from klarret.db import db


class SearchLog(db.Model):
    """One search (kind "query") or one click on a result (kind "click") of that search.

    A click is its own row, linked by ``search_id``, so it can be written by another worker than
    the one that answered the search. No user, session or address is stored.
    """

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    search_id: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    query: Mapped[str | None] = mapped_column(String(500))  # masked (CPR numbers, e-mail addresses)
    result_count: Mapped[int | None] = mapped_column(Integer)
    clicked_url: Mapped[str | None] = mapped_column(String(500))
    clicked_rank: Mapped[int | None] = mapped_column(Integer)


class AlsoCalled(db.Model):
    """An "also called" word an editor added for a page from the search statistics (decision 5).

    The index build merges these with the words in the pages' front matter (``ogsaa_kaldet:``);
    they take effect at the next ``klarret index``.
    """

    __tablename__ = "search_also_called"
    __table_args__ = (UniqueConstraint("page", "word", name="uq_search_also_called_page_word"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page: Mapped[str] = mapped_column(String(100), index=True)  # page id (the file stem)
    word: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)


def editor_words() -> dict[str, list[str]]:
    """Page id -> the editors' "also called" words; empty if the table does not exist yet
    (``make run`` builds the index before it migrates the database) or the database is unreachable."""
    try:
        if not inspect(db.engine).has_table(AlsoCalled.__tablename__):
            return {}
        rows = db.session.execute(select(AlsoCalled.page, AlsoCalled.word).order_by(AlsoCalled.id)).all()
    except (SQLAlchemyError, RuntimeError):  # RuntimeError: no application context
        return {}
    out: dict[str, list[str]] = {}
    for page, word in rows:
        if word.strip():
            out.setdefault(page, []).append(" ".join(word.split()))
    return out


def purge_old_searches(dry_run: bool) -> int:
    """Retention (`klarret purge`): search-log rows older than KLARRET_SEARCH_LOG_DAYS."""
    from klarret import settings
    from klarret.db import purge_rows

    cutoff = clock.now() - dt.timedelta(days=settings.current().search_log_days)
    return purge_rows(SearchLog.__table__, SearchLog.created_at < cutoff, dry_run)
