"""Reminders against a real local SMTP server (aiosmtpd): who gets what, each message once, the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from tests.support.smtp import smtp_server
from tests.support.status_org import attempt, person
from tests.support.web import free_port

D = dt.date


@pytest.fixture
def smtp(rules_app):
    from klarret import settings

    with smtp_server() as (sink, port):
        settings.override(rules_app, {"KLARRET_SMTP_HOST": "127.0.0.1", "KLARRET_SMTP_PORT": str(port),
                                    "KLARRET_MAIL_FROM": "KlarRet <klarret@test.kk.dk>",
                                    "KLARRET_BASE_URL": "https://klarret.test"})
        yield sink


def organisation():
    person("1", "SOF", "Center A / Team 1", D(2026, 1, 1), email="p1@kk.dk", name="Pia Et")
    person("2", "BIF", "Jobcenter", D(2026, 5, 20), email="p2@kk.dk")
    person("3", "SOF", "Center A", D(2026, 5, 25), email="p3@kk.dk", manages="Center A", name="Leila Leder")
    person("4", "SOF", "Center A", D(2026, 1, 1))  # no e-mail address: nothing to send
    person("5", "BIF", "Jobcenter", D(2025, 1, 1), email="p5@kk.dk")
    attempt("5", "basis", D(2025, 6, 15), passed=True, score=90)  # expires 2026-06-15


def test_each_reminder_once_and_the_managers_weekly_digest(rules_app, smtp):
    from klarret.db import db
    from quizzes.models import ReminderSent
    from quizzes.reports.reminders import plan, send

    with rules_app.app_context():
        organisation()
        assert send(plan(D(2026, 6, 1))) == 12
        assert smtp.received() == {
            ("p1@kk.dk", "Fristen er overskredet: Basis"), ("p1@kk.dk", "Fristen er overskredet: Center A"),
            ("p1@kk.dk", "Nyt obligatorisk kursus: Kun SOF"),
            ("p2@kk.dk", "Påmindelse: Basis skal tages senest 19. juni 2026"),
            ("p2@kk.dk", "Påmindelse: Nye skal tages senest 3. juni 2026"),
            ("p3@kk.dk", "Påmindelse: Basis skal tages senest 24. juni 2026"),
            ("p3@kk.dk", "Nyt obligatorisk kursus: Kun SOF"),
            ("p3@kk.dk", "Påmindelse: Center A skal tages senest 4. juni 2026"),
            ("p3@kk.dk", "Påmindelse: Ledere skal tages senest 14. juni 2026"),
            ("p3@kk.dk", "Påmindelse: Nye skal tages senest 8. juni 2026"),
            ("p3@kk.dk", "Ugeoversigt: 2 med overskredet kursusfrist"),
            ("p5@kk.dk", "Dit kursusbevis udløber snart: Basis"),
        }
        overdue = next(m for m in smtp.messages if m["Subject"] == "Fristen er overskredet: Basis")
        body = overdue.get_content().replace("\r\n", "\n")
        assert overdue["From"] == "KlarRet <klarret@test.kk.dk>"
        assert body.startswith("Kære Pia Et\n") and "var den 31. januar 2026" in body
        assert "https://klarret.test/kurser/basis" in body
        digest = next(m for m in smtp.messages if m["Subject"].startswith("Ugeoversigt"))
        digest = digest.get_content().replace("\r\n", "\n")
        assert "Pia Et (1), Center A / Team 1: Basis – forfalden, frist 31. januar 2026" in digest
        assert "Person 4 (4), Center A: Basis" in digest and "Leila" not in digest.split("\n", 1)[1]
        assert "https://klarret.test/leder" in digest

        assert plan(D(2026, 6, 1)) == [] and send(plan(D(2026, 6, 1))) == 0, "a second run sends nothing"
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 12
        smtp.messages.clear()
        # A week later: deadlines passed since, and a new week's digest.
        assert send(plan(D(2026, 6, 10))) == 4
        assert smtp.received() == {
            ("p2@kk.dk", "Fristen er overskredet: Nye"), ("p3@kk.dk", "Fristen er overskredet: Center A"),
            ("p3@kk.dk", "Fristen er overskredet: Nye"), ("p3@kk.dk", "Ugeoversigt: 2 med overskredet kursusfrist")}


def test_renewal_reminders_are_keyed_by_cycle(rules_app, smtp):
    from quizzes.reports.reminders import plan, send

    with rules_app.app_context():
        organisation()
        send(plan(D(2026, 6, 1)))
        attempt("5", "basis", D(2026, 6, 2), passed=True, score=100)  # renewed: a new cycle, expires 2027-06-02
        smtp.messages.clear()
        send(plan(D(2027, 5, 10)))
        assert ("p5@kk.dk", "Dit kursusbevis udløber snart: Basis") in smtp.received()


def test_send_reminder_now_is_audited_and_sent_once_a_day(rules_app, smtp):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from quizzes.completion.assignments import exempt
    from quizzes.reports.reminders import send_reminder_now

    with rules_app.app_context():
        organisation()
        msg = send_reminder_now("1", "basis", actor="3", today=D(2026, 6, 1))
        assert msg.to == "p1@kk.dk" and smtp.received() == {("p1@kk.dk", "Fristen er overskredet: Basis")}
        with pytest.raises(ValueError, match="allerede sendt"):
            send_reminder_now("1", "basis", actor="3", today=D(2026, 6, 1))
        send_reminder_now("1", "basis", actor="3", today=D(2026, 6, 2))
        assert len(smtp.messages) == 2
        with pytest.raises(ValueError, match="e-mailadresse"):
            send_reminder_now("4", "basis", actor="3", today=D(2026, 6, 1))
        exempt("2", "basis", "Orlov", actor="admin")
        with pytest.raises(ValueError, match="fritaget"):
            send_reminder_now("2", "basis", actor="3", today=D(2026, 6, 1))
        with pytest.raises(ValueError, match="skal ikke tage"):
            send_reminder_now("2", "leder", actor="3", today=D(2026, 6, 1))
        events = db.session.execute(select(AuditEvent.actor, AuditEvent.target)
                                    .where(AuditEvent.action == "reminder.send")).all()
        assert [tuple(e) for e in events] == [("3", "1/basis"), ("3", "1/basis")]


def test_cli_remind_dry_run_then_send_then_nothing(rules_app, smtp):
    from klarret.db import db
    from quizzes.models import Assignment, ReminderSent

    today = dt.date.today()
    with rules_app.app_context():
        person("1", "SOF", "Center A", today - dt.timedelta(days=400), email="p1@kk.dk")
    runner = rules_app.test_cli_runner()
    r = runner.invoke(args=["remind", "--dry-run"])
    assert r.exit_code == 0 and "p1@kk.dk" in r.output and "prøvekørsel" in r.output
    assert smtp.messages == []
    with rules_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 0
    r = runner.invoke(args=["remind"])
    assert r.exit_code == 0, r.output
    sent = len(smtp.messages)
    assert sent >= 2 and "Sendte" in r.output  # basis and Center A at least
    assert all(m["To"] == "p1@kk.dk" for m in smtp.messages)
    r = runner.invoke(args=["remind"])
    assert r.exit_code == 0 and "Sendte 0 e-mails" in r.output and len(smtp.messages) == sent
    with rules_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 3, "assignments recorded"


def test_cli_remind_fails_in_danish_without_a_mail_server(rules_app):
    from klarret import settings
    from klarret.db import db
    from quizzes.models import ReminderSent

    with rules_app.app_context():
        person("1", "SOF", "Center A", D(2025, 1, 1), email="p1@kk.dk")
    settings.override(rules_app, {"KLARRET_SMTP_HOST": "127.0.0.1", "KLARRET_SMTP_PORT": str(free_port())})
    r = rules_app.test_cli_runner().invoke(args=["remind"])
    assert r.exit_code == 1 and "Kunne ikke forbinde til mailserveren" in r.output and "KLARRET_SMTP_HOST" in r.output
    with rules_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 0


def test_a_refused_address_does_not_stop_the_others(rules_app, smtp):
    from klarret.db import db
    from quizzes.models import ReminderSent
    from quizzes.reports.reminders import SendError, plan, send

    async def handle_RCPT(server, session, envelope, address, rcpt_options):
        if address == "p2@kk.dk":
            return "550 5.1.1 Ukendt modtager"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = handle_RCPT
    with rules_app.app_context():
        organisation()
        with pytest.raises(SendError, match=r"10 e-mails blev sendt, men mailserveren afviste 2: p2@kk.dk"):
            send(plan(D(2026, 6, 1)))
        assert len(smtp.messages) == 10 and all(m["To"] != "p2@kk.dk" for m in smtp.messages)
        assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 10
        assert {m.to for m in plan(D(2026, 6, 1))} == {"p2@kk.dk"}, "the refused ones are tried again next time"
