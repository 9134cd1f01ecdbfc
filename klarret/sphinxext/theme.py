"""Theme glue: the KlarRet theme (theme/klarret), the header and footer shared with the app, the search
box target, "Senest gennemgået" and the "Hent som PDF" link."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.jinja2glue import SphinxFileSystemLoader

from klarret.dates import long_date
from klarret.export import GUIDE_PDF, pdf_file

HERE = Path(__file__).parent
CORE = HERE.parent  # klarret/: the app's shared partials (templates/shared) and static files (dkfds, layout.css)
# The guidance's pages are static: the header shows everyone's links, and /api/mig (static/session.js)
# replaces them with the logged-in person's name and links.
GUIDE_LINKS = [("/", "Vejledning"), ("/min-side", "Mine kurser")]


def danish_date(value: str) -> str:
    """'2026-11-28' -> '28. november 2026'; anything else is shown as written."""
    try:
        d = dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return long_date(d)


def add_theme_files(app: Sphinx) -> None:
    """Let the templates include the app's shared partials and add the static folders.

    Done at builder-inited, after the environment has compared its configuration, so the added
    paths do not look like a configuration change that would force a full rebuild. The partials'
    folder goes last: it adds ``shared/…`` and overrides none of the theme's templates.
    """
    if hasattr(app.builder, "templates"):
        app.builder.templates.loaders.append(SphinxFileSystemLoader(str(CORE / "templates")))
    # The app's static files (DKFDS, layout.css, suggest.js, session.js), then the extension's own.
    app.config.html_static_path += [str(CORE / "static"), str(HERE / "static")]


def kr_context(search_url: str) -> dict[str, Any]:
    """The shared header's and footer's context on a guidance page (see templates/shared/header.html)."""
    return {"home": "/", "search_url": search_url, "suggest_url": "/api/suggest", "links": GUIDE_LINKS,
            "current": "/", "user": None, "login_url": "/login", "privacy_url": "/privatliv",
            "session_url": "/api/mig"}


def add_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: nodes.document | None) -> None:
    """Expose the search URL and the shared header's context to the templates."""
    context["klarret_search_url"] = app.config.klarret_search_url
    context["kr"] = kr_context(app.config.klarret_search_url)


def show_reviewed(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Insert 'Senest gennemgået <date>' under the page title (at write time, so not in the export)."""
    reviewed = app.env.metadata.get(docname, {}).get("reviewed")
    section = next(iter(doctree.findall(nodes.section)), None)
    if not reviewed or section is None:
        return
    para = nodes.paragraph("", f"Senest gennemgået {danish_date(reviewed)}", classes=["klarret-reviewed"])
    section.insert(1, para)


def add_pdf_link(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link the page's PDF (and, on the front page, the whole guide's) under the title.

    Part of the page's content, not of a theme template, so it stays whatever the theme; `klarret pdf`
    makes the files, and the print leaves the link out (class klarret-pdf-link).
    """
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or app.builder.format != "html":
        return
    up = "../" * docname.count("/")
    para = nodes.paragraph("", "", classes=["klarret-pdf-link"])
    para += nodes.reference("", "Hent som PDF", refuri=up + pdf_file(docname), classes=["klarret-pdf"])
    if docname == app.config.root_doc:
        para += nodes.Text(" · ")
        para += nodes.reference("", "Hent hele vejledningen som PDF", refuri=up + GUIDE_PDF,
                                classes=["klarret-pdf"])
    # After the title, and after "Senest gennemgået" when the page has it.
    at = 2 if len(section) > 1 and "klarret-reviewed" in section[1].get("classes", ()) else 1
    section.insert(at, para)


def setup_theme(app: Sphinx) -> None:
    """Register the KlarRet theme, the search URL setting, templates, CSS/JS and the review date."""
    app.add_config_value("klarret_search_url", "/soeg", "html", types=frozenset({str}))
    app.connect("builder-inited", add_theme_files)
    app.connect("html-page-context", add_context)
    app.connect("doctree-resolved", show_reviewed)
    app.connect("doctree-resolved", add_pdf_link)
    app.add_html_theme("klarret", str(HERE.joinpath("theme", "klarret")))
    app.add_css_file("klarret.css")
    app.add_js_file("klarret.js")
    app.add_js_file("suggest.js", loading_method="defer")
    app.add_js_file("session.js", loading_method="defer")
