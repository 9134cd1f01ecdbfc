"""/healthz: the database and every feature's own check (the search index) answer."""

from __future__ import annotations

from typing import Callable

from flask import Flask, jsonify
from sqlalchemy import text

from klarret.db import db


def register(app: Flask, name: str, check: Callable[[], dict]) -> None:
    """Add a named health check; it returns details or raises when unhealthy."""
    app.extensions["klarret.health"][name] = check


def _database() -> dict:
    db.session.execute(text("SELECT 1"))
    return {"ok": True}


def healthz():
    """Report each check; 503 if any fails, so a load balancer takes the worker out."""
    from flask import current_app

    report, ok = {}, True
    for name, check in current_app.extensions["klarret.health"].items():
        try:
            report[name] = check()
        except Exception as exc:  # a health check must report, not crash
            ok = False
            report[name] = {"ok": False, "error": str(exc)}
    return jsonify({"ok": ok, "checks": report}), 200 if ok else 503


def init_app(app: Flask) -> None:
    """Register /healthz and the database check."""
    register(app, "database", _database)
    app.add_url_rule("/healthz", "healthz", healthz)
