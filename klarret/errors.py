"""Danish error pages, and JSON errors under /api/."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

MESSAGES = {
    400: ("Forkert forespørgsel", "Forespørgslen kunne ikke forstås. Gå tilbage og prøv igen."),
    403: ("Ingen adgang", "Du har ikke adgang til denne side. Kontakt din leder, hvis du mener, du burde have."),
    404: ("Siden findes ikke", "Vi kunne ikke finde siden. Prøv at søge, eller gå til forsiden."),
    405: ("Metoden er ikke tilladt", "Siden kan ikke bruges på denne måde."),
    413: ("For stor", "Det, du har sendt, er for stort. Send mindre ad gangen, eller kontakt en administrator."),
    500: ("Der skete en fejl", "Der skete en fejl hos os. Prøv igen om lidt. Fortsætter fejlen, så kontakt KlarRet."),
    503: ("KlarRet er ikke klar", "En del af KlarRet er ikke klar endnu. Prøv igen om lidt."),
}


def handle_http(exc: HTTPException):
    """Render an HTTP error in Danish, as JSON for the API."""
    code = exc.code or 500
    title, text = MESSAGES.get(code, (f"Fejl {code}", "Der skete en fejl."))
    detail = getattr(exc, "danish", None) or text
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": code, "title": title, "message": detail}}), code
    return render_template("errors/error.html", code=code, title=title, message=detail), code


def handle_unexpected(exc: Exception):
    """Log the exception and answer with a 500 page, never a traceback."""
    if isinstance(exc, HTTPException):
        return handle_http(exc)
    from flask import current_app

    current_app.logger.exception("Unhandled error on %s", request.path)
    return handle_http(InternalServerError())


def danish(exc_class: type[HTTPException], message: str) -> HTTPException:
    """An HTTP error carrying a Danish message for the user."""
    exc = exc_class()
    exc.danish = message
    return exc


def refuse_oversized() -> None:
    """413 before anything reads the body: a view reading JSON "silently" would otherwise see nothing (400)."""
    limit = request.max_content_length
    if limit is not None and (request.content_length or 0) > limit:
        raise RequestEntityTooLarge()


def init_app(app: Flask) -> None:
    """Register the handlers and the body-size check."""
    app.before_request(refuse_oversized)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
