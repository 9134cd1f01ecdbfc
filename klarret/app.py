"""The composition root: ``create_app()`` wires the core and the features (search, quizzes)."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

import quizzes
import search
from klarret import admin, auth, build, cli, csrf, db, errors, guidance, health, org, registry, settings  # noqa: F401
from klarret.guidance import content

# Each part registers its routes, commands and contributions (klarret.registry) in its init_app; the
# registry is created on first use, so these may run in any order.
PARTS = (db, csrf, registry, health, auth, errors, build, org, search, quizzes, cli, admin, content)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the KlarRet web app; ``test_config`` overrides settings (tests)."""
    instance = os.environ.get("KLARRET_INSTANCE_PATH") or str(settings.ROOT / "instance")
    # App-wide static files under their own prefix, apart from the guidance served from "/".
    app = Flask(__name__, instance_path=instance, static_url_path="/_klarret")
    app.config.from_mapping(settings.load(app.instance_path))
    if test_config:
        app.config.update(test_config)
    for part in PARTS:
        part.init_app(app)
    # Last: "/<path:path>" serves the guidance and matches every URL. Werkzeug already prefers a rule
    # with more static parts (every route matches the same with the guidance first), but between rules
    # it ranks equal (a feature's own "/<path:…>") the one added first wins: the features must.
    guidance.init_app(app)
    return app
