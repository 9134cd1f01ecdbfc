"""Malformed requests get a short Danish 4xx, never a 500 (issue 10, finding 8)."""

from __future__ import annotations

import json

from tests.support.attempts import start
from tests.support.web import login, token

HUGE = "9" * 25  # far above 2**63


BODIES = ["[1, 2]", '"svar"', "null", "17", '{"question": 5, "options": "a"}', '{"question": "t-1", "options": [1]}',
          "{not json"]


def test_answer_api_refuses_bodies_that_are_not_an_answer(qclient):
    aid = start(qclient, "test-kursus")
    tok = token(qclient, f"/forsoeg/{aid}/modul/0")
    for body in BODIES:
        r = qclient.post(f"/api/forsoeg/{aid}/svar", data=body, content_type="application/json",
                         headers={"X-CSRFToken": tok})
        assert r.status_code == 400, body
        assert "Svaret skal have" in r.get_json()["error"]["message"], body


def test_a_huge_body_is_refused_without_being_echoed(qclient):
    aid = start(qclient, "test-kursus")
    tok = token(qclient, f"/forsoeg/{aid}/modul/0")
    question = "x" * (60 * 1024 * 1024)
    r = qclient.post(f"/api/forsoeg/{aid}/svar", data=json.dumps({"question": question, "options": []}),
                     content_type="application/json", headers={"X-CSRFToken": tok})
    assert r.status_code == 413
    assert len(r.get_data()) < 2000 and "for stor" in r.get_json()["error"]["message"]


def test_an_unknown_question_is_not_echoed_at_length(qclient):
    aid = start(qclient, "test-kursus")
    tok = token(qclient, f"/forsoeg/{aid}/modul/0")
    r = qclient.post(f"/api/forsoeg/{aid}/svar", json={"question": "q" * 50_000, "options": []},
                     headers={"X-CSRFToken": tok})
    assert r.status_code == 400 and len(r.get_data()) < 2000


def test_ids_beyond_the_database_range_are_404(qclient):
    for url in (f"/forsoeg/{HUGE}/resultat", f"/forsoeg/{HUGE}/modul/0", f"/forsoeg/1/modul/{HUGE}",
                f"/leder/enhed/{HUGE}", f"/bevis/{'A' * 5000}", f"/forsoeg/{2**31}/resultat"):
        assert qclient.get(url).status_code == 404, url


def test_huge_page_numbers_in_the_audit_log(quiz_app):
    c = quiz_app.test_client()
    login(c, "admin@demo.klarret.dk")
    for side in (HUGE, "-5", "abc", "0"):
        r = c.get("/admin/revisionslog", query_string={"side": side})
        assert r.status_code in (200, 400), (side, r.status_code)
        assert "Revisionslog" in r.get_data(as_text=True) or r.status_code == 400
        r = c.get("/admin/post", query_string={"side": side})
        assert r.status_code == 200, (side, r.status_code)
