"""KlarRet's Sphinx extension: case examples, citation roles, theme glue, the JSON Lines export, "Nyt i KlarRet"."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from klarret.sphinxext.case import setup_case
from klarret.sphinxext.citations import setup_citations
from klarret.sphinxext.csp import setup_csp
from klarret.sphinxext.export import setup_export
from klarret.sphinxext.news import setup_news
from klarret.sphinxext.theme import setup_theme

# Bump when the extension changes what it stores for a document, so Sphinx re-reads every page.
ENV_VERSION = 8  # bumped whenever what the extension records changes


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every KlarRet feature with Sphinx."""
    setup_citations(app)
    setup_case(app)
    setup_export(app)
    setup_theme(app)
    setup_news(app)
    setup_csp(app)
    return {"version": "1.0", "env_version": ENV_VERSION,
            "parallel_read_safe": True, "parallel_write_safe": True}
