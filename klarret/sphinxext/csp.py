"""No inline scripts in the guidance: each inline <script> a theme writes is served as a file instead.

KlarRet's Content-Security-Policy (klarret.security) allows scripts only from files. Themes write small
inline scripts (Sphinx: the index page's options; other themes: a light/dark switch), so
every rendered page is rewritten before it is written: an inline script becomes ``<script src>`` of a file
in ``_static`` named by its content. A classic script with ``src`` runs at the same place in the page, so
the behaviour stays; and this works whatever the theme, without copying or patching its templates.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script\s*>", re.S | re.I)
TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.I)
# Only these types run (no type: JavaScript); a data block (application/json, …) is not a script.
SCRIPT_TYPES = {"text/javascript", "application/javascript", "module"}


def _store(static: Path, body: str) -> str:
    """Write ``body`` to ``static`` under a name from its content (once); return the name."""
    name = f"klarret-inline-{hashlib.sha256(body.encode()).hexdigest()[:16]}.js"
    path = static / name
    if not path.exists():
        static.mkdir(parents=True, exist_ok=True)
        # Atomic: parallel writers (sphinx -j) may store the same script at the same time.
        fd, tmp = tempfile.mkstemp(dir=static, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(body)
        os.replace(tmp, path)
    return name


def externalize(html: str, static: Path, url: Callable[[str], str]) -> str:
    """``html`` with each inline script replaced by a script file stored in ``static``.

    ``url`` maps a path under the output folder (``_static/x.js``) to a link relative to the page."""

    def replace(match: re.Match[str]) -> str:
        attrs, body = match["attrs"], match["body"]
        kind = TYPE.search(attrs)
        if re.search(r"\ssrc\s*=", attrs, re.I) or not body.strip() or (
                kind and kind.group(1).lower() not in SCRIPT_TYPES):
            return match[0]
        name = _store(static, body)
        return f'<script{attrs} src="{url("_static/" + name)}"></script>'

    return SCRIPT.sub(replace, html)


def move_inline_scripts(app: Sphinx) -> None:
    """Wrap the HTML builder's template rendering so every page leaves it without inline scripts."""
    templates = getattr(app.builder, "templates", None)
    if templates is None or getattr(templates, "_klarret_csp", False):
        return
    render = templates.render
    static = Path(app.builder.outdir) / "_static"

    def render_without_inline_scripts(template: str, context: dict[str, Any]) -> str:
        html = render(template, context)
        pathto = context.get("pathto")
        if pathto is None:  # not a page (e.g. a fragment): nothing to link from
            return html
        return externalize(html, static, lambda path: pathto(path, 1))

    templates.render = render_without_inline_scripts
    templates._klarret_csp = True


def setup_csp(app: Sphinx) -> None:
    """Register the rewriting (after the builder exists)."""
    app.connect("builder-inited", move_inline_scripts)
