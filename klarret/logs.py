"""Request ids and the log format: every response carries X-Request-ID; KLARRET_LOG_FORMAT=json writes JSON lines.

The id comes from the reverse proxy when it sends a sane one (so the proxy's log and ours join up),
else it is made here. Every log line written while a request runs carries it. Personal data is masked
in every line (klarret.personal_data), whichever the format.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import uuid

from flask import Flask, Response, g, has_request_context, request

from klarret import settings
from klarret.personal_data import MaskingFilter, mask

HEADER = "X-Request-ID"
# Letters, digits and a few separators, of a sane length: anything else could forge or flood log lines.
SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")
_HANDLER_NAME = "klarret-json"


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


def _assign_id() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if SANE_ID.match(incoming) else uuid.uuid4().hex


def _add_header(response: Response) -> Response:
    if request_id():
        response.headers[HEADER] = g.request_id
    return response


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on each record as ``request_id`` ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id() or getattr(record, "request_id", "-")
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:  # MaskingFilter leaves the masked traceback in exc_text
            entry["exception"] = record.exc_text or mask(self.formatException(record.exc_info))
        for key in ("method", "path", "status", "duration_ms"):  # the access log's fields
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        return json.dumps(entry, ensure_ascii=False)


def json_handler(stream=None) -> logging.Handler:
    """A handler writing masked JSON lines with the request id."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(MaskingFilter())
    return handler


def use_json(app: Flask) -> None:
    """Send every logger's lines (the app's, the features', the libraries') to one JSON handler on the root."""
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)  # its text lines would repeat each JSON line
    root = logging.getLogger()
    if not any(h.get_name() == _HANDLER_NAME for h in root.handlers):  # once: tests create many apps
        root.addHandler(json_handler())
        if root.level > logging.INFO or root.level == logging.NOTSET:
            root.setLevel(logging.INFO)


def init_app(app: Flask) -> None:
    """Give every request an id; switch the log to JSON lines when the setting asks for it."""
    app.before_request(_assign_id)
    app.after_request(_add_header)
    if settings.of(app).log_format == "json":
        use_json(app)
