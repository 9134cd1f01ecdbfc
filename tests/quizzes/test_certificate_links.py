"""Absolute links come from KLARRET_BASE_URL, never from the request's Host header (issue 10, finding 9)."""

from __future__ import annotations

import re

from tests.support.attempts import answer_all, hand_in, start


def test_certificate_link_ignores_the_host_header(qclient, quiz_app):
    from klarret import settings

    settings.override(quiz_app, {"KLARRET_BASE_URL": "https://klarret.kk.dk"})
    aid = start(qclient, "test-kursus")
    answer_all(qclient, quiz_app, aid, right=True)
    hand_in(qclient, aid)
    code = re.search(r"/bevis/([A-Z0-9]+)", qclient.get(f"/forsoeg/{aid}/resultat").get_data(as_text=True)).group(1)
    html = quiz_app.test_client().get(f"/bevis/{code}", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html
    assert f"https://klarret.kk.dk/bevis/{code}" in html
