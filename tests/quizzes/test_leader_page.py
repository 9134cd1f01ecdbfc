"""/leder: key figures first, lists collapsed to 10, bulk reminders (confirmed, once a day, audited), empty states."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import _closed_after
from tests.support.report_org import OLD, email, login
from tests.support.web import token


@pytest.fixture
def outbox_app(basic_build, database_url, tmp_path):
    """The report organisation, mail to the outbox, and twelve more overdue people in Team 1."""
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.org.write import unit_by_path
    from tests.support.report_org import make_report_app

    app = make_report_app(basic_build, database_url, tmp_path, KLARRET_MAIL="outbox")
    with app.app_context():
        team = unit_by_path("SOF", "Center A / Team 1")
        for i in range(12):
            db.session.add(Employee(staff_no=f"t{i:02d}", name=f"Travl {i:02d}", email=email(f"t{i:02d}"), unit=team,
                                    start_date=OLD))
        db.session.commit()
    yield from _closed_after(app)


def test_key_figures_come_first_and_lists_show_ten_with_vis_alle(outbox_app):
    client = outbox_app.test_client()
    login(client, "m1")
    html = client.get("/leder?kursus=kursus-a").get_data(as_text=True)
    assert html.index("Nøgletal") < html.index("Gennemførelse pr. enhed") < html.index('id="liste-forfaldne"')
    figures = html[html.index("Nøgletal"):html.index("Gennemførelse pr. enhed")]
    assert "<strong>13</strong> forfaldne" in figures and "<strong>1</strong> ny medarbejder" in figures
    assert re.search(r"<th scope=\"row\">Kursus A</th><td class=\"num\">3</td><td class=\"num\">18</td>", figures)
    overdue = html[html.index('id="liste-forfaldne"'):html.index('id="paamind-flere"')]
    assert overdue.count("<th scope=\"row\">") == 10 and "Forfaldne (13)" in overdue
    assert 'href="/leder?kursus=kursus-a&amp;vis=forfaldne#liste-forfaldne"' in overdue and "Vis alle 13" in overdue
    full = client.get("/leder?kursus=kursus-a&vis=forfaldne").get_data(as_text=True)
    overdue = full[full.index('id="liste-forfaldne"'):full.index('id="paamind-flere"')]
    assert overdue.count("<th scope=\"row\">") == 13 and "Vis færre" in overdue


def test_a_filter_that_finds_nothing_to_act_on_says_what_it_found(outbox_app):
    client = outbox_app.test_client()
    login(client, "m1")
    html = client.get("/leder?kursus=kursus-a&status=ikke+bestået").get_data(as_text=True)
    assert "Ingen medarbejdere har status »ikke bestået« i »Kursus A«" in html
    assert "Ingen er forfaldne" not in html


def test_bulk_reminder_shows_how_many_then_sends_one_each_once_a_day(outbox_app):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.mail import MailOutbox

    client = outbox_app.test_client()
    login(client, "m1")
    csrf = token(client, "/leder")
    picked = ["e2|kursus-a", "t00|kursus-a", "t00|kursus-a", "e1|kursus-a", "e6|kursus-a"]  # e1 passed, e6 not hers
    r = client.post("/leder/paamind/flere", data={"csrf_token": csrf, "valgt": picked, "hvem": "valgte",
                                                  "next": "/leder?kursus=kursus-a"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "<strong>2 medarbejdere</strong> får en påmindelse" in page
    assert "Person E2" in page and "Travl 00" in page and "Person E1" not in page and "Person E6" not in page
    with outbox_app.app_context():
        assert db.session.scalar(select(MailOutbox).limit(1)) is None, "nothing is sent before the confirmation"
    confirm = {"csrf_token": csrf, "valgt": re.findall(r'name="valgt" value="([^"]+)"', page), "bekraeft": "ja",
               "next": "/leder?kursus=kursus-a"}
    r = client.post("/leder/paamind/flere", data=confirm, follow_redirects=True)
    assert "2 påmindelser sendt." in r.get_data(as_text=True)
    r = client.post("/leder/paamind/flere", data=confirm, follow_redirects=True)
    assert "0 påmindelser sendt. 2 fik ingen" in r.get_data(as_text=True), "once a day per person and course"
    with outbox_app.app_context():
        mails = db.session.scalars(select(MailOutbox)).all()
        assert sorted(m.recipient for m in mails) == [email("e2"), email("t00")]
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.actor == "m1"))]
        assert actions.count("reminder.send") == 2 and actions.count("reminders.bulk") == 2


def test_bulk_reminder_to_all_overdue_follows_the_course_filter(outbox_app):
    client = outbox_app.test_client()
    login(client, "m1")
    r = client.post("/leder/paamind/flere", data={"csrf_token": token(client, "/leder"), "hvem": "alle",
                                                  "kursus": "kursus-a"})
    page = r.get_data(as_text=True)
    assert "<strong>13 medarbejdere</strong> får en påmindelse" in page and "Send 13 påmindelser" in page
    r = client.post("/leder/paamind/flere", data={"csrf_token": token(client, "/leder"), "hvem": "valgte"})
    assert r.status_code == 302, "nothing chosen: back with a message"
