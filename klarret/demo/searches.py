"""Demo search history, so the editors' search statistics show what they are for (demo only)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from klarret import clock
from klarret.db import db
from klarret.org.write import insert_rows

# (query, results, searches over the last weeks, share of searches with a click on the first result)
QUERIES = [
    ("partshøring", 14, 46, .8), ("aktindsigt frist", 9, 31, .7), ("begrundelse afslag", 11, 24, .6),
    ("klagevejledning", 8, 22, .8), ("tavshedspligt", 10, 18, .7), ("inhabilitet", 7, 15, .6),
    ("notatpligt", 6, 12, .7), ("vejledningspligt", 9, 11, .5), ("agterskrivelse", 3, 9, .4),
    ("sagsbehandlingstid", 5, 8, .6), ("officialprincippet", 4, 6, .5), ("digital post", 6, 5, .0),
    ("robot afgørelse", 3, 4, .0),
    # Words the guidance does not use: the editors can add them as "also called" words.
    ("kontradiktion", 0, 13, 0), ("høringsfrist borger", 0, 9, 0), ("partsrepræsentant", 0, 7, 0),
    ("fuldmagt advokat", 0, 5, 0), ("genoptagelse", 0, 4, 0),
]
SEED = 12


def load_search_history(today: dt.date | None = None) -> int:
    """Insert the demo searches (and clicks) of the last three weeks unless the log has any; return how many."""
    if db.session.scalar(select(func.count()).select_from(_log())):
        return 0
    rng = random.Random(SEED)
    end = dt.datetime.combine(today or clock.today(), dt.time(15))
    rows, n = [], 0
    for query, results, searches, clicks in QUERIES:
        for _ in range(searches):
            n += 1
            at = end - dt.timedelta(days=rng.randrange(21), minutes=rng.randrange(480))
            sid = f"demo{n:08d}"
            rows.append({"search_id": sid, "kind": "query", "created_at": at, "query": query,
                         "result_count": results, "clicked_url": None, "clicked_rank": None})
            if results and rng.random() < clicks:
                rows.append({"search_id": sid, "kind": "click", "created_at": at + dt.timedelta(seconds=20),
                             "query": None, "result_count": None, "clicked_url": "/", "clicked_rank": 1})
    insert_rows(_log(), rows)
    db.session.commit()
    return n


def _log():
    from search.models import SearchLog  # composition level: the demo may use the features' tables

    return SearchLog
