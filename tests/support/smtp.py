"""A real local SMTP server (aiosmtpd) that keeps every message it receives, for the reminder tests."""

from __future__ import annotations

import email
import email.policy
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.web import free_port


class Sink:
    """An SMTP handler that keeps every message it receives (thread-safe: several senders at once)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def received(self) -> set[tuple[str, str]]:
        return {(m["To"], m["Subject"]) for m in self.messages}


@contextmanager
def smtp_server() -> Iterator[tuple[Sink, int]]:
    """An SMTP server on a free port of 127.0.0.1: (the sink, the port); stopped afterwards."""
    from aiosmtpd.controller import Controller

    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@contextmanager
def smtp_for(app) -> Iterator[Sink]:
    """An SMTP server as above with ``app``'s mail settings pointed at it; yields the sink."""
    from klarret import settings

    with smtp_server() as (sink, port):
        settings.override(app, {"KLARRET_MAIL": "smtp", "KLARRET_SMTP_HOST": "127.0.0.1",
                                "KLARRET_SMTP_PORT": str(port), "KLARRET_MAIL_FROM": "KlarRet <klarret@test.kk.dk>"})
        yield sink
