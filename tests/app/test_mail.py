"""The mail layer's outbox (KLARRET_MAIL=outbox) and the administrators' page /admin/post."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.support.report_org import TODAY, login
from tests.support.web import free_port


def outbox_mode(app) -> None:
    """Store mail instead of sending it; the SMTP port has no server, so a send over SMTP would fail."""
    from klarret import settings

    settings.override(app, {"KLARRET_MAIL": "outbox", "KLARRET_SMTP_HOST": "127.0.0.1",
                            "KLARRET_SMTP_PORT": free_port(), "KLARRET_MAIL_FROM": "KlarRet <demo@kk.dk>"})


def test_outbox_stores_the_reminders_instead_of_sending_them(report_org_app):
    from klarret import mail
    from klarret.db import db
    from quizzes.reports.reminders import plan, send

    outbox_mode(report_org_app)
    with report_org_app.app_context():
        messages = plan(TODAY)
        assert len(messages) > 3
        assert send(messages) == len(messages)
        stored = db.session.scalars(select(mail.MailOutbox).order_by(mail.MailOutbox.id)).all()
        assert [(m.recipient, m.subject, m.body) for m in stored] == [(m.to, m.subject, m.body) for m in messages]
        assert {m.sender for m in stored} == {"KlarRet <demo@kk.dk>"}
        assert all(m.created_at.date() == TODAY for m in stored), "stored on the clock's day"
        assert plan(TODAY) == [], "each reminder once, as with the mail server"


def test_smtp_mode_does_not_touch_the_outbox(report_org_app):
    from klarret import mail, settings
    from klarret.db import db

    settings.override(report_org_app, {"KLARRET_SMTP_HOST": "127.0.0.1", "KLARRET_SMTP_PORT": free_port()})
    with report_org_app.app_context():
        with pytest.raises(mail.SendError, match="Kunne ikke forbinde til mailserveren"):
            mail.send("e1@test.klarret.dk", "Emne", "Tekst")
        assert db.session.scalar(select(func.count()).select_from(mail.MailOutbox)) == 0


def test_administrators_read_the_outbox_newest_first_and_paged(report_org_app):
    from klarret import mail

    outbox_mode(report_org_app)
    with report_org_app.app_context():
        with mail.connection() as conn:
            for i in range(mail.PER_PAGE + 1):
                conn.send(f"p{i}@kk.dk", f"Besked nummer {i}", f"Kære p{i}\n\nTekst {i}.")
    admin = report_org_app.test_client()
    login(admin, "adm")
    first = admin.get("/admin/post").get_data(as_text=True)
    subjects = re.findall(r"<summary>Besked nummer (\d+)</summary>", first)
    assert subjects == [str(i) for i in range(mail.PER_PAGE, 0, -1)], "newest first, one page"
    assert "51 e-mails. Side 1 af 2." in first and "KLARRET_MAIL=outbox" in first and "Kære p50" in first
    assert 'href="/admin/post?side=2"' in first
    second = admin.get("/admin/post?side=2").get_data(as_text=True)
    assert re.findall(r"<summary>Besked nummer (\d+)</summary>", second) == ["0"] and "p0@kk.dk" in second
    employee = report_org_app.test_client()
    login(employee, "e1")
    assert employee.get("/admin/post").status_code == 403
    assert report_org_app.test_client().get("/admin/post").status_code == 302, "anonymous: to the login page"
