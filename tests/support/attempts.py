"""Taking the test course through the web forms: its file, starting, answering and handing in."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.web import token

TEST_COURSES = Path(__file__).parents[1] / "data" / "courses"
TEST_COURSE = (TEST_COURSES / "test-kursus.toml").read_text(encoding="utf-8")


def start(client, course_id: str) -> int:
    """Start a course; returns the new attempt's id."""
    r = client.post(f"/kurser/{course_id}/start", data={"csrf_token": token(client, f"/kurser/{course_id}")})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return int(re.search(r"/forsoeg/(\d+)/", r.headers["Location"]).group(1))


def answer_all(client, app, attempt_id: int, right: bool) -> None:
    """Answer every module through the forms: all right, or all wrong."""
    from klarret.db import db
    from quizzes.attempts.service import pinned_course
    from quizzes.models import Attempt

    with app.app_context():
        course = pinned_course(db.session.get(Attempt, attempt_id))
        modules = [[(q.id, sorted(q.correct_ids), [o.id for o in q.options if not o.correct][:1])
                    for q in m.questions] for m in course.modules]
    for i, questions in enumerate(modules):
        url = f"/forsoeg/{attempt_id}/modul/{i}"
        data = {"csrf_token": token(client, url), "go": "next"}
        for qid, good, bad in questions:
            data[f"q-{qid}"] = good if right else bad
        r = client.post(url, data=data)
        assert r.status_code == 302, r.get_data(as_text=True)[:300]


def hand_in(client, attempt_id: int):
    """Submit an attempt from its review page; returns the response."""
    return client.post(f"/forsoeg/{attempt_id}/aflever",
                       data={"csrf_token": token(client, f"/forsoeg/{attempt_id}/gennemse")})
