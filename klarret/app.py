"""The composition root: ``create_app()`` wires the core and the features (search, quizzes)."""

from __future__ import annotations

from typing import Any

from flask import Flask

import quizzes
import search
from klarret import (  # noqa: F401
    admin,
    auth,
    backup,
    build,
    cli,
    csrf,
    dates,
    db,
    errors,
    guidance,
    health,
    layout,
    logs,
    mail,
    metrics,
    openapi,
    org,
    privacy,
    purge,
    registry,
    routing,
    security,
    settings,
)
from klarret.guidance import content
from klarret.personal_data import MaskingFilter

# Each part registers its routes, commands and contributions (klarret.registry) in its init_app; the
# registry is created on first use, so these may run in any order.
PARTS = (db, logs, metrics, dates, csrf, security, registry, health, auth, errors, openapi, build, org, mail,
         privacy, purge, backup, search, quizzes, cli, admin, content, layout)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Create the KlarRet web app; ``test_config`` overrides settings (tests)."""
    # Loaded and checked once, before anything else: a bad value stops start-up here.
    config = settings.with_secret_key(settings.load(overrides=test_config))
    # App-wide static files under their own prefix, apart from the guidance served from "/".
    app = Flask(__name__, instance_path=str(config.instance_path), static_url_path="/_klarret")
    settings.init_app(app, config)
    if test_config:
        app.config.update(test_config)
    routing.init_app(app)  # first: routes bind their converters when they are added
    # The CSRF token lives as long as the session: a course page left open for hours must still save.
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    # Nothing but the HR upload (which raises its own limit) needs a body over 1 MB.
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None (no limit)
        app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.logger.addFilter(MaskingFilter())  # error lines quote requests: no CPR numbers in them
    for part in PARTS:
        part.init_app(app)
    # Last: "/<path:path>" serves the guidance and matches every URL. Werkzeug already prefers a rule
    # with more static parts (every route matches the same with the guidance first), but between rules
    # it ranks equal (a feature's own "/<path:…>") the one added first wins: the features must.
    guidance.init_app(app)
    return app
