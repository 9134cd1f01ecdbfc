"""The JSON API described as OpenAPI 3.0 at /api/openapi.json; each feature adds the paths it serves."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, jsonify

_KEY = "klarret.openapi"
ERROR = {
    "type": "object", "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["status", "message"], "properties": {
        "status": {"type": "integer"}, "title": {"type": "string"}, "message": {"type": "string"}}}},
}


def error_response(description: str) -> dict[str, Any]:
    """A documented error answer: the Danish error object every /api/ route gives."""
    schema = {"$ref": "#/components/schemas/Fejl"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_paths(app: Flask, paths: dict[str, Any]) -> None:
    """Add a feature's paths (called from its ``init_app``)."""
    app.extensions.setdefault(_KEY, {}).update(paths)


def document() -> dict[str, Any]:
    """The whole OpenAPI document of this app."""
    return {
        "openapi": "3.0.3",
        "info": {"title": "KlarRet API", "version": "1",
                 "description": "Søgning i vejledningen og gemning af svar i e-læringen. Fejl har altid en dansk "
                                "besked i error.message."},
        "paths": dict(sorted(current_app.extensions.get(_KEY, {}).items())),
        "components": {"schemas": {"Fejl": ERROR}},
    }


def init_app(app: Flask) -> None:
    """Serve the document."""
    app.add_url_rule("/api/openapi.json", "openapi", lambda: jsonify(document()))
