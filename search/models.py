"""The search log: what case workers search for and click, without who they are."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

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
