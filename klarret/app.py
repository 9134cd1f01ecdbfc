"""The composition root: ``create_app()`` wires the core and the features (search, quizzes)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_wtf.csrf import CSRFProtect

import quizzes
import search
from klarret import admin, audit, auth, build, cli, db, errors, guidance, health, mail, openapi, org, routing, settings  # noqa: F401
from klarret.guidance import content
from klarret.personal_data import MaskingFilter

csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the KlarRet web app; ``test_config`` overrides settings (tests)."""
    # Loaded and checked once, before anything else: a bad value stops start-up here.
    config = settings.with_secret_key(settings.load(overrides=test_config))
    # App-wide static files under their own prefix, apart from the guidance served from "/".
    app = Flask(__name__, instance_path=str(config.instance_path), static_url_path="/_klarret")
    settings.init_app(app, config)
    if test_config:
        app.config.update(test_config)
    app.extensions["klarret.build_steps"] = []
    app.extensions["klarret.health"] = {}
    routing.init_app(app)  # first: routes bind their converters when they are added
    # Nothing but the HR upload (which raises its own limit) needs a body over 1 MB.
    # The CSRF token lives as long as the session: a course page left open for hours must still save.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None (no limit)
        app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.logger.addFilter(MaskingFilter())  # error lines quote requests: no CPR numbers in them
    db.init_app(app)
    csrf.init_app(app)
    health.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    openapi.init_app(app)
    build.init_app(app)
    search.init_app(app)
    quizzes.init_app(app)
    cli.init_app(app)
    admin.init_app(app)
    mail.init_app(app)
    content.init_app(app)
    # Last: the guidance is served from "/", so every other route must be known first.
    guidance.init_app(app)
    return app
