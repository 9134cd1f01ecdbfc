"""Course files, their validation and assignment rules; ``catalogue()`` is the app's loaded courses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from quizzes.courses.loader import Course

_KEY = "quizzes.courses"  # named here only: everyone else calls catalogue()


def catalogue(app: Flask | None = None) -> dict[str, Course]:
    """The loaded course files by id (``current_app``'s by default; loaded once per worker)."""
    return (app or current_app).extensions.setdefault(_KEY, {})


def set_catalogue(app: Flask, courses: list[Course]) -> None:
    """Make ``courses`` the app's catalogue (at start-up, and in tests)."""
    app.extensions[_KEY] = {c.id: c for c in courses}
