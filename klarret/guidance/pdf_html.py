"""The printable HTML of the guidance: each page's main content in a plain print document.

The PDF is made from the built HTML, not from the theme's layout: the element every Sphinx theme marks
``role="main"`` is taken out of each page and put in a small document with KlarRet's print stylesheet,
so no theme's fixed widths cut the text and a theme change does not change the PDF. Links to pages that
are in the same PDF become links inside it; every other link becomes an absolute address on the site.
"""

from __future__ import annotations

import copy
import html
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

# Added for the screen only (permalinks, the dropdown's arrow, the PDF link itself): left out of the PDF.
DROP_CLASSES = {"headerlink", "sd-summary-state-marker", "klarret-pdf-link", "toc-overlay-icon"}
DROP_TAGS = {"form", "script", "style", "noscript", "button", "input", "select", "textarea"}  # no use on paper
PRINT_CSS = Path(__file__).with_name("print.css")
_FAKE = "https://klarret.invalid/"  # resolves relative links without knowing the real address


def _parse(path: Path) -> ET.Element:
    import tinyhtml5  # WeasyPrint's own HTML parser

    return tinyhtml5.parse(path.read_bytes(), namespace_html_elements=False)


def main_content(root: ET.Element) -> ET.Element:
    """The page's main content (``role="main"``, which Sphinx themes set; else the body)."""
    found = root.find(".//*[@role='main']")
    if found is None:
        found = root.find(".//body")
    if found is None:
        raise ValueError("siden har intet indhold")
    return found


def title_of(root: ET.Element) -> str:
    """The page's first heading, else its <title>."""
    h1 = root.find(".//*[@role='main']//h1")
    if h1 is None:
        h1 = root.find(".//title")
    return " ".join("".join(h1.itertext()).replace("¶", "").split()) if h1 is not None else ""


def next_page(root: ET.Element) -> str | None:
    """The page Sphinx links as next in reading order (``<link rel="next">``)."""
    link = root.find(".//head/link[@rel='next']")
    return link.get("href") if link is not None else None


def _drop_screen_only(el: ET.Element) -> None:
    for parent in list(el.iter()):
        for child in list(parent):
            if child.tag in DROP_TAGS or DROP_CLASSES & set((child.get("class") or "").split()):
                parent.remove(child)


def _open_details(el: ET.Element) -> None:
    """Case examples are closed dropdowns on screen; on paper they are always open."""
    for details in el.iter("details"):
        details.set("open", "open")


def slug(page: str) -> str:
    """An id prefix for a page in a PDF of several pages ('afgoerelsen/begrundelse.html' -> ...)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", page.removesuffix(".html")).strip("-")


def rewrite(el: ET.Element, page: str, in_pdf: set[str], base_url: str, prefix: bool) -> None:
    """Make ``el``'s ids unique (``prefix``) and its links point inside the PDF or to the site."""
    own = slug(page) + "--" if prefix else ""
    for node in el.iter():
        if node.get("id"):
            node.set("id", own + node.get("id"))
        src = urljoin(_FAKE + page, node.get("src") or "")
        if node.get("src") and src.startswith(_FAKE):  # relative to the HTML root, the PDF's base
            node.set("src", urlsplit(src).path.lstrip("/"))
        href = node.get("href") if node.tag == "a" else None
        if href is None:
            continue
        target = urlsplit(urljoin(_FAKE + page, href))
        if f"{target.scheme}://{target.netloc}/" != _FAKE:
            continue  # an outside address (retsinformation.dk, …): kept as it is
        path = target.path.lstrip("/") or "index.html"
        if path in in_pdf:
            anchor = target.fragment
            node.set("href", "#" + (slug(path) + "--" if prefix else "") + anchor if anchor
                     else "#" + ("page-" + slug(path) if prefix else "top"))
        else:
            node.set("href", urljoin(base_url.rstrip("/") + "/", path) +
                     (f"#{target.fragment}" if target.fragment else ""))


def parse_pages(html_dir: Path, pages: list[str]) -> dict[str, ET.Element]:
    """Every page of the build parsed once (parsing is most of the time a run takes when nothing changed)."""
    return {page: _parse(html_dir / page) for page in pages}


def page_part(root: ET.Element, page: str, in_pdf: set[str], base_url: str, prefix: bool) -> tuple[str, str]:
    """(title, printable HTML) of one parsed page of the build (``root`` itself is left as it is)."""
    root = copy.deepcopy(root)
    content = main_content(root)
    _drop_screen_only(content)
    _open_details(content)
    rewrite(content, page, in_pdf, base_url, prefix)
    inner = "".join(ET.tostring(child, encoding="unicode", method="html") for child in content)
    text = html.escape(content.text or "")
    return title_of(root), text + inner


def document(title: str, body: str) -> str:
    """A complete print document in Danish."""
    return (f'<!DOCTYPE html>\n<html lang="da"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title>"
            f'<meta name="author" content="KlarRet"></head>'
            f'<body><main id="top">{body}</main></body></html>')


def reading_order(trees: dict[str, ET.Element]) -> list[str]:
    """The parsed pages in the guidance's reading order (from index.html along rel="next"); others last."""
    order: list[str] = []
    current: str | None = "index.html"
    while current and current in trees and current not in order:
        order.append(current)
        href = next_page(trees[current])
        current = posixpath.normpath(posixpath.join(posixpath.dirname(current), href)) if href else None
    return order + [p for p in trees if p not in order]


def whole_guide(trees: dict[str, ET.Element], pages: list[str], base_url: str) -> str:
    """The printable HTML of every page, in reading order, each starting on a new sheet."""
    in_pdf = set(pages)
    parts = []
    for page in pages:
        _, body = page_part(trees[page], page, in_pdf, base_url, prefix=True)
        parts.append(f'<div class="klarret-pdf-page" id="page-{slug(page)}">{body}</div>')
    return document("KlarRet – hele vejledningen", "\n".join(parts))
