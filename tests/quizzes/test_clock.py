"""One clock: with KLARRET_TODAY set, the manager's pages and the employee's own page agree on the day."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from tests.support.report_org import TODAY, login

E5_DUE = dt.date(2026, 12, 20)  # e5 started 2026-11-20; Kursus A is due 30 days later


def leader_status(app, staff_no: str, course_title: str) -> str:
    """The status the manager's export (/leder) gives one person and course."""
    client = app.test_client()
    login(client, "m1")
    text = client.get("/leder/eksport.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [r for r in csv.DictReader(io.StringIO(text), delimiter=";")
            if r["Medarbejdernummer"] == staff_no and r["Kursus"] == course_title]
    assert len(rows) == 1, rows
    return rows[0]["Status"]


def own_status(app, staff_no: str, course_title: str) -> str:
    """The status the employee's own page (/min-side) gives the course."""
    client = app.test_client()
    login(client, staff_no)
    html = client.get("/min-side").get_data(as_text=True)
    m = re.search(rf'>{course_title}</a></(?:h3|th)>.*?data-status="([^"]+)"', html, re.S)
    assert m, html
    return m.group(1)


@pytest.mark.parametrize("day, status", [(TODAY, "ikke startet"), (E5_DUE + dt.timedelta(days=5), "forfalden")])
def test_leader_and_own_page_agree_on_the_day(report_org_app, day, status):
    from klarret import clock, settings

    # Two days on either side of the deadline: whatever the machine's date, one of them differs from it.
    settings.override(report_org_app, {"KLARRET_TODAY": day.isoformat()})
    with report_org_app.app_context():
        assert clock.today() == day and clock.now().date() == day
    assert leader_status(report_org_app, "e5", "Kursus A") == status
    assert own_status(report_org_app, "e5", "Kursus A") == status
