"""Driving the app over HTTP in tests: the CSRF token of a page, logging in, a free local port."""

from __future__ import annotations

import re
import socket


def token(client, url: str) -> str:
    """The CSRF token of the form on ``url``."""
    html = client.get(url).get_data(as_text=True)
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, f"no CSRF token on {url}"
    return m.group(1)


DEMO_PASSWORD = "klarret-demo"  # every demo account's


def login(client, email="anna@demo.klarret.dk", password=DEMO_PASSWORD):
    """Log in through the form (by default as the demo's Anna); the form must redirect."""
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": token(client, "/login")})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a test SMTP server, or a refused connection)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
