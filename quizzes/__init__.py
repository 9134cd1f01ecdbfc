"""KlarRet e-learning: course files, grading, attempts and completions (the e-learning issue)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the e-learning feature (nothing yet: courses arrive with the e-learning issue)."""
