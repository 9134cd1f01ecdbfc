"""Races around one attempt (issue 10, finding 1): a save racing the submission, concurrent starts."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from tests.support.attempts import answer_all, start
from tests.support.web import token


def _twin(app, client):
    """A second client with the same session (a second tab of the same employee)."""
    other = app.test_client()
    with other.session_transaction() as s, client.session_transaction() as src:
        s.update(src)
    return other


def test_a_save_racing_the_submission_is_graded_or_refused(qclient, quiz_app, monkeypatch):
    """The score is computed from exactly the answers stored; a save that loses gets 409 in Danish."""
    from klarret.db import db
    from quizzes.attempts import service
    from quizzes.models import Answer, Attempt

    aid = start(qclient, "test-kursus")
    answer_all(qclient, quiz_app, aid, right=False)
    with quiz_app.app_context():
        question = service.pinned_course(db.session.get(Attempt, aid)).questions[0]
        right = sorted(question.correct_ids)
    tok = token(qclient, f"/forsoeg/{aid}/gennemse")

    # The submission pauses right after it has read the answers, until the save has had its chance.
    reading, release = threading.Event(), threading.Event()
    real_grade = service.grade

    def slow_grade(course, answers):
        reading.set()
        release.wait(3)
        return real_grade(course, answers)

    monkeypatch.setattr(service, "grade", slow_grade)
    results: dict[str, object] = {}
    submitter, saver = _twin(quiz_app, qclient), _twin(quiz_app, qclient)

    def submit():
        results["submit"] = submitter.post(f"/forsoeg/{aid}/aflever", data={"csrf_token": tok}).status_code

    def save():
        r = saver.post(f"/api/forsoeg/{aid}/svar", json={"question": question.id, "options": right},
                       headers={"X-CSRFToken": tok})
        results["save"] = (r.status_code, r.get_json())

    t_submit = threading.Thread(target=submit)
    t_submit.start()
    assert reading.wait(5), "the submission never graded"
    t_save = threading.Thread(target=save)
    t_save.start()
    t_save.join(1.0)  # the save either finishes now (no lock) or waits for the submission
    release.set()
    t_submit.join(10)
    t_save.join(10)
    assert results["submit"] == 302
    status, body = results["save"]
    with quiz_app.app_context():
        attempt = db.session.get(Attempt, aid)
        stored = db.session.get(Answer, (aid, question.id))
        graded = sum(1 for a in attempt.answers if a.correct)
        if status == 200:  # the save won: the score must include it
            assert stored.selected == ",".join(right) and stored.correct is True
        else:  # the save lost: refused in Danish, and nothing was stored after grading
            assert status == 409 and "afleveret" in body["error"]["message"]
            assert stored.selected != ",".join(right)
        assert attempt.correct == graded, "the score was computed from other answers than those stored"


def test_concurrent_starts_give_one_open_attempt(qclient, quiz_app):
    from klarret.db import db
    from quizzes.models import Attempt

    tok = token(qclient, "/kurser/test-kursus")
    barrier = threading.Barrier(10)
    locations: list[str] = []

    def start_once():
        c = _twin(quiz_app, qclient)
        barrier.wait()
        r = c.post("/kurser/test-kursus/start", data={"csrf_token": tok})
        locations.append(f"{r.status_code} {r.headers.get('Location', '')}")

    threads = [threading.Thread(target=start_once) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with quiz_app.app_context():
        open_attempts = db.session.scalar(select(func.count()).select_from(Attempt).where(
            Attempt.submitted_at.is_(None)))
    assert open_attempts == 1
    assert len(set(locations)) == 1 and locations[0].startswith("302 "), locations


def test_migration_merges_duplicate_open_attempts(basic_build, database_url, tmp_path):
    """Duplicates left by the old race are merged before the unique index is created."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from klarret.db import db
    from tests.conftest import make_app

    app = make_app(basic_build, database_url, tmp_path)
    with app.app_context():
        downgrade(revision="b1report0001")
        db.session.execute(text("INSERT INTO administration (code, name) VALUES ('SOF', 'Socialforvaltningen')"))
        db.session.execute(text("INSERT INTO employee (staff_no, name, job_title, active, excluded_from_stats, role) "
                                "VALUES ('1', 'Anna', '', true, false, 'employee')"))
        db.session.execute(text("INSERT INTO course_version (id, course_id, version, content, created_at) "
                                "VALUES (1, 'k', 'v1', '{}', '2026-01-01')"))
        for aid in (1, 2, 3):
            db.session.execute(text("INSERT INTO attempt (id, staff_no, course_id, version_id, seed, started_at) "
                                    "VALUES (:i, '1', 'k', 1, 1, '2026-01-01')"), {"i": aid})
        for aid, qid, sel in ((1, "q1", "a"), (1, "q2", "a"), (3, "q2", "b")):
            db.session.execute(text("INSERT INTO answer (attempt_id, question_id, selected, answered_at) "
                                    "VALUES (:a, :q, :s, '2026-01-01')"), {"a": aid, "q": qid, "s": sel})
        db.session.commit()
        upgrade()
        attempts = db.session.execute(text("SELECT id FROM attempt")).scalars().all()
        answers = db.session.execute(text("SELECT question_id, selected FROM answer WHERE attempt_id = 3 "
                                          "ORDER BY question_id")).all()
        db.session.remove()
    assert attempts == [3]  # the newest is kept
    assert [tuple(a) for a in answers] == [("q1", "a"), ("q2", "b")]  # its own answer wins; the missing one moved
