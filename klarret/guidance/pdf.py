"""Accessible PDFs of the guidance (PDF/UA-1, WeasyPrint): one per page and one of the whole guide.

``klarret pdf`` writes ``<html>/_pdf/<page>.pdf`` and ``<html>/_pdf/klarret.pdf`` (klarret.export), which the guidance
serves as files. Each PDF is cached by the hash of its printable HTML (and the print stylesheet and
WeasyPrint's version), kept in ``_pdf/manifest.json``: after one page changed, only that page and the
whole guide are rendered again. It is a command of its own, not a build step, because rendering takes
about a minute: ``make run`` starts it in the background once the server runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask

from klarret import settings
from klarret.export import GUIDE_PDF, PDF_DIR, RECORDS_FILE, export_dir, iter_records, pdf_file
from klarret.guidance.pdf_html import PRINT_CSS, document, page_part, parse_pages, reading_order, whole_guide

MANIFEST = "manifest.json"
VARIANT = "pdf/ua-1"


@dataclass
class PdfResult:
    """What one run did: the pages rendered, whether the whole guide was, and how long it took."""

    rendered: list[str] = field(default_factory=list)
    guide: bool = False
    kept: int = 0
    seconds: float = 0.0


def parsed_pages(html_dir: Path) -> dict[str, ET.Element]:
    """Every page of the build (from the export), parsed, in reading order."""
    records = iter_records(export_dir(html_dir) / RECORDS_FILE)
    trees = parse_pages(html_dir, [r.url for r in records if r.kind == "page"])
    return {page: trees[page] for page in reading_order(trees)}


def guidance_pages(html_dir: Path) -> list[str]:
    """Every page of the build, in reading order."""
    return list(parsed_pages(html_dir))


def _local_fetcher(html_dir: Path):
    """A WeasyPrint fetcher that reads files of the build only: network look-ups stall here and a
    PDF must not depend on another site."""
    from weasyprint.urls import URLFetcher

    root = html_dir.resolve()

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:"))).resolve()
                if path.is_relative_to(root) or path == PRINT_CSS.resolve():
                    return super().fetch(url, headers)
            raise ValueError(f"KlarRet henter ikke {url} til en PDF (kun filer fra vejledningens build)")

    return LocalFetcher(allowed_protocols={"file", "data"}, timeout=2)


def render(html_dir: Path, source: str, target: Path) -> None:
    """Render printable HTML to a tagged PDF/UA-1 file at ``target`` (written atomically)."""
    from weasyprint import CSS, HTML

    fetcher = _local_fetcher(html_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(fd)
    try:
        HTML(string=source, base_url=html_dir.resolve().as_uri() + "/", url_fetcher=fetcher).write_pdf(
            tmp, pdf_variant=VARIANT, stylesheets=[CSS(filename=str(PRINT_CSS), url_fetcher=fetcher)])
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the server may run as another user
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _fingerprint(source: str) -> str:
    import weasyprint

    h = hashlib.sha256()
    for part in (weasyprint.__version__, VARIANT, PRINT_CSS.read_text(encoding="utf-8"), source):
        h.update(part.encode("utf-8") + b"\0")
    return h.hexdigest()


def _read_manifest(path: Path) -> dict[str, str]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build_pdfs(html_dir: Path, base_url: str, *, force: bool = False,
               echo: Callable[[str], None] = click.echo) -> PdfResult:
    """Render the PDFs whose printable HTML changed since the last run (all with ``force``)."""
    t0 = time.perf_counter()
    out = html_dir / PDF_DIR
    manifest_file = out / MANIFEST
    old = {} if force else _read_manifest(manifest_file)
    trees = parsed_pages(html_dir)
    pages = list(trees)
    new: dict[str, str] = {}
    result = PdfResult()
    for page in pages:
        title, body = page_part(trees[page], page, {page}, base_url, prefix=False)
        source = document(f"{title} – KlarRet", body)
        new[page] = _fingerprint(source)
        target = html_dir / pdf_file(page.removesuffix('.html'))
        if old.get(page) == new[page] and target.exists():
            result.kept += 1
            continue
        echo(f"PDF: {page}")
        render(html_dir, source, target)
        result.rendered.append(page)
        # Saved after each page, so an interrupted run keeps what it finished.
        _write_manifest(manifest_file, {**old, **{p: new[p] for p in result.rendered}})
    guide = whole_guide(trees, pages, base_url)
    new[GUIDE_PDF] = _fingerprint(guide)
    if old.get(GUIDE_PDF) != new[GUIDE_PDF] or not (html_dir / GUIDE_PDF).exists():
        echo(f"PDF: hele vejledningen ({len(pages)} sider)")
        render(html_dir, guide, html_dir / GUIDE_PDF)
        result.guide = True
    for gone in set(old) - set(new):  # pages removed from the guidance
        if gone == GUIDE_PDF:
            continue
        (html_dir / pdf_file(gone.removesuffix('.html'))).unlink(missing_ok=True)
    _write_manifest(manifest_file, new)
    result.seconds = time.perf_counter() - t0
    return result


def _write_manifest(path: Path, data: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


@click.command("pdf")
@click.option("--force", is_flag=True, help="Lav alle PDF'er igen, også dem der ikke er ændret.")
def pdf_command(force: bool) -> None:
    """Lav PDF'er af vejledningen (hver side og hele vejledningen); kun ændrede sider laves igen."""
    cfg = settings.current()
    if not (cfg.html_dir / "index.html").exists():
        raise click.ClickException("Vejledningen er ikke bygget endnu. Kør 'klarret build' først.")
    result = build_pdfs(cfg.html_dir, cfg.base_url, force=force)
    click.echo(f"PDF'er klar på {result.seconds:.1f} s: {len(result.rendered)} sider lavet, {result.kept} uændrede"
               + (", hele vejledningen lavet." if result.guide else ", hele vejledningen uændret."))


def init_app(app: Flask) -> None:
    """Register `klarret pdf`."""
    app.cli.add_command(pdf_command)
