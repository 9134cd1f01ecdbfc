"""The search blueprint: /soeg (page), /soeg/klik (a result's link, logged), /api/search and /api/suggest."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request
from werkzeug.exceptions import BadRequest

from klarret import metrics
from klarret.errors import danish
from klarret.urls import is_local_url
from search import search_engine, search_log
from search.analytics import BENCH_HEADER, new_search_id

bp = Blueprint("search", __name__, template_folder="templates")
MAX_LIMIT = 50


def _logger():
    # Benchmark traffic (bench/search.py sends the header) would drown the editors' statistics.
    if request.headers.get(BENCH_HEADER) in ("1", "nocache"):
        return None
    return search_log()


def _args() -> tuple[str, int, str | None, str | None]:
    q = request.args.get("q", "")
    if not q.strip():
        raise danish(BadRequest, "Skriv et eller flere ord i søgefeltet, fx »partshøring« eller »fvl § 19«.")
    try:
        limit = int(request.args.get("limit", 10))
    except ValueError:
        limit = 0  # not a number: the same answer as one out of range
    if not 1 <= limit <= MAX_LIMIT:
        raise danish(BadRequest, f"Parameteren limit skal være et helt tal mellem 1 og {MAX_LIMIT}.")
    return q, limit, request.args.get("kapitel") or None, request.args.get("type") or None


def _search(q: str, limit: int, chapter: str | None, kind: str | None) -> dict:
    # "nocache" lets the benchmark measure the engine itself, not the answer cache.
    cache = request.headers.get(BENCH_HEADER) != "nocache"
    with metrics.timed("search_seconds"):
        result = search_engine().search(q, limit=limit, chapter=chapter, kind=kind, cache=cache)
    result["search_id"] = new_search_id()
    logger = _logger()
    # A narrowed search (chapter or type) is the same question again: logged once, unfiltered.
    if logger is not None and not chapter and not kind:
        logger.search(result["search_id"], result.get("corrected_from") or result["query"], result["total"])
    return result


@bp.get("/api/search")
def api_search():
    """Results as JSON, best first, one per page."""
    q, limit, chapter, kind = _args()
    return jsonify(_search(q, limit, chapter, kind))


@bp.get("/api/suggest")
def api_suggest():
    """Type-ahead (search.suggest): pages, sections, glossary terms and the section a citation names."""
    return jsonify({"query": request.args.get("q", ""),
                    "suggestions": search_engine().complete(request.args.get("q", ""))})


@bp.get("/soeg")
def page():
    """The search page in Danish; without q it shows only the form."""
    if "q" not in request.args:
        return render_template("search/results.html", q="", result=None)
    try:
        q, limit, chapter, kind = _args()
    except BadRequest as exc:
        return render_template("search/results.html", q="", result=None, error=exc.danish), 400
    result = _search(q, 20, chapter, kind)
    return render_template("search/results.html", q=q, result=result, chapter=chapter, kind=kind)


def _record_click() -> str:
    url = request.args.get("u", "")
    if not is_local_url(url):
        raise danish(BadRequest, "Linket peger ikke på en side i KlarRet. Gå tilbage og vælg resultatet igen.")
    search_id = request.args.get("s", "")
    try:
        rank = int(request.args.get("r", ""))
    except ValueError:
        rank = None
    logger = _logger()
    if logger is not None and search_id.isalnum():
        logger.click(search_id, url, rank)
    return url


@bp.get("/soeg/klik")
def click():
    """A result's address for clients without link pings: note the click, then go to the result."""
    return redirect(_record_click(), code=302)


@bp.post("/soeg/klik")
def click_ping():
    """The browser's ping when a result link is followed (<a ping>, no JavaScript): note the click."""
    _record_click()
    return "", 204
