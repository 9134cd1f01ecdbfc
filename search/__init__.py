"""KlarRet search: Danish analysis, the Whoosh index built from the guidance export, the search UI/API.

This is the only package that imports whoosh.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app

from klarret import settings
from klarret.csrf import csrf
from klarret.openapi import add_paths as add_api_paths
from klarret.registry import Page, registry
from klarret.roles import Role

if TYPE_CHECKING:
    from search.analytics import SearchLogger
    from search.engine import Engine

_ENGINE, _LOG = "search.engine", "search.log"  # named here only: everyone else calls the accessors


def search_engine(app: Flask | None = None) -> Engine:
    """The worker's search engine (``current_app``'s by default; opened once, after the server forked)."""
    return (app or current_app).extensions[_ENGINE]


def search_log(app: Flask | None = None) -> SearchLogger | None:
    """The worker's search-log writer, or None before ``init_app``."""
    return (app or current_app).extensions.get(_LOG)


def _build_step(html_dir: Path) -> None:
    from search.indexer import build_index
    from search.models import editor_words
    from search.synonyms import SynonymError

    try:
        build_index(html_dir, settings.current().index_dir, echo=click.echo, extra_words=editor_words())
    except SynonymError as exc:  # the editors' file: a message with file and line, not a traceback
        raise click.ClickException(f"{exc} Ret linjen i search/synonymer.txt, og kør kommandoen igen. "
                                   "Det nuværende søgeindeks bruges indtil da.") from None


@click.command("index")
def index_command() -> None:
    """Byg søgeindekset fra en eksisterende eksport (efter 'klarret build')."""
    try:
        _build_step(settings.current().html_dir)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None


def _index_missing(exc: Exception):
    """No index yet: 503 with a Danish message (the page or API says what to run), not a 500."""
    from werkzeug.exceptions import ServiceUnavailable

    from klarret.errors import danish, handle_http

    current_app.logger.warning("%s", exc)
    return handle_http(danish(ServiceUnavailable, "Søgningen er ikke klar endnu, fordi søgeindekset mangler. "
                                                  "Prøv igen om lidt, eller bed en administrator køre "
                                                  "'klarret build'."))


def init_app(app: Flask) -> None:
    """Register the blueprints, the `index` and `search` commands, the build step, the health check
    and the search log's writer."""
    from search import models  # noqa: F401 (the search_log table, for migrations)
    from search.analytics import SearchLogger
    from search.engine import Engine, IndexMissing
    from search.openapi import PATHS as api_paths
    from search.report import bp as report_bp
    from search.report import search_cli
    from search.views import bp, click_ping

    config = settings.of(app)  # KLARRET_SEARCH_CACHE and KLARRET_SEARCH_LOG_SECONDS are checked there
    engine = Engine(config.index_dir, cache_size=config.search_cache)
    app.extensions[_ENGINE] = engine
    app.extensions[_LOG] = SearchLogger(app, seconds=config.search_log_seconds)
    app.register_blueprint(bp)
    add_api_paths(app, api_paths)
    app.register_error_handler(IndexMissing, _index_missing)
    csrf.exempt(click_ping)  # a link ping is a bare POST: it cannot carry a CSRF token
    from search import words  # noqa: F401 (the editors' words' route on report_bp)

    app.register_blueprint(report_bp)
    app.cli.add_command(index_command)
    app.cli.add_command(search_cli)
    reg = registry(app)
    reg.add_build_step("Bygger søgeindekset", _build_step)
    # The worker's pid lets bench/search.py count the workers that answer under load.
    reg.add_health_check("search", lambda: {"ok": True, "records": engine.doc_count(), "pid": os.getpid(),
                                            "cache": engine.cache_size})
    # The header's search box is on every page; the editors' statistics get a menu link.
    reg.add_nav("Søgestatistik", "search_report.page", Role.EDITOR, order=44)
    reg.add_audit_labels({"search.also_called": "Ord tilføjet til søgningen"})
    reg.set_page(Page.SEARCH, "search.page")
    from klarret.privacy import Item
    from search.models import purge_old_searches

    reg.add_retention("Søgeloggen (maskerede søgninger og klik)", purge_old_searches)
    reg.add_privacy_item(Item(
        "Søgninger i vejledningen, uden hvem der søgte; CPR-numre, telefonnumre og mailadresser er erstattet",
        "At se, hvad sagsbehandlerne leder efter, og hvor vejledningen mangler svar.",
        "Databeskyttelsesforordningens art. 6, stk. 1, litra e",
        lambda s: f"{s.search_log_days} dage", "Redaktører og administratorer (kun søgeordene)", order=60))

