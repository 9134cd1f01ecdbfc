"""The guidance as PDF (klarret pdf): accessible (PDF/UA-1), complete, cached by content, linked, served."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from klarret.export import GUIDE_PDF, PDF_DIR, pdf_file
from klarret.guidance.pdf import _local_fetcher, build_pdfs, guidance_pages
from klarret.guidance.pdf_html import _parse, main_content
from tests.conftest import make_app, require

pikepdf = pytest.importorskip("pikepdf")
BASE = "https://klarret.example.dk"
# Real topic pages: with case examples, lists, tables of deadlines and Æ/Ø/Å in their headings.
REAL_PAGES = ["afgoerelsen/begrundelse.html", "foer-afgoerelsen/partshoering.html",
              "aktindsigt/aktindsigt-frister.html", "index.html"]


def pdf_text(path: Path) -> str:
    """The PDF's text (poppler's pdftotext), whitespace collapsed."""
    require(shutil.which("pdftotext") is not None, "pdftotext is missing (make system-deps: poppler-utils)")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def words_outside_text_area(path: Path, margin: float = 50.0) -> list[str]:
    """Words that reach into the page's side margins or beyond (cut-off text); A4 margins are 20 mm (57 pt)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True).stdout.decode()
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    words = re.finditer(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)<', out)
    return [w[3] for w in words if float(w[1]) < margin or float(w[2]) > width - margin]


def headings(html_file: Path) -> list[str]:
    """The text of every heading in a page's main content (without the ¶ permalink)."""
    main = main_content(_parse(html_file))
    found = []
    for el in main.iter():
        if isinstance(el.tag, str) and re.fullmatch(r"h[1-6]", el.tag):
            found.append(" ".join("".join(el.itertext()).replace("¶", "").split()))
    return [h for h in found if h]


def structure_types(pdf) -> set[str]:
    """Every structure element type in the PDF's structure tree."""
    seen: set[str] = set()
    todo = [pdf.Root.StructTreeRoot]
    while todo:
        node = todo.pop()
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                seen.add(str(node.S))
            kids = node.get("/K")
            todo.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return seen


def assert_accessible(path: Path, structure: frozenset[str] = frozenset({"/H1", "/P"})) -> None:
    """Tagged PDF/UA-1 in Danish with ``structure`` in its structure tree, and no pdfua error."""
    from pdfua import Severity, validate

    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.get("/Lang")) == "da"
        assert bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root
        types = structure_types(pdf)
        assert structure <= types, types
    report = validate(str(path))
    errors = [f"{f.rule_id}: {f.message}" for f in report.findings if f.severity == Severity.ERROR]
    assert errors == [], errors


@pytest.fixture(scope="module")
def real_pdfs(guidance_build, tmp_path_factory) -> Path:
    """Every PDF of the real guidance, rendered once into a copy of the session build."""
    html = tmp_path_factory.mktemp("pdf") / "html"
    shutil.copytree(guidance_build / "html", html)
    result = build_pdfs(html, BASE, echo=lambda *_: None)
    assert result.guide and len(result.rendered) == len(guidance_pages(html))
    return html


@pytest.mark.slow
@pytest.mark.parametrize("page", REAL_PAGES)
def test_a_real_page_pdf_has_every_heading_and_is_accessible(real_pdfs, page):
    pdf = real_pdfs / pdf_file(page.removesuffix(".html"))
    text = pdf_text(pdf)
    wanted = headings(real_pdfs / page)
    assert len(wanted) >= 2 or page == "index.html"
    missing = [h for h in wanted if h not in text]
    assert missing == [], f"headings missing from {pdf.name}: {missing}"
    # Headings, lists and links are structure, not only looks.
    assert_accessible(pdf, frozenset({"/H1", "/H2", "/P", "/L", "/LI", "/Link"}))
    assert "Hent som PDF" not in text  # the screen's link is left out of the print


@pytest.mark.slow
def test_the_whole_guide_has_every_page_case_examples_and_links(real_pdfs):
    pdf = real_pdfs / GUIDE_PDF
    text = pdf_text(pdf)
    for page in guidance_pages(real_pdfs):
        missing = [h for h in headings(real_pdfs / page) if h not in text]
        assert missing == [], f"{page}: {missing}"
    # Case examples are open on paper (their situation text, not only the title), and Æ/Ø/Å survive.
    assert text.count("Sagseksempel") >= 30 and "Situation" in text
    for word in ("Partshøring", "Afgørelsen", "gennemgået", "Ærekrænkelser", "Økonomiforvaltningen", "påklage"):
        assert word in text, word
    assert_accessible(pdf)
    assert words_outside_text_area(pdf) == []  # nothing cut off at the page edge
    with pikepdf.open(pdf) as doc:
        uris = [str(a.A.URI) for p in doc.pages for a in p.get("/Annots", []) if "/A" in a and "/URI" in a.A]
        inside = [a for p in doc.pages for a in p.get("/Annots", []) if "/Dest" in a or
                  ("/A" in a and a.A.get("/S") == "/GoTo")]
    assert any(u.startswith("https://www.retsinformation.dk/") for u in uris)  # citations stay links
    assert not any(u.startswith("file:") for u in uris)
    assert inside, "links between pages of the guide point inside the PDF"


