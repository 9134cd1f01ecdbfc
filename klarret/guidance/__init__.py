"""Serve the built guidance (Sphinx HTML) from "/"."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, make_response, send_from_directory
from werkzeug.exceptions import NotFound, ServiceUnavailable
from werkzeug.security import safe_join

from klarret import settings
from klarret.errors import danish, handle_http
from klarret.export import GUIDE_PDF, PDF_DIR
from klarret.guidance import pdf
from klarret.registry import Audience, registry


def _html_dir() -> Path:
    html = settings.current().html_dir
    if not (html / "index.html").exists():
        raise danish(ServiceUnavailable, "Vejledningen er ikke bygget endnu. En administrator skal køre "
                                         "'klarret build' (eller 'make run').")
    return html


def page(path: str = "index.html"):
    """A file of the HTML build; folders get their index.html."""
    html = _html_dir()
    if path.endswith("/") or (html / path).is_dir():
        path = path.rstrip("/") + "/index.html"
    if path.startswith(("export/", ".doctrees/")) or path.endswith(".jsonl"):
        raise NotFound()
    if path.startswith(PDF_DIR + "/"):
        return _pdf_file(html, path)
    response = send_from_directory(html, path, max_age=300)
    return response


def _pdf_file(html: Path, path: str):
    """A PDF of the guidance; while `klarret pdf` has not made it yet, a Danish "try again shortly"."""
    if not path.endswith(".pdf"):
        raise NotFound()
    if not (html / path).is_file():
        page = safe_join(str(html), path.removeprefix(PDF_DIR + "/").removesuffix(".pdf") + ".html")
        if path != GUIDE_PDF and (page is None or not Path(page).is_file()):
            raise NotFound()
        error = danish(ServiceUnavailable, "PDF'en bliver lavet lige nu. Prøv igen om et par minutter.")
        response = make_response(handle_http(error))
        response.headers["Retry-After"] = "120"
        return response
    return send_from_directory(html, path, max_age=300, mimetype="application/pdf")


def init_app(app: Flask) -> None:
    """Register the catch-all route, the menu's first link and `klarret pdf`."""
    pdf.init_app(app)
    registry(app).add_nav("Vejledning", "guidance.index", Audience.EVERYONE, order=10)
    app.add_url_rule("/", "guidance.index", page)
    app.add_url_rule("/<path:path>", "guidance.page", page)
