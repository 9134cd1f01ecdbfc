"""The answer-saving API's path for /api/openapi.json."""

from __future__ import annotations

from klarret.openapi import error_response

PATHS = {
    "/api/forsoeg/{attempt_id}/svar": {"post": {
        "summary": "Gem ét svar i et igangværende forsøg (modulsiden kalder den ved hver ændring).",
        "description": "Kræver, at medarbejderen er logget ind (sessionscookie), og CSRF-token i X-CSRFToken.",
        "parameters": [{"name": "attempt_id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1}, "example": 1},
                       {"name": "X-CSRFToken", "in": "header", "required": False, "schema": {"type": "string"}}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["question", "options"],
            "properties": {"question": {"type": "string"},
                           "options": {"type": "array", "items": {"type": "string"}}}}}}},
        "responses": {
            "200": {"description": "Svaret er gemt.", "content": {"application/json": {"schema": {
                "type": "object", "required": ["saved", "question"],
                "properties": {"saved": {"type": "boolean"}, "question": {"type": "string"}}}}}},
            "400": error_response("Svaret passer ikke til spørgsmålet, eller CSRF-token mangler."),
            "401": error_response("Ikke logget ind (eller sessionen er udløbet)."),
            "404": error_response("Forsøget findes ikke eller er en andens."),
            "409": error_response("Forsøget er allerede afleveret."),
            "413": error_response("For stor forespørgsel.")}}},
}
