"""The search blueprint: /soeg (page), /api/search and /api/suggest (JSON)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.exceptions import BadRequest

from klarret.errors import danish

bp = Blueprint("search", __name__, template_folder="templates")
MAX_LIMIT = 50


def engine():
    """The worker's engine (opened once, after the server has forked)."""
    return current_app.extensions["klarret.search"]


def _args() -> tuple[str, int, str | None, str | None]:
    q = request.args.get("q", "")
    if not q.strip():
        raise danish(BadRequest, "Skriv et eller flere ord i søgefeltet, fx »partshøring« eller »fvl § 19«.")
    try:
        limit = int(request.args.get("limit", 10))
    except ValueError:
        raise danish(BadRequest, "Parameteren limit skal være et helt tal mellem 1 og 50.") from None
    if not 1 <= limit <= MAX_LIMIT:
        raise danish(BadRequest, "Parameteren limit skal være et helt tal mellem 1 og 50.")
    return q, limit, request.args.get("kapitel") or None, request.args.get("type") or None


@bp.get("/api/search")
def api_search():
    """Results as JSON, best first, one per page."""
    q, limit, chapter, kind = _args()
    return jsonify(engine().search(q, limit=limit, chapter=chapter, kind=kind))


@bp.get("/api/suggest")
def api_suggest():
    """Type-ahead: page titles and glossary terms."""
    return jsonify({"query": request.args.get("q", ""),
                    "suggestions": engine().complete(request.args.get("q", ""))})


@bp.get("/soeg")
def page():
    """The search page in Danish; without q it shows only the form."""
    if "q" not in request.args:
        return render_template("search/results.html", q="", result=None)
    try:
        q, limit, chapter, kind = _args()
    except BadRequest as exc:
        return render_template("search/results.html", q="", result=None, error=exc.danish), 400
    result = engine().search(q, limit=20, chapter=chapter, kind=kind)
    return render_template("search/results.html", q=q, result=result, chapter=chapter, kind=kind)
