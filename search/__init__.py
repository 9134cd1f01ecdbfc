"""KlarRet search: Danish analysis, the Whoosh index built from the guidance export, the search UI/API.

This is the only package that imports whoosh.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, TypeVar

import click
from flask import Flask, current_app

from klarret import build, health

T = TypeVar("T", int, float)


def _build_step(html_dir: Path) -> None:
    from search.indexer import build_index
    from search.models import editor_words
    from search.synonyms import SynonymError

    try:
        build_index(html_dir, current_app.config["KLARRET_INDEX_DIR"], echo=click.echo, extra_words=editor_words())
    except SynonymError as exc:  # the editors' file: a message with file and line, not a traceback
        raise click.ClickException(f"{exc} Ret linjen i search/synonymer.txt, og kør kommandoen igen. "
                                   "Det nuværende søgeindeks bruges indtil da.") from None


@click.command("index")
def index_command() -> None:
    """Byg søgeindekset fra en eksisterende eksport (efter 'klarret build')."""
    try:
        _build_step(Path(current_app.config["KLARRET_HTML_DIR"]))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


def _index_missing(exc: Exception):
    """No index yet: 503 with a Danish message (the page or API says what to run), not a 500."""
    from werkzeug.exceptions import ServiceUnavailable

    from klarret.errors import danish, handle_http

    current_app.logger.warning("%s", exc)
    return handle_http(danish(ServiceUnavailable, "Søgningen er ikke klar endnu, fordi søgeindekset mangler. "
                                                  "Prøv igen om lidt, eller bed en administrator køre 'klarret build'."))


def _setting(app: Flask, name: str, default: T, cast: Callable[[str], T], valid: Callable[[T], bool],
             what: str) -> T:
    """A number from the app config or the environment; a clear error for the operator if it is not one."""
    raw = app.config.get(name, os.environ.get(name, ""))
    if str(raw).strip() == "":
        return default
    try:
        value = cast(str(raw).strip())
    except ValueError:
        value = None
    if value is None or not valid(value):
        raise ValueError(f"{name} skal være {what}, ikke '{raw}'. Ret eller fjern indstillingen, og start igen.")
    return value


def init_app(app: Flask) -> None:
    """Register the blueprints, the `index` and `search` commands, the build step, the health check
    and the search log's writer."""
    from search import models  # noqa: F401 (the search_log table, for migrations)
    from search.analytics import FLUSH_SECONDS, SearchLogger
    from search.engine import CACHE_SIZE, Engine, IndexMissing
    from search.report import bp as report_bp
    from search.report import search_cli
    from search.views import bp, click_ping

    # A negative cache size failed every search; zero or negative seconds made the log writer spin.
    cache_size = _setting(app, "KLARRET_SEARCH_CACHE", CACHE_SIZE, int, lambda n: n >= 0,
                          "et helt antal svar (0 slår cachen fra)")
    seconds = _setting(app, "KLARRET_SEARCH_LOG_SECONDS", FLUSH_SECONDS, float, lambda n: 0 < n < float("inf"),
                       "et antal sekunder over 0")
    engine = Engine(app.config["KLARRET_INDEX_DIR"], cache_size=cache_size)
    app.extensions["klarret.search"] = engine
    app.extensions["klarret.search_log"] = SearchLogger(app, seconds=seconds)
    app.register_blueprint(bp)
    app.register_error_handler(IndexMissing, _index_missing)
    if "csrf" in app.extensions:  # a link ping is a bare POST: it cannot carry a CSRF token
        app.extensions["csrf"].exempt(click_ping)
    app.register_blueprint(report_bp)
    app.cli.add_command(index_command)
    app.cli.add_command(search_cli)
    build.register_step(app, "Bygger søgeindekset", _build_step)
    # The worker's pid lets bench/search.py count the workers that answer under load.
    health.register(app, "search", lambda: {"ok": True, "records": engine.doc_count(), "pid": os.getpid(), "cache": engine.cache_size})
