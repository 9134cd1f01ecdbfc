"""E-learning: course validation, taking a course through the web, and the bad input it must refuse."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

from klarret.export import RECORDS_FILE, anchors, export_dir, iter_records
from quizzes.courses.loader import load_courses, parse_course
from tests.conftest import make_app
from tests.support.attempts import TEST_COURSE, answer_all, hand_in, start
from tests.support.web import login, token


# --- validation ---
def _write(tmp_path, text: str) -> Path:
    d = tmp_path / "c"
    d.mkdir(exist_ok=True)
    (d / "x.toml").write_text(text, encoding="utf-8")
    return d


@pytest.mark.parametrize("old, new, message", [
    ('{ id = "a", text = "Parten", correct = true }', '{ id = "a", text = "Parten" }',
     "spørgsmål t-1 i modul hoering: har intet rigtigt svar"),
    ('{ id = "b", text = "Naboens hund" }', '{ id = "b", text = "Naboens hund", correct = true }',
     "spørgsmål t-1 i modul hoering: er et single-spørgsmål med 2 rigtige svar"),
    ('{ id = "c", text = "§ 99" }', '{ id = "c", text = "§ 99", correct = true }', "alle svarmuligheder er rigtige"),
    ("answer = true", 'answer = "ja"', "spørgsmål t-2 i modul hoering: et sandt/falsk-spørgsmål skal have answer"),
    ('id = "t-3"', 'id = "t-1"', "spørgsmål t-1: id'et bruges også"),
    ("pass_mark = 60", "pass_mark = 0", "pass_mark skal være et helt tal fra 1 til 100"),
    ("pass_mark = 60", "pass_mark = 101", "pass_mark skal være et helt tal fra 1 til 100"),
    ('anchor = "hoering-reglen"', 'anchor = "hoering-findes-ikke"',
     "spørgsmål t-1: ankeret 'hoering-findes-ikke' findes ikke på siden 'hoering'"),
    ('page = "hoering"\nanchor = "hoering-reglen"', 'page = "findes-ikke"\nanchor = "hoering-reglen"',
     "spørgsmål t-1: siden 'findes-ikke' findes ikke"),
    ('{ id = "b", text = "Naboens hund" }', '{ id = "a", text = "Naboens hund" }',
     "svarmulighedernes id'er skal være forskellige"),
    ('title = "Høring"\nintro', 'title = "Høring"\nintro', None),
])
def test_validation_names_file_and_question(tmp_path, basic_build, old, new, message):
    assert old in TEST_COURSE
    text = TEST_COURSE.replace(old, new, 1)
    _, errors = load_courses(_write(tmp_path, text), basic_build / "html")
    if message is None:
        assert errors == []
        return
    assert any(str(e).startswith("x.toml: ") and message in str(e) for e in errors), [str(e) for e in errors]


def test_empty_module_and_bad_toml_are_reported(tmp_path, basic_build):
    text = TEST_COURSE + '\n[[modules]]\nid = "tom"\ntitle = "Tom"\nintro = "x"\n'
    _, errors = load_courses(_write(tmp_path, text), basic_build / "html")
    assert any("modul tom: modulet har ingen spørgsmål" in str(e) for e in errors)
    _, errors = load_courses(_write(tmp_path, 'id = "x\n'), None)
    assert errors and "TOML-fejl" in str(errors[0])


def test_version_changes_with_content(tmp_path):
    a = parse_course(_write(tmp_path, TEST_COURSE) / "x.toml", [])
    b = parse_course(_write(tmp_path, TEST_COURSE.replace("Hvem skal høres?", "Hvem skal høres nu?")) / "x.toml", [])
    assert a.version != b.version and len(a.version) == 12


# --- the real courses ---
@pytest.fixture(scope="module")
def real_courses(guidance_build):
    courses, errors = load_courses(html_dir=guidance_build / "html")
    assert errors == [], [str(e) for e in errors]
    return {c.id: c for c in courses}


@pytest.mark.parametrize("course_id, modules, questions", [
    ("grundkursus", 6, 36), ("kend-borgerraadgiveren", 1, 8), ("ledere", 1, 12), ("aktindsigt", 1, 12), ("ai", 1, 8),
])
def test_real_courses_are_complete_and_valid(real_courses, course_id, modules, questions):
    c = real_courses[course_id]
    assert len(c.modules) >= modules and len(c.questions) >= questions
    if course_id == "grundkursus":
        assert sum(q.case_based for q in c.questions) * 3 >= len(c.questions)
        covered = {q.page for q in c.questions}
        for topic in ("afgoerelsesbegrebet", "vejledning", "partshoering", "begrundelse", "klagevejledning",
                      "notatpligt-journalisering", "tavshedspligt", "inhabilitet", "sagsbehandlingstid"):
            assert topic in covered, topic
        assert covered & {"partsaktindsigt", "aktindsigt-offl", "aktindsigt-frister"}


def test_every_question_links_to_an_existing_anchor(real_courses, guidance_build):
    known = anchors(iter_records(export_dir(guidance_build / "html") / RECORDS_FILE))
    for c in real_courses.values():
        for q in c.questions:
            assert q.anchor in known.get(q.page, set()), (c.id, q.id, q.page, q.anchor)


@pytest.mark.slow
@pytest.mark.parametrize("course_id", ["grundkursus", "kend-borgerraadgiveren", "ledere", "aktindsigt", "ai"])
def test_take_each_real_course_fail_then_pass(guidance_build, database_url, tmp_path, course_id):
    from klarret.demo import load_demo_data

    app = make_app(guidance_build, database_url, tmp_path)
    with app.app_context():
        load_demo_data(population=False)  # the five accounts only: these tests count rows
    c = app.test_client()
    login(c)
    first = start(c, course_id)
    answer_all(c, app, first, right=False)
    r = hand_in(c, first)
    assert r.status_code == 302
    html = c.get(f"/forsoeg/{first}/resultat").get_data(as_text=True)
    assert "Ikke bestået" in html and "Læs reglen i vejledningen" in html
    second = start(c, course_id)
    assert second != first
    answer_all(c, app, second, right=True)
    hand_in(c, second)
    html = c.get(f"/forsoeg/{second}/resultat").get_data(as_text=True)
    assert "Bestået" in html and "(100 %)" in html
    code = re.search(r"/bevis/([A-Z0-9]+)", html).group(1)
    # The managers' course is blended from 1 December 2026: the e-learning alone leaves the classroom part.
    assert ("mangler fremmøde" if course_id == "ledere" else "bestået") in c.get("/min-side").get_data(as_text=True)
    cert = app.test_client().get(f"/bevis/{code}")  # anyone with the code
    assert cert.status_code == 200 and "Anna Demo" in cert.get_data(as_text=True)


# --- taking the test course: the rules and the bad input ---
def test_key_never_reaches_the_browser_before_submission(qclient):
    aid = start(qclient, "test-kursus")
    html = qclient.get(f"/forsoeg/{aid}/modul/0").get_data(as_text=True)
    assert "Parten skal høres efter" not in html and "correct" not in html and "rigtigt svar" not in html


def test_shuffle_is_per_attempt_and_stable(qclient, quiz_app):
    from klarret.db import db
    from quizzes.attempts.service import pinned_course, shuffled
    from quizzes.models import Attempt

    aid = start(qclient, "test-kursus")
    # The CSRF token carries a timestamp (seconds): two loads may straddle a second, so it is left out.
    def page() -> str:
        html = qclient.get(f"/forsoeg/{aid}/modul/0").get_data(as_text=True)
        return re.sub(r'name="csrf_token" value="[^"]+"', "", html)

    first = page()
    assert first == page() and 'name="q-t-1"' in first
    with quiz_app.app_context():
        attempt = db.session.get(Attempt, aid)
        options = pinned_course(attempt).question("t-1").options
        orders = set()
        for seed in range(20):
            attempt.seed = seed
            orders.add(tuple(o.id for o in shuffled(attempt, options, "t-1")))
        db.session.rollback()
    assert len(orders) > 1


def test_answers_survive_logout(quiz_app):
    c = quiz_app.test_client()
    login(c)
    aid = start(c, "test-kursus")
    r = c.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["a"]},
               headers={"X-CSRFToken": token(c, f"/forsoeg/{aid}/modul/0")})
    assert r.status_code == 200
    c.post("/logout", data={"csrf_token": token(c, "/min-side")})
    c2 = quiz_app.test_client()
    login(c2)
    assert start(c2, "test-kursus") == aid, "the open attempt is resumed"
    assert 'value="a"\n             checked' in c2.get(f"/forsoeg/{aid}/modul/0").get_data(as_text=True)


def test_foreign_option_is_400_and_other_users_attempt_is_404(qclient, quiz_app):
    aid = start(qclient, "test-kursus")
    tok = token(qclient, f"/forsoeg/{aid}/modul/0")
    r = qclient.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["z"]},
                     headers={"X-CSRFToken": tok})
    assert r.status_code == 400 and "ikke hører til" in r.get_json()["error"]["message"]
    r = qclient.post(f"/forsoeg/{aid}/modul/0", data={"csrf_token": tok, "q-t-1": "z"})
    assert r.status_code == 400
    r = qclient.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["a", "b"]},
                     headers={"X-CSRFToken": tok})
    assert r.status_code == 400
    other = quiz_app.test_client()
    login(other, "bo@demo.klarret.dk")
    assert other.get(f"/forsoeg/{aid}/modul/0").status_code == 404
    assert other.get(f"/forsoeg/{aid}/resultat").status_code == 404
    tok2 = token(other, "/min-side")
    assert other.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["a"]},
                      headers={"X-CSRFToken": tok2}).status_code == 404


def test_answering_after_submission_is_refused_in_danish(qclient):
    aid = start(qclient, "test-kursus")
    tok = token(qclient, f"/forsoeg/{aid}/modul/0")
    hand_in(qclient, aid)
    r = qclient.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["a"]},
                     headers={"X-CSRFToken": tok})
    assert r.status_code == 409 and "afleveret" in r.get_json()["error"]["message"]


def test_double_submission_gives_one_graded_attempt(qclient, quiz_app):
    from sqlalchemy import func, select

    from klarret.db import db
    from quizzes.models import Attempt, Completion

    aid = start(qclient, "test-kursus")
    answer_all(qclient, quiz_app, aid, right=True)
    tok = token(qclient, f"/forsoeg/{aid}/gennemse")
    results = []

    def submit_once():
        c = quiz_app.test_client()
        with c.session_transaction() as s:
            with qclient.session_transaction() as src:
                s.update(src)
        results.append(c.post(f"/forsoeg/{aid}/aflever", data={"csrf_token": tok}).status_code)

    threads = [threading.Thread(target=submit_once) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [302] * 4
    with quiz_app.app_context():
        attempt = db.session.get(Attempt, aid)
        assert attempt.score == 100 and attempt.passed
        assert db.session.scalar(select(func.count()).select_from(Completion)) == 1
        assert db.session.scalar(select(func.count()).select_from(Attempt)) == 1


def test_attempt_is_graded_against_its_pinned_version(qclient, quiz_app):
    aid = start(qclient, "test-kursus")
    courses_dir = Path(quiz_app.config["KLARRET_COURSES_DIR"])
    path = courses_dir / "test-kursus.toml"
    # The editors make option b the right one while the attempt is in progress.
    text = path.read_text().replace('{ id = "a", text = "Parten", correct = true }', '{ id = "a", text = "Parten" }')
    path.write_text(text.replace('{ id = "b", text = "Naboens hund" }',
                                 '{ id = "b", text = "Naboens hund", correct = true }'))
    from quizzes.courses import set_catalogue

    with quiz_app.app_context():  # what a restarted worker does: load the course files again
        set_catalogue(quiz_app, load_courses(courses_dir)[0])
    answer_all(qclient, quiz_app, aid, right=True)
    hand_in(qclient, aid)
    html = qclient.get(f"/forsoeg/{aid}/resultat").get_data(as_text=True)
    assert "(100 %)" in html, "graded against the version it started on"
    new = start(qclient, "test-kursus")
    from klarret.db import db
    from quizzes.models import Attempt

    with quiz_app.app_context():
        assert db.session.get(Attempt, new).version_id != db.session.get(Attempt, aid).version_id


def test_retake_limit(qclient):
    for _ in range(3):
        aid = start(qclient, "test-kursus")
        hand_in(qclient, aid)
    r = qclient.post("/kurser/test-kursus/start", data={"csrf_token": token(qclient, "/kurser/test-kursus")})
    assert r.status_code == 409 and "alle dine forsøg" in r.get_data(as_text=True)


def test_csrf_is_required_on_every_form(qclient):
    aid = start(qclient, "test-kursus")
    assert qclient.post(f"/forsoeg/{aid}/modul/0", data={"q-t-1": "a"}).status_code == 400
    assert qclient.post(f"/forsoeg/{aid}/aflever").status_code == 400
    assert qclient.post("/kurser/test-kursus/start").status_code == 400
    assert qclient.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["a"]}).status_code == 400
    assert qclient.post("/logout").status_code == 400


def test_login_required_and_bad_login(quiz_app):
    c = quiz_app.test_client()
    r = c.get("/min-side")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    r = c.post("/login", data={"email": "anna@demo.klarret.dk", "password": "forkert",
                               "csrf_token": token(c, "/login")})
    assert r.status_code == 400 and "forkert" in r.get_data(as_text=True)


def test_unknown_certificate_code(quiz_app):
    r = quiz_app.test_client().get("/bevis/FINDESIKKE")
    assert r.status_code == 404 and "kender ikke koden" in r.get_data(as_text=True)
