"""The search API's paths for /api/openapi.json."""

from __future__ import annotations

from klarret.openapi import error_response

_RESULT = {"type": "object", "required": ["page", "url", "title"], "properties": {
    "page": {"type": "string"}, "anchor": {"type": "string"}, "url": {"type": "string"},
    "title": {"type": "string"}, "breadcrumb": {"type": "array", "items": {"type": "string"}},
    "snippet": {"type": "string"}, "sections": {"type": "array", "items": {"type": "object"}}}}
_ANSWER = {"type": "object", "required": ["query", "total", "results", "facets", "search_id"], "properties": {
    "query": {"type": "string"}, "total": {"type": "integer", "minimum": 0},
    "results": {"type": "array", "items": _RESULT},
    "facets": {"type": "object", "properties": {"chapter": {"type": "object"}, "kind": {"type": "object"}}},
    "terms": {"type": "array"}, "notice": {"type": "string", "nullable": True},
    "suggestion": {"type": "string", "nullable": True}, "corrected_from": {"type": "string", "nullable": True},
    "search_id": {"type": "string"}}}
_SUGGEST = {"type": "object", "required": ["query", "suggestions"], "properties": {
    "query": {"type": "string"},
    "suggestions": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}}}}


def _q(required: bool) -> dict:
    return {"name": "q", "in": "query", "required": required, "schema": {"type": "string"},
            "description": "Det, brugeren skrev, fx »partshøring« eller »fvl § 19«."}


PATHS = {
    "/api/search": {"get": {
        "summary": "Søg i vejledningen: ét resultat pr. side, bedste først, med de bedste afsnit.",
        "parameters": [_q(True),
                       {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50}},
                       {"name": "kapitel", "in": "query", "schema": {"type": "string"}},
                       {"name": "type", "in": "query", "schema": {"type": "string"}}],
        "responses": {"200": {"description": "Resultaterne.", "content": {"application/json": {"schema": _ANSWER}}},
                      "400": error_response("Tom søgning eller ugyldig limit."),
                      "503": error_response("Søgeindekset mangler.")}}},
    "/api/suggest": {"get": {
        "summary": "Forslag, mens brugeren skriver: sider, afsnit, ord fra ordlisten og paragraffer (»fvl 19«).",
        "parameters": [_q(False)],
        "responses": {"200": {"description": "Forslagene.", "content": {"application/json": {"schema": _SUGGEST}}},
                      "503": error_response("Søgeindekset mangler.")}}},
}
