"""A course page left open for hours still saves (issue 10, finding 10: the CSRF token expired after an hour)."""

from __future__ import annotations

import itsdangerous.timed

from tests.support.attempts import start
from tests.support.web import token


def test_a_save_from_a_two_hour_old_page_is_kept(qclient, monkeypatch):
    aid = start(qclient, "test-kursus")
    tok = token(qclient, f"/forsoeg/{aid}/modul/0")  # the page is opened …
    later = itsdangerous.timed.TimestampSigner.get_timestamp(None) + 2 * 3600
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: later)
    # … and the employee comes back two hours later: the answer given through JavaScript and the form are saved.
    r = qclient.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["a"]},
                     headers={"X-CSRFToken": tok})
    assert r.status_code == 200, r.get_data(as_text=True)
    r = qclient.post(f"/forsoeg/{aid}/modul/0", data={"csrf_token": tok, "q-t-1": "a", "go": "next"})
    assert r.status_code == 302


def test_a_forged_token_is_refused_in_danish(qclient):
    aid = start(qclient, "test-kursus")
    r = qclient.post(f"/api/forsoeg/{aid}/svar", json={"question": "t-1", "options": ["a"]},
                     headers={"X-CSRFToken": "forfalsket"})
    assert r.status_code == 400
    assert "Genindlæs siden" in r.get_json()["error"]["message"]
