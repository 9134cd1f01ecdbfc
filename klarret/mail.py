"""The one mail layer: every e-mail KlarRet sends (reminders, digests, later bookings) goes through here.

``KLARRET_MAIL=smtp`` (the default) hands messages to the mail server (``KLARRET_SMTP_*``);
``KLARRET_MAIL=outbox`` (the demo, ``make run``) stores them in the ``mail_outbox`` table instead, where
administrators read them at /admin/post. Messages are plain Danish text, optionally with text
attachments (a classroom booking's .ics calendar invitation).
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from flask import Blueprint, Flask, render_template, request
from sqlalchemy import JSON, DateTime, Integer, String, Text, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from klarret import clock, settings
from klarret.auth import role_required
from klarret.db import db, paginate
from klarret.roles import Role

PER_PAGE = 50
bp = Blueprint("mail", __name__, url_prefix="/admin")


class MailOutbox(db.Model):
    """An e-mail stored instead of sent (KLARRET_MAIL=outbox)."""

    __tablename__ = "mail_outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True, default=clock.now)
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text)
    # [{"filename", "content_type", "text"}] (None: no attachments)
    attachments: Mapped[list | None] = mapped_column(JSON, nullable=True)


@dataclass(frozen=True)
class Attachment:
    """A text attachment, e.g. ``Attachment("hold.ics", "text/calendar; method=REQUEST", ics_text)``."""

    filename: str
    content_type: str  # "maintype/subtype", optionally with "; key=value" parameters
    text: str

    def as_json(self) -> dict[str, str]:
        return {"filename": self.filename, "content_type": self.content_type, "text": self.text}


def _attach(mail: EmailMessage, att: Attachment) -> None:
    """Add ``att`` to ``mail`` with its subtype and parameters (calendar clients read METHOD from them)."""
    kind, *params = [p.strip() for p in att.content_type.split(";")]
    subtype = kind.partition("/")[2] or "plain"
    mail.add_attachment(att.text, subtype=subtype, filename=att.filename,
                        params=dict(p.split("=", 1) for p in params if "=" in p))


class SendError(Exception):
    """A message could not be sent; the message is Danish and says what to check."""


class RecipientRefused(SendError):
    """The mail server refused one recipient; the connection can still send to the others."""


class Connection(Protocol):
    """An open way to send: the mail server, or the outbox table."""

    def send(self, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None: ...


class _Smtp:
    """One SMTP connection for many messages."""

    def __init__(self, config: settings.Settings):
        self.sender = config.mail_from
        try:
            self.smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=30)
            if config.smtp_starttls:
                self.smtp.starttls(context=ssl.create_default_context())
            if config.smtp_user:
                self.smtp.login(config.smtp_user, config.smtp_password)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"Kunne ikke forbinde til mailserveren {config.smtp_host}:{config.smtp_port} ({exc}). "
                            "Tjek KLARRET_SMTP_HOST, KLARRET_SMTP_PORT og adgangsoplysningerne.") from exc

    def send(self, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
        mail = EmailMessage()
        mail["From"], mail["To"], mail["Subject"] = self.sender, to, subject
        mail.set_content(body)
        for att in attachments:
            _attach(mail, att)
        try:
            self.smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            raise RecipientRefused(f"Mailserveren afviste modtageren {to}.") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"Mailserveren afviste e-mailen til {to} ({exc}).") from exc

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (OSError, smtplib.SMTPException):
            pass


class _Outbox:
    """The outbox table: each message is committed at once, as a mail server would have taken it."""

    def __init__(self, config: settings.Settings):
        self.sender = config.mail_from

    def send(self, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
        try:
            db.session.add(MailOutbox(sender=self.sender, recipient=to, subject=subject, body=body,
                                      attachments=[a.as_json() for a in attachments] or None))
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            raise SendError(f"E-mailen til {to} kunne ikke gemmes i udbakken ({exc}).") from exc

    def close(self) -> None:
        pass


@contextmanager
def connection() -> Iterator[Connection]:
    """A connection for sending several messages, chosen by KLARRET_MAIL; closed afterwards."""
    config = settings.current()
    conn = _Outbox(config) if config.mail == "outbox" else _Smtp(config)
    try:
        yield conn
    finally:
        conn.close()


def send(to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
    """Send one message (raises SendError, in Danish, if it cannot)."""
    with connection() as conn:
        conn.send(to, subject, body, attachments)


@bp.get("/post")
@role_required(Role.ADMINISTRATOR)
def outbox():
    """The stored e-mails, newest first, paged."""
    query = select(MailOutbox).order_by(MailOutbox.created_at.desc(), MailOutbox.id.desc())
    messages, page, pages, total = paginate(query, request.args.get("side", 1, type=int), PER_PAGE)
    return render_template("mail/outbox.html", messages=messages, page=page, pages=pages, total=total,
                           mode=settings.current().mail)


def init_app(app: Flask) -> None:
    """Register the administrators' outbox page."""
    app.register_blueprint(bp)
