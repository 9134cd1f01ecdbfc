"""A real local SMTP server (aiosmtpd) that keeps what it receives, for the mail tests."""

from __future__ import annotations

import email
import email.policy
from contextlib import contextmanager


class Sink:
    """An SMTP handler that keeps every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@contextmanager
def smtp_server(app):
    """Start a server on a free port and point ``app``'s mail settings at it; yields the Sink."""
    from aiosmtpd.controller import Controller

    from klarret import settings
    from tests.support.web import free_port

    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.override(app, {"KLARRET_MAIL": "smtp", "KLARRET_SMTP_HOST": "127.0.0.1", "KLARRET_SMTP_PORT": str(port),
                            "KLARRET_MAIL_FROM": "KlarRet <klarret@test.kk.dk>"})
    try:
        yield sink
    finally:
        controller.stop()
