"""/min-side starts with what is due: deadlines in words, progress, "Fortsæt", "Start her" for newcomers."""

from __future__ import annotations

import datetime as dt
import re

from tests.support.attempts import start
from tests.support.status_org import attempt, person
from tests.support.web import login, token

D = dt.date


def _login_person(app, staff_no: str, start_date: dt.date) -> object:
    from klarret.auth import hash_password
    from klarret.db import db

    with app.app_context():
        p = person(staff_no, start=start_date, email=f"p{staff_no}@kk.dk")
        p.password_hash = hash_password("hemmelig-kode")
        db.session.commit()
    c = app.test_client()
    login(c, f"p{staff_no}@kk.dk", "hemmelig-kode")
    return c


def test_due_courses_come_first_sorted_by_deadline(rules_app):
    from klarret.db import db
    from klarret.org.models import Employee
    from quizzes.completion.next_steps import my_page

    with rules_app.app_context():
        person("1", start=D(2026, 1, 1))
        attempt("1", "basis", D(2026, 1, 3))  # a failed attempt: still due
        page = my_page(db.session.get(Employee, "1"), today=D(2026, 1, 25))
        assert [(n.row.course.id, n.tone) for n in page.due] == [("team", "overdue"), ("ny", "overdue"),
                                                                 ("basis", "soon"), ("sof", "ok")]
        assert page.due[0].deadline == "14 dage over fristen (frist 11. januar 2026)"
        assert page.due[2].deadline == "om 6 dage (frist 31. januar 2026)"
        assert [n.row.course.id for n in page.optional] == ["leder", "valg"] and page.passed == []
        assert [n.row.course.id for n in page.start_here] == [], "has begun a course: no longer 'Start her'"


def test_a_new_employee_sees_start_here_with_the_introduction_first(rules_app):
    c = _login_person(rules_app, "7", dt.date.today() - dt.timedelta(days=5))
    html = c.get("/min-side").get_data(as_text=True)
    assert "Start her" in html and "Borgerrådgiveren" in html
    start_here = html.split('id="start-her"')[1].split("</section>")[0]
    assert start_here.index(">Basis<") < start_here.index(">Nye<"), "the course for all first, then the newcomers'"
    assert "om " in start_here and "frist" in start_here


def test_progress_and_continue_where_you_left_off(quiz_app):
    from tests.support.web import login as demo_login

    c = quiz_app.test_client()
    demo_login(c)
    attempt_id = start(c, "test-kursus")
    page = c.get(f"/forsoeg/{attempt_id}/modul/0").get_data(as_text=True)
    data = {"csrf_token": token(c, f"/forsoeg/{attempt_id}/modul/0"), "go": "next"}
    for qid in re.findall(r'data-question="([^"]+)"', page):
        option = re.search(rf'name="q-{qid}" value="([^"]+)"', page).group(1)
        data[f"q-{qid}"] = option
    assert c.post(f"/forsoeg/{attempt_id}/modul/0", data=data).status_code == 302
    html = c.get("/min-side").get_data(as_text=True)
    item = html[html.index(">Testkursus i høring<"):].split("</li>")[0]
    assert "1 af 2 moduler" in item
    assert f'href="/forsoeg/{attempt_id}/modul/1"' in item and "Fortsæt" in item
