"""The e-learning blueprint, shared by the layers that add pages to it (attempts, completion)."""

from __future__ import annotations

from flask import Blueprint

# import_name "quizzes": templates and static files live in the package's own folders.
bp = Blueprint("quizzes", "quizzes", template_folder="templates", static_folder="static",
               static_url_path="/_kurser")
