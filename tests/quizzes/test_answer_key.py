"""The answer key after a failed attempt (issue 10, finding 11): wrong answers and explanations, never the key."""

from __future__ import annotations

import pytest

from tests.support.attempts import TEST_COURSE, answer_all, hand_in, start
from tests.support.web import login

KEY = "(rigtigt svar)"


def _result(client, app, right: bool) -> str:
    aid = start(client, "test-kursus")
    answer_all(client, app, aid, right=right)
    hand_in(client, aid)
    return client.get(f"/forsoeg/{aid}/resultat").get_data(as_text=True)


def test_a_failed_attempt_shows_what_was_wrong_but_not_the_key(qclient, quiz_app):
    html = _result(qclient, quiz_app, right=False)
    assert "Ikke bestået" in html and "Forkert" in html and "Læs reglen i vejledningen" in html
    assert KEY not in html
    # An empty submission (the old way to read the whole key) shows no key either.
    aid = start(qclient, "test-kursus")
    hand_in(qclient, aid)
    assert KEY not in qclient.get(f"/forsoeg/{aid}/resultat").get_data(as_text=True)


def test_the_key_is_shown_after_a_pass_and_after_the_last_attempt(qclient, quiz_app):
    assert KEY in _result(qclient, quiz_app, right=True)
    other = quiz_app.test_client()
    login(other, "bo@demo.klarret.dk")
    pages = [_result(other, quiz_app, right=False) for _ in range(3)]  # max_attempts = 3
    assert KEY not in pages[0] and KEY not in pages[1]
    assert KEY in pages[2], "after the last allowed attempt the key is shown"


@pytest.mark.parametrize("setting, shown_after_fail", [("altid", True), ("efter-bestaaet", False)])
def test_course_setting_changes_when_the_key_is_shown(qclient, quiz_app, setting, shown_after_fail):
    from pathlib import Path

    from quizzes.courses import set_catalogue
    from quizzes.courses.loader import load_courses

    path = Path(quiz_app.config["KLARRET_COURSES_DIR"]) / "test-kursus.toml"
    path.write_text(path.read_text().replace("max_attempts = 3", f'max_attempts = 3\nvis_svar = "{setting}"'))
    courses, errors = load_courses(path.parent)
    assert errors == []
    set_catalogue(quiz_app, courses)
    assert (KEY in _result(qclient, quiz_app, right=False)) is shown_after_fail


def test_unknown_setting_is_reported_in_danish(tmp_path):
    from quizzes.courses.loader import load_courses

    (tmp_path / "x.toml").write_text(
        TEST_COURSE.replace("max_attempts = 3", 'max_attempts = 3\nvis_svar = "nogle gange"'))
    _, errors = load_courses(tmp_path)
    assert any("vis_svar" in str(e) and "efter-bestaaet" in str(e) for e in errors), [str(e) for e in errors]
