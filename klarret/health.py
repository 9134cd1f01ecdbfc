"""/healthz (the process answers) and /readyz (the database and every feature's own check, e.g. the index).

Decision 3: /healthz is a liveness probe: cheap, touching nothing, so a restart is only asked for when
the process itself is stuck (a database outage must not make every instance restart). /readyz is
"database and index reachable": a load balancer's readiness probe and the search benchmark's baseline.
"""

from __future__ import annotations

from flask import Flask, jsonify
from sqlalchemy import text

from klarret.db import db
from klarret.registry import registry


def _database() -> dict:
    db.session.execute(text("SELECT 1"))
    return {"ok": True}


def _run_checks():
    """Report each registered check; 503 if any fails, so a load balancer takes the worker out."""
    report, ok = {}, True
    for name, check in registry().health_checks.items():  # features add theirs with add_health_check
        try:
            report[name] = check()
        except Exception as exc:  # a health check must report, not crash
            ok = False
            report[name] = {"ok": False, "error": str(exc)}
    return jsonify({"ok": ok, "checks": report}), 200 if ok else 503


def healthz():
    """The process answers: no database, no index (those are /readyz's)."""
    return jsonify({"ok": True})


def readyz():
    """Ready to serve: the database and the search index (every registered check) are reachable."""
    return _run_checks()


def init_app(app: Flask) -> None:
    """Register /healthz, /readyz and the database check."""
    registry(app).add_health_check("database", _database)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/readyz", "readyz", readyz)
