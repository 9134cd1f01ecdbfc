"""One layout for the app and the guidance: the header's context (``kr``) and ``GET /api/mig``.

The header and footer partials (templates/shared/) are rendered by Flask here and by the Sphinx theme
(klarret.sphinxext.theme) with the same small dict. The guidance's pages are static files, so they learn
who is logged in from ``/api/mig`` (static/session.js); without JavaScript they show "Log ind".
"""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, jsonify, request, url_for
from flask_wtf.csrf import generate_csrf

from klarret.auth import current_user
from klarret.openapi import add_paths
from klarret.registry import nav_links

SEARCH_URL = "/soeg"
SUGGEST_URL = "/api/suggest"
_LINK = {"type": "object", "required": ["url", "label"],
         "properties": {"url": {"type": "string"}, "label": {"type": "string"}}}
ME_PATH = {"/api/mig": {"get": {
    "summary": "Hvem er logget ind: navn, menupunkter og hvordan man logger ud (til vejledningens sider).",
    "responses": {"200": {"description": "Personen, eller at ingen er logget ind.", "content": {
        "application/json": {"schema": {"type": "object", "required": ["logged_in", "links"], "properties": {
            "logged_in": {"type": "boolean"}, "name": {"type": "string"}, "login_url": {"type": "string"},
            "links": {"type": "array", "items": _LINK},
            "logout": {"type": "object", "required": ["url", "csrf_token"], "properties": {
                "url": {"type": "string"}, "csrf_token": {"type": "string"}}}}}}}}}}}}


def kr() -> dict[str, Any]:
    """The header and footer's context for the current request and person."""
    user = current_user()
    links = nav_links()
    return {
        "home": "/", "search_url": SEARCH_URL, "suggest_url": SUGGEST_URL, "links": links,
        "current": _current(links), "user": user.name if user else None,
        "logout_url": url_for("auth.logout"), "csrf": generate_csrf() if user else "",
        "login_url": url_for("auth.login"), "privacy_url": url_for("privacy"), "session_url": "",
    }


def _current(links: list[tuple[str, str]]) -> str | None:
    """The menu link of the section this page belongs to (the longest matching prefix)."""
    path = request.path
    best = None
    for url, _ in links:
        if (path == url or (url != "/" and path.startswith(url.rstrip("/") + "/"))) and (
                best is None or len(url) > len(best)):
            best = url
    return best


def me():
    """Who is logged in, for the guidance's static pages: name, menu links and how to log out."""
    user = current_user()
    links = [{"url": url, "label": label} for url, label in nav_links()]
    if user is None:
        return jsonify({"logged_in": False, "links": links, "login_url": url_for("auth.login")})
    return jsonify({"logged_in": True, "name": user.name, "links": links,
                    "logout": {"url": url_for("auth.logout"), "csrf_token": generate_csrf()}})


def init_app(app: Flask) -> None:
    """Give every template ``kr`` and serve ``/api/mig``."""
    # Only pages have a header: an e-mail rendered by a command has no request.
    app.context_processor(lambda: {"kr": kr()} if has_request_context() else {})
    app.add_url_rule("/api/mig", "layout.me", me, methods=["GET"])
    add_paths(app, ME_PATH)
