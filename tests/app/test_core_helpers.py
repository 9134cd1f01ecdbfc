"""Small core helpers with one home each: Danish dates and IN-list chunks."""

from __future__ import annotations

import datetime as dt

from klarret.dates import long_date, short_date
from klarret.db import MAX_IN_VALUES, chunks


def test_danish_dates():
    assert long_date(dt.date(2026, 12, 2)) == "2. december 2026"
    assert long_date(dt.date(2027, 1, 31)) == "31. januar 2027"
    assert short_date(dt.date(2026, 12, 2)) == "02-12-2026"


def test_chunks_stay_under_the_parameter_limit():
    got = list(chunks(range(2 * MAX_IN_VALUES + 1)))
    assert [len(c) for c in got] == [MAX_IN_VALUES, MAX_IN_VALUES, 1]
    assert [v for c in got for v in c] == list(range(2 * MAX_IN_VALUES + 1))
    assert list(chunks([])) == []
