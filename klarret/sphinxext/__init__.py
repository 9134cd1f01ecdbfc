"""KlarRet's Sphinx extension: case examples, legal-citation roles, theme glue and the JSON Lines export."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from klarret.sphinxext.case import setup_case
from klarret.sphinxext.citations import setup_citations
from klarret.sphinxext.csp import setup_csp
from klarret.sphinxext.export import setup_export
from klarret.sphinxext.theme import setup_theme

# Bump when the extension changes what it stores for a document, so Sphinx re-reads every page.
ENV_VERSION = 4


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every KlarRet feature with Sphinx."""
    setup_citations(app)
    setup_case(app)
    setup_export(app)
    setup_theme(app)
    setup_csp(app)
    return {"version": "1.0", "env_version": ENV_VERSION,
            "parallel_read_safe": True, "parallel_write_safe": True}
