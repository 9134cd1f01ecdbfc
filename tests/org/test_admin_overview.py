"""The administrator's overview page and the audit log as people read it (Danish, Copenhagen time)."""

from __future__ import annotations

import datetime as dt
import re

from tests.support.hr import login


def test_overview_shows_people_units_roles_last_import_and_links(people):
    from klarret import audit
    from klarret.db import db

    ada = login(people, "ada@kk.example")
    page = ada.get("/admin/").get_data(as_text=True)
    assert "endnu ikke indlæst et udtræk" in page
    assert "<strong>2</strong> aktive medarbejdere" in page and "<strong>1</strong> med rollen administrator" in page
    assert "<strong>0</strong> med rollen redaktør" in page
    for link in ("/admin/import", "/admin/medarbejdere", "/admin/revisionslog", "/admin/post", "/kommune",
                 "/soeg/statistik"):
        assert f'href="{link}' in page, link
    with people.app_context():
        ev = audit.record("900001", "staff.import", "hr-2026-12-01.csv", added=3)
        ev.at = dt.datetime(2026, 12, 1, 23, 30)  # UTC: already 2 December in Copenhagen
        db.session.commit()
    page = ada.get("/admin/").get_data(as_text=True)
    assert "Seneste HR-import: 2. december 2026 kl. 00.30 af Ada Admin" in page and "hr-2026-12-01.csv" in page


def test_admin_link_is_in_the_navigation_for_administrators_only(people):
    assert 'href="/admin/"' in login(people, "ada@kk.example").get("/min-side").get_data(as_text=True)
    assert 'href="/admin/"' not in login(people, "mo@kk.example").get("/min-side").get_data(as_text=True)


def test_audit_log_is_in_danish_and_copenhagen_time(people):
    from klarret import audit
    from klarret.db import db

    with people.app_context():
        ev = audit.record("900001", "deputy.grant", "900002", valid_from="2026-07-01", valid_to="2026-08-01")
        ev.at = dt.datetime(2026, 7, 1, 10, 0, 5)  # summer time: UTC+2
        failed = audit.record("anonym", "login.failed", "", reason="forkert kode")
        failed.at = dt.datetime(2026, 1, 5, 7, 0)
        db.session.commit()
    log = login(people, "ada@kk.example").get("/admin/revisionslog").get_data(as_text=True)
    assert "01-07-2026 12.00.05" in log and "05-01-2026 08.00.00" in log
    assert "Stedfortræder udpeget" in log and "fra: 1. juli 2026; til: 1. august 2026" in log
    assert "Login mislykkedes" in log and "begrundelse: forkert kode" in log
    assert "(UTC)" not in log and "valid_from" not in log


def test_date_helpers_read_as_danish():
    from klarret.dates import days_left, long_datetime, short_datetime

    assert long_datetime(dt.datetime(2026, 12, 2, 13, 5)) == "2. december 2026 kl. 14.05"
    assert short_datetime(dt.datetime(2026, 7, 2, 13, 5, 9)) == "02-07-2026 15.05.09"
    today = dt.date(2026, 3, 10)
    assert [days_left(today + dt.timedelta(days=d), today) for d in (0, 1, 12, -1, -5)] == [
        "i dag", "i morgen", "om 12 dage", "1 dag over fristen", "5 dage over fristen"]


def test_import_preview_shows_removed_managers_and_self_deactivation_as_danger(people, tmp_path):
    from tests.support.hr import HEADER, ROWS, do_import, upload, write

    with people.app_context():
        assert not do_import(write(tmp_path, [HEADER, *ROWS])).errors  # Leila manages two units
    ada = login(people, "ada@kk.example")
    without_leila = [HEADER, *ROWS[:2], ROWS[2].split(";\"")[0] + ";", ROWS[3]]
    html = upload(ada, ("\n".join(without_leila) + "\n").encode()).get_data(as_text=True)
    assert 'class="danger" id="advarsel-ledere" role="alert"' in html and "2 ledere mister lederrollen" in html
    assert "Medarbejdere i alle andre forvaltninger bliver ikke ændret" in html
    html = upload(ada, f"{HEADER}\n1;Ny;ny@kk.example;ØKF;Borgerrådgiveren;;;;\n".encode()).get_data(as_text=True)
    assert 'class="danger" id="advarsel-selv" role="alert"' in html and "deaktiverer dig selv" in html


def test_employee_page_shows_the_persons_courses_and_statuses(people):
    html = login(people, "ada@kk.example").get("/admin/medarbejdere/900002").get_data(as_text=True)
    courses = html[html.index("<h2>Kurser</h2>"):html.index("<h2>Roller og statistik</h2>")]
    row = courses[courses.index("God sagsbehandling – grundkursus"):].split("</tr>")[0]
    assert "<td>obligatorisk</td>" in row and re.search(r"<td>(ikke startet|forfalden)</td>", row)
    assert re.search(r"<td>\d{1,2}\. [a-z]+ 20\d\d</td>", row), "the deadline in words"
    assert "1 medarbejder fundet" in login(people, "ada@kk.example").get("/admin/medarbejdere?q=mo").get_data(
        as_text=True)
