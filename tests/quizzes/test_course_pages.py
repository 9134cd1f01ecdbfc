"""Course pages show your deadline and section titles; feedback keeps the order seen; the certificate reads well."""

from __future__ import annotations

import datetime as dt
import re

from tests.support.attempts import answer_all, hand_in, start
from tests.support.status_org import person
from tests.support.web import login


def test_course_page_shows_your_own_deadline_and_status(rules_app):
    from klarret.auth import hash_password
    from klarret.dates import long_date
    from klarret.db import db

    started = dt.date.today() - dt.timedelta(days=10)
    with rules_app.app_context():
        p = person("1", start=started, email="p1@kk.dk")
        p.password_hash = hash_password("hemmelig-kode")
        db.session.commit()
    c = rules_app.test_client()
    login(c, "p1@kk.dk", "hemmelig-kode")
    html = c.get("/kurser/basis").get_data(as_text=True)
    assert f"Din frist: {long_date(started + dt.timedelta(days=30))}</strong>" in html and "(om 20 dage)" in html
    assert "Kurset er frivilligt for dig" in c.get("/kurser/valg").get_data(as_text=True)


def test_reading_lists_show_section_titles_never_raw_ids(qclient):
    html = qclient.get("/kurser/test-kursus").get_data(as_text=True)
    assert ">Høring: Reglen</a>" in html and ">Høring</a>" in html
    assert "hoering#hoering-reglen<" not in html and ">hoering<" not in html
    aid = start(qclient, "test-kursus")
    module = qclient.get(f"/forsoeg/{aid}/modul/0").get_data(as_text=True)
    assert ">Høring: Reglen (åbner i nyt vindue)</a>" in module


def _reordering_seed(app, attempt_id: int) -> None:
    """Give the attempt a seed whose question order differs from the file's, so the test can tell them apart."""
    from klarret.db import db
    from quizzes.attempts.service import module_questions, pinned_course
    from quizzes.models import Attempt

    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        course = pinned_course(attempt)
        original = [q.id for q in course.modules[0].questions]
        for seed in range(1, 200):
            attempt.seed = seed
            if [q.id for q in module_questions(attempt, course, 0)] != original:
                break
        db.session.commit()


def test_feedback_keeps_the_order_seen_names_links_and_marks_wrong_choices(qclient, quiz_app):
    aid = start(qclient, "test-kursus")
    _reordering_seed(quiz_app, aid)
    seen = re.findall(r'data-question="([^"]+)"', qclient.get(f"/forsoeg/{aid}/modul/0").get_data(as_text=True))
    answer_all(qclient, quiz_app, aid, right=False)
    hand_in(qclient, aid)
    html = qclient.get(f"/forsoeg/{aid}/resultat").get_data(as_text=True)
    first_module = html[html.index("Modul 1:"):html.index("Modul 2:")]
    assert re.findall(r'id="r-([^"]+)"', first_module) == seen, "the order the person saw"
    assert f'id="r-{seen[0]}">Spørgsmål 1 af 2:' in first_module
    assert "✗</span> Forkert" in html and "✗</span> dit svar – forkert" in html, "icon and text, not colour alone"
    assert ">Høring: Reglen</a>" in html and ">Høring: Naboen blev ikke hørt</a>" in html
    assert "(rigtigt svar)" not in html


def test_certificate_shows_title_name_date_in_words_and_no_version(qclient, quiz_app):
    from klarret.dates import long_date

    aid = start(qclient, "test-kursus")
    answer_all(qclient, quiz_app, aid, right=True)
    hand_in(qclient, aid)
    result = qclient.get(f"/forsoeg/{aid}/resultat").get_data(as_text=True)
    code = re.search(r'href="/bevis/([^"]+)"', result).group(1)
    html = qclient.get(f"/bevis/{code}").get_data(as_text=True)
    assert "Testkursus i høring" in html and f"den {long_date(dt.date.today())}" in html
    assert "version" not in html.lower()
    assert re.search(rf'<a href="https?://[^"]+/bevis/{code}">', html), "an absolute link from the site's address"
