"""Editors add "also called" words from the search statistics; the demo has a search history to show."""

from __future__ import annotations

import re

from sqlalchemy import select


def _login(client, email: str) -> None:
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"email": email, "password": "klarret-demo", "csrf_token": token})
    assert r.status_code == 302


def _token(client, url: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(as_text=True)).group(1)


def test_an_editor_adds_a_word_from_a_query_without_results(app):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.demo import load_demo_data
    from search.models import AlsoCalled
    from search.words import pages

    with app.app_context():
        load_demo_data(population=False)
        page_id, title = pages()[0]
    editor = app.test_client()
    _login(editor, "erik@demo.klarret.dk")
    html = editor.get("/soeg/statistik?ord=kontradiktion").get_data(as_text=True)
    assert 'id="ord" name="ord" type="text" maxlength="100" value="kontradiktion"' in html
    assert "næste gang søgeindekset bygges" in html and "search/synonymer.txt" not in html
    url = "/soeg/statistik/ogsaa-kaldet"
    r = editor.post(url, data={"csrf_token": _token(editor, "/soeg/statistik"), "ord": "  kontra diktion ",
                               "side": page_id}, follow_redirects=True)
    text = r.get_data(as_text=True)
    assert f"»kontra diktion« er tilføjet til »{title}«" in text
    listed = text[text.index('id="redaktoerord">'):]
    assert "kontra diktion" in listed and "Fra næste indeksering (i nat)" in listed
    again = editor.post(url, data={"csrf_token": _token(editor, "/soeg/statistik"), "ord": "kontra diktion",
                                   "side": page_id}, follow_redirects=True).get_data(as_text=True)
    assert "er allerede tilføjet" in again
    bad = editor.post(url, data={"csrf_token": _token(editor, "/soeg/statistik"), "ord": "x", "side": "findes-ikke"},
                      follow_redirects=True).get_data(as_text=True)
    assert "Skriv et ord på mellem 2 og 100 tegn." in bad
    bad = editor.post(url, data={"csrf_token": _token(editor, "/soeg/statistik"), "ord": "ok ord",
                                 "side": "findes-ikke"}, follow_redirects=True).get_data(as_text=True)
    assert "Vælg den side i vejledningen" in bad
    anna = app.test_client()
    _login(anna, "anna@demo.klarret.dk")
    assert anna.post(url, data={"csrf_token": _token(anna, "/min-side"), "ord": "ord", "side": page_id}
                     ).status_code == 403
    with app.app_context():
        assert [(w.page, w.word) for w in db.session.scalars(select(AlsoCalled))] == [(page_id, "kontra diktion")]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "search.also_called"))
        assert (event.actor, event.target, event.details) == ("000104", page_id, {"word": "kontra diktion"})


def test_demo_search_history_fills_the_statistics_once(db_app):
    from klarret.db import db
    from klarret.demo.searches import QUERIES, load_search_history
    from search.report import report

    with db_app.app_context():
        n = load_search_history()
        assert n == sum(q[2] for q in QUERIES) and load_search_history() == 0, "once"
        data = report(days=30)
        assert data["total"] == n
        assert "kontradiktion" in [r["query"] for r in data["no_results"]]
        assert data["frequent"][0]["query"] == "partshøring" and data["frequent"][0]["clicked"] > 0
        db.session.remove()
