"""Content gaps from the search log: frequent queries, queries without results, results nobody clicks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from flask import Blueprint, render_template, request
from flask.cli import AppGroup
from sqlalchemy import func, select

from klarret import clock
from klarret.auth import role_required
from klarret.db import db
from klarret.roles import Role
from search.models import SearchLog

bp = Blueprint("search_report", __name__, template_folder="templates")
search_cli = AppGroup("search", help="Søgningens statistik og synonymer.")
DAYS = 30
LIMIT = 20


def report(days: int = DAYS, limit: int = LIMIT) -> dict[str, Any]:
    """The three lists for the last ``days`` days, each at most ``limit`` rows, most searched first."""
    since = clock.now() - dt.timedelta(days=days)
    text = func.lower(SearchLog.query).label("query")
    searches = func.count().label("searches")
    clicked = (select(SearchLog.search_id).where(SearchLog.kind == "click", SearchLog.created_at >= since)
               .distinct().subquery())
    with_click = func.count(clicked.c.search_id).label("clicked")
    base = (select(text, searches, with_click, func.max(SearchLog.result_count).label("results"))
            .select_from(SearchLog).outerjoin(clicked, clicked.c.search_id == SearchLog.search_id)
            .where(SearchLog.kind == "query", SearchLog.created_at >= since)
            .group_by(text).order_by(searches.desc(), text).limit(limit))

    def rows(stmt) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in db.session.execute(stmt)]

    total = db.session.scalar(select(func.count()).select_from(SearchLog).where(
        SearchLog.kind == "query", SearchLog.created_at >= since)) or 0
    return {
        "days": days, "total": total,
        "frequent": rows(base),
        "no_results": rows(base.where(SearchLog.result_count == 0)),
        "unclicked": rows(base.where(SearchLog.result_count > 0).having(with_click == 0)),
    }


@bp.get("/soeg/statistik")
@role_required(Role.EDITOR)
def page():
    """The editors' page: what case workers search for and where the guidance falls short."""
    try:
        days = min(max(int(request.args.get("dage", DAYS)), 1), 3650)
    except ValueError:
        days = DAYS
    from search.words import index_built, pages, words

    return render_template("search/report.html", data=report(days), pages=pages(), words=words(),
                           built=index_built(), word=request.args.get("ord", "")[:100])


@search_cli.command("report")
@click.option("--days", type=click.IntRange(1, 3650), default=DAYS, show_default=True, help="Antal dage tilbage.")
@click.option("--limit", type=click.IntRange(1, 1000), default=LIMIT, show_default=True, help="Rækker pr. liste.")
def report_command(days: int, limit: int) -> None:
    """Vis de hyppigste søgninger, søgninger uden resultater og søgninger, hvor ingen klikker."""
    from search import search_log

    logger = search_log()
    if logger is not None:
        logger.flush()
    data = report(days, limit)
    period = "det seneste døgn" if days == 1 else f"de seneste {days} dage"
    click.echo(f"Søgninger {period}: {data['total']}")
    for key, title in (("frequent", "Hyppigste søgninger"), ("no_results", "Søgninger uden resultater"),
                       ("unclicked", "Søgninger, hvor ingen klikker på et resultat")):
        click.echo(f"\n{title}:")
        if not data[key]:
            click.echo("  (ingen)")
        for r in data[key]:
            click.echo(f"  {r['searches']:>5} × {r['query']}  (resultater: {r['results']}, med klik: {r['clicked']})")


@search_cli.command("synonyms")
def synonyms_command() -> None:
    """Vis synonymtabellen, som søgeindekset bruger (redaktørernes fil, ordlisten og lovene)."""
    from search import search_engine

    try:
        rules = search_engine().synonym_rules
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    for rule in rules:
        left, right = ", ".join(rule.sources), ", ".join(rule.targets)
        shown = left if rule.sources == rule.targets else f"{left} => {right}"
        click.echo(f"{shown}  [{rule.origin}]")
