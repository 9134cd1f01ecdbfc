"""The privacy notice (issue 10, finding 13) and `klarret purge`, which applies every retention rule (finding 12)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select


def test_privacy_notice_lists_what_is_kept_how_long_and_the_rights(login_app):
    from klarret import settings

    settings.override(login_app, {"KLARRET_SEARCH_LOG_DAYS": "200", "KLARRET_RETENTION_YEARS": "4"})
    html = login_app.test_client().get("/privatliv").get_data(as_text=True)
    for part in ("Københavns Kommune er dataansvarlig", "HR-systemet", "Kursusforsøg", "Søgninger i vejledningen",
                 "Revisionslog", "200 dage", "4 år", "Datatilsynet", "art. 15", "afventer bekræftelse fra en jurist",
                 "ikke sat op i KlarRet endnu"):
        assert part in html, part
    settings.override(login_app, {"KLARRET_PRIVACY_CONTACT": "databeskyttelse@example.invalid"})
    assert "databeskyttelse@example.invalid" in login_app.test_client().get("/privatliv").get_data(as_text=True)


def test_every_app_page_links_the_privacy_notice(login_app):
    html = login_app.test_client().get("/login").get_data(as_text=True)
    assert 'href="/privatliv"' in html


def test_guidance_pages_link_the_privacy_notice(guidance_build):
    page = (guidance_build / "html" / "foer-afgoerelsen" / "partshoering.html").read_text(encoding="utf-8")
    assert re.search(r'href="/privatliv"', page)


def test_purge_applies_every_rule(login_app):
    from klarret import audit, clock
    from klarret.db import db
    from search.models import SearchLog

    old = clock.now() - dt.timedelta(days=400)
    with login_app.app_context():
        db.session.add(SearchLog(search_id="a" * 32, kind="query", created_at=old, query="gammel"))
        db.session.add(SearchLog(search_id="b" * 32, kind="query", created_at=clock.now(), query="ny"))
        event = audit.record("cli", "test.old")
        event.at = clock.now() - dt.timedelta(days=6 * 365)
        db.session.commit()
    runner = login_app.test_cli_runner()
    dry = runner.invoke(args=["purge", "--dry-run"])
    assert dry.exit_code == 0 and "Prøvekørsel" in dry.output and "Søgeloggen" in dry.output
    with login_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SearchLog)) == 2
    done = runner.invoke(args=["purge"])
    assert done.exit_code == 0, done.output
    with login_app.app_context():
        assert db.session.scalars(select(SearchLog.query)).all() == ["ny"]
        actions = db.session.scalars(select(audit.AuditEvent.action)).all()
    assert "test.old" not in actions and "audit.purge" in actions
