"""CSRF protection for every form post; features exempt a view with ``csrf.exempt`` in any order."""

from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect

# One instance for the process: ``exempt`` records the view's name, so it works before or after init_app.
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    """Check the token on every POST (except exempted views)."""
    csrf.init_app(app)
