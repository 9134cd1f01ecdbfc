"""'Nyt i KlarRet': each page's change log (front matter ``aendringer``), the latest on the front page, an Atom feed.

A page lists the changes that matter to readers::

    aendringer:
      - dato: "2026-12-02"
        tekst: "Rettet: reglerne om inhabilitet gælder også kontrakter."

```{nyt}``` (option ``:antal:``, default 10) shows the newest changes across the guidance, newest first;
the HTML build writes all of them (at most ``FEED_LIMIT``) to ``nyt.atom``, which the app serves at /nyt.atom.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from klarret.sphinxext.theme import danish_date

logger = logging.getLogger(__name__)
FEED_FILE = "nyt.atom"
FEED_LIMIT = 50
ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Change:
    """One entry of a page's change log."""

    date: dt.date
    text: str
    docname: str
    index: int


class nyt_list(nodes.General, nodes.Element):
    """Placeholder for the latest changes; filled in once every page has been read."""


def parse_changes(value: Any, docname: str) -> tuple[list[Change], list[str]]:
    """The ``aendringer`` front matter as changes, and a message for every malformed entry."""
    if value in (None, "", []):
        return [], []
    items = value
    if isinstance(value, str):  # MyST hands non-string front matter over as JSON text
        try:
            items = json.loads(value)
        except ValueError:
            try:
                items = ast.literal_eval(value)
            except (ValueError, SyntaxError):
                return [], ["'aendringer' skal være en liste af punkter med 'dato' og 'tekst'."]
    if not isinstance(items, list):
        return [], ["'aendringer' skal være en liste af punkter med 'dato' og 'tekst'."]
    changes, errors = [], []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not str(item.get("tekst", "")).strip():
            errors.append(f"'aendringer' punkt {i}: skriv både 'dato' (ÅÅÅÅ-MM-DD) og 'tekst'.")
            continue
        try:
            date = dt.date.fromisoformat(str(item.get("dato", "")))
        except ValueError:
            errors.append(f"'aendringer' punkt {i}: datoen '{item.get('dato')}' er ikke ÅÅÅÅ-MM-DD.")
            continue
        changes.append(Change(date, " ".join(str(item["tekst"]).split()), docname, i))
    return changes, errors


def all_changes(env: BuildEnvironment) -> list[Change]:
    """Every page's changes, newest first (ties: page order by name, then entry order)."""
    changes = [c for docname, meta in env.metadata.items()
               for c in parse_changes(meta.get("aendringer"), docname)[0]]
    return sorted(changes, key=lambda c: (-c.date.toordinal(), c.docname, c.index))


class NytDirective(SphinxDirective):
    """```{nyt}``` – the newest changes across the guidance."""

    option_spec: ClassVar[dict[str, Any]] = {"antal": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        self.env.klarret_news_docs = getattr(self.env, "klarret_news_docs", set()) | {self.env.docname}
        return [nyt_list(antal=self.options.get("antal", 10))]


def check_changes(app: Sphinx, doctree: nodes.document) -> None:
    """Warn (an error under -W) about malformed change-log entries, with the page's file."""
    docname = app.env.docname
    for message in parse_changes(app.env.metadata.get(docname, {}).get("aendringer"), docname)[1]:
        logger.warning(message, location=docname)


def fill_lists(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Replace each placeholder by a list of the newest changes with links to their pages."""
    for node in list(doctree.findall(nyt_list)):
        changes = all_changes(app.env)[:node["antal"]]
        if not changes:
            node.replace_self(nodes.paragraph("", "Der er ingen ændringer endnu."))
            continue
        items = nodes.bullet_list(classes=["klarret-nyt"])
        for c in changes:
            title = app.env.titles[c.docname].astext() if c.docname in app.env.titles else c.docname
            uri = app.builder.get_relative_uri(fromdocname, c.docname)
            para = nodes.paragraph()
            para += nodes.Text(f"{danish_date(c.date.isoformat())} – ")
            para += nodes.reference("", title, internal=True, refuri=uri)
            para += nodes.Text(f": {c.text}")
            items += nodes.list_item("", para)
        node.replace_self(items)


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    """Write nyt.atom next to the HTML pages (served by the app at /nyt.atom)."""
    if exception is not None or app.builder.format != "html":
        return
    changes = all_changes(app.env)[:FEED_LIMIT]
    write_atom(Path(app.outdir) / FEED_FILE, changes, {d: app.env.titles[d].astext() for d in app.env.titles})


def write_atom(path: Path, changes: list[Change], titles: dict[str, str]) -> None:
    """An Atom 1.0 feed of the changes (links relative to the site root)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "da"})
    newest = changes[0].date if changes else dt.date(2026, 1, 1)
    for tag, text in (("id", "urn:klarret:nyt"), ("title", "Nyt i KlarRet"), ("updated", _stamp(newest))):
        ET.SubElement(feed, f"{{{ATOM}}}{tag}").text = text
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": "/" + FEED_FILE})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": "/"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "Borgerrådgiveren, Københavns Kommune"
    for c in changes:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:klarret:nyt:{c.docname}:{c.date.isoformat()}:{c.index}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = titles.get(c.docname, c.docname)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(c.date)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": f"/{c.docname}.html"})
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = c.text
    path.write_bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True))


def _stamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def outdated_lists(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str],
                   removed: set[str]) -> list[str]:
    """Any page's change may change the front page's list: re-read the pages that show it."""
    if added or changed or removed:
        return sorted(getattr(env, "klarret_news_docs", set()) - removed)
    return []


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    getattr(env, "klarret_news_docs", set()).discard(docname)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    env.klarret_news_docs = getattr(env, "klarret_news_docs", set()) | getattr(other, "klarret_news_docs", set())


def setup_news(app: Sphinx) -> None:
    """Register the change log check, the {nyt} directive and the Atom feed."""
    app.add_node(nyt_list)
    app.add_directive("nyt", NytDirective)
    app.connect("doctree-read", check_changes)
    app.connect("doctree-resolved", fill_lists)
    app.connect("build-finished", write_feed)
    app.connect("env-get-outdated", outdated_lists)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
