"""Danish error pages, and JSON errors under /api/."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    InternalServerError,
    RequestEntityTooLarge,
    ServiceUnavailable,
)

MESSAGES = {
    400: ("Forkert forespørgsel", "Forespørgslen kunne ikke forstås. Gå tilbage og prøv igen."),
    401: ("Log ind", "Du skal være logget ind for at bruge denne side. Log ind, og prøv igen."),
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


# Seconds a client is asked to wait when the database is away (a restart takes a few seconds).
RETRY_AFTER = 5
DATABASE_AWAY = ("KlarRet kan ikke nå sine data lige nu, fordi databasen genstartes eller er afbrudt. Prøv igen "
                 "om lidt. Det, du allerede har gemt, er ikke gået tabt. Sker det igen om et kvarter, så kontakt "
                 "KlarRet.")


def is_database_away(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached (down, restarting, connection cut)."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def handle_database_away(exc: Exception):
    """A database outage: 503 in Danish with Retry-After, not a 500; the next request tries again."""
    from klarret.db import db

    current_app.logger.warning("Database unreachable on %s: %s", request.path, exc.__class__.__name__)
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the session is removed at teardown anyway
        pass
    g.klarret_user = None  # the page's layout must not ask the database who is logged in
    response, code = handle_http(danish(ServiceUnavailable, DATABASE_AWAY))
    response = current_app.make_response((response, code))
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def handle_unexpected(exc: Exception):
    """Log the exception and answer with a 500 page, never a traceback."""
    if isinstance(exc, HTTPException):
        return handle_http(exc)
    if is_database_away(exc):
        return handle_database_away(exc)
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


def handle_csrf(exc: CSRFError):
    """A missing or foreign CSRF token: 400, saying what to do (the page is old, or the person logged out)."""
    return handle_http(danish(BadRequest, "Siden kunne ikke bekræftes, fordi den er åbnet i en anden session, "
                                          "eller fordi du er logget ud. Genindlæs siden, og prøv igen."))


def init_app(app: Flask) -> None:
    """Register the handlers and the body-size check."""
    app.before_request(refuse_oversized)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_unexpected)
