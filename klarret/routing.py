"""URL converters: an ``int`` in a route never exceeds what the database can hold (a larger one is 404)."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter

DB_MAX_INT = 2**31 - 1  # the smallest integer column a route id points into (PostgreSQL INTEGER)


class BoundedIntConverter(IntegerConverter):
    """Flask's ``int`` converter, but ids beyond the database's range are not found instead of a 500."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", DB_MAX_INT)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Install the converter; call before any route is added (rules bind their converters when added)."""
    app.url_map.converters["int"] = BoundedIntConverter