@pytest.mark.slow
def test_reviewed_date_and_page_numbers_are_printed(real_pdfs):
    text = pdf_text(real_pdfs / pdf_file("afgoerelsen/begrundelse"))
    first = text.split("Side 1 af")[0]
    assert "Senest gennemgået" in first
    assert re.search(r"Side 2 af \d+", text)


@pytest.fixture
def basic_copy(basic_build, tmp_path) -> Path:
    """A writable copy of the tiny test root's build (theme "basic", not the real guidance's Furo)."""
    out = tmp_path / "basic"
    shutil.copytree(basic_build / "html", out / "html")
    shutil.copytree(basic_build / "index", out / "index")
    return out


def test_a_rebuild_renders_only_the_changed_page_and_the_guide(basic_copy):
    html = basic_copy / "html"
    first = build_pdfs(html, BASE, echo=lambda *_: None)
    pages = guidance_pages(html)
    assert sorted(first.rendered) == sorted(pages) and first.guide
    assert_accessible(html / pdf_file(pages[-1].removesuffix(".html")))

    again = build_pdfs(html, BASE, echo=lambda *_: None)
    assert again.rendered == [] and not again.guide and again.kept == len(pages)

    changed = "kap/hoering.html"
    other = html / pdf_file("kap/andet")
    before = other.stat().st_mtime_ns
    page = html / changed
    page.write_text(page.read_text(encoding="utf-8").replace("</h1>", "</h1><p>Ny sætning om høring.</p>", 1),
                    encoding="utf-8")
    third = build_pdfs(html, BASE, echo=lambda *_: None)
    assert third.rendered == [changed] and third.guide
    assert other.stat().st_mtime_ns == before
    assert "Ny sætning om høring." in pdf_text(html / pdf_file("kap/hoering"))
    assert "Ny sætning om høring." in pdf_text(html / GUIDE_PDF)


def test_the_pdf_never_fetches_from_the_network(basic_copy):
    """Only the build's own files are read: a remote image is left out, not fetched."""
    html = basic_copy / "html"
    fetch = _local_fetcher(html)
    for refused in ("http://10.255.255.1/billede.png", "https://example.com/x.css", Path("/etc/hostname").as_uri()):
        with pytest.raises(ValueError):
            fetch(refused)
    fetch((html / "index.html").as_uri()).close()
    page = html / "kap/andet.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</h1>", '</h1><img alt="ekstern" src="http://10.255.255.1/billede.png">', 1), encoding="utf-8")
    result = build_pdfs(html, BASE, echo=lambda *_: None)
    assert "kap/andet.html" in result.rendered and result.seconds < 60


def test_every_page_links_its_pdf(guidance_build):
    html = guidance_build / "html"
    for page in guidance_pages(html):
        source = (html / page).read_text(encoding="utf-8")
        link = re.search(r'<p class="klarret-pdf-link"><a [^>]*href="([^"]+)">Hent som PDF</a>', source)
        assert link, f"{page} has no 'Hent som PDF' link"
        up = "../" * page.count("/")
        assert link.group(1) == up + pdf_file(page.removesuffix(".html"))
    assert f'href="{GUIDE_PDF}">Hent hele vejledningen som PDF</a>' in (html / "index.html").read_text("utf-8")


def test_the_pdfs_are_served_and_a_missing_one_says_to_wait(basic_copy, tmp_path):
    app = make_app(basic_copy, f"sqlite:///{tmp_path / 'k.db'}", tmp_path)
    client = app.test_client()
    missing = client.get("/" + pdf_file("kap/hoering"))
    assert missing.status_code == 503 and "Prøv igen" in missing.get_data(as_text=True)
    assert missing.headers["Retry-After"] == "120"
    assert client.get(f"/{PDF_DIR}/findes-ikke.pdf").status_code == 404
    assert client.get(f"/{PDF_DIR}/..%2F..%2Fhtml%2Findex.pdf").status_code == 404
    build_pdfs(basic_copy / "html", BASE, echo=lambda *_: None)
    served = client.get("/" + pdf_file("kap/hoering"))
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.data.startswith(b"%PDF")
    assert client.get("/" + GUIDE_PDF).status_code == 200
    assert client.get(f"/{PDF_DIR}/manifest.json").status_code == 404
