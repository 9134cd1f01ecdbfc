"""One layout: the app and the guidance share the header, footer and DKFDS; /api/mig; Danish everywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.report_org import login
from tests.support.web import login as demo_login

ROOT = Path(__file__).resolve().parents[2]
DKFDS = ROOT / "klarret" / "static" / "dkfds"
# What Furo and Sphinx's basic theme would show in English; none of it may reach a page.
ENGLISH = ["Skip to content", "On this page", ">Next<", ">Previous<", "Made with", "Furo", "Back to top",
           "Navigation", "Related", "Quick search", "Table of Contents", "Show Source"]
# who -> the header's menu beyond "Vejledning" and "Mine kurser" (report_org_app's people)
ROLE_LINKS = {
    "e1": [],
    "m1": ["Mine medarbejdere"],
    "d1": ["Mine medarbejdere"],
    "ed": ["Videnshuller", "Søgestatistik"],
    "adm": ["Medarbejdernes kurser", "Hele kommunen", "Hold", "Administration"],
}


def header_menu(html: str) -> list[str]:
    """The labels of the header's menu."""
    nav = re.search(r'<nav [^>]*aria-label="Hovedmenu">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r"<li><a [^>]*>([^<]+)</a></li>", nav)


def test_dkfds_and_its_licences_are_committed_with_the_fonts_the_css_needs():
    css = (DKFDS / "css" / "dkfds.min.css").read_text(encoding="utf-8")
    assert (DKFDS / "js" / "dkfds.min.js").stat().st_size > 10_000
    assert "MIT" in (DKFDS / "LICENSE.md").read_text()
    assert (DKFDS / "fonts" / "IBMPlexSans" / "LICENSE-OFL.txt").exists()
    # Each weight the pages use has the file its @font-face names first among those a browser loads.
    for weight in ("Regular", "Italic", "Medium", "SemiBold", "Bold"):
        assert f"IBMPlexSans-{weight}.woff2" in css
        assert (DKFDS / "fonts/IBMPlexSans/complete/woff2" / f"IBMPlexSans-{weight}.woff2").exists(), weight
    assert re.search(r"VERSION=.*\$\{DKFDS_VERSION", (ROOT / "tools" / "dkfds.sh").read_text())


@pytest.mark.parametrize("who", list(ROLE_LINKS))
def test_the_header_shows_each_role_its_pages_and_the_person(report_org_app, who):
    client = report_org_app.test_client()
    login(client, who)
    html = client.get("/min-side").get_data(as_text=True)
    assert header_menu(html) == ["Vejledning", "Mine kurser", *ROLE_LINKS[who]]
    assert '<a class="skipnav" href="#indhold">Gå til indhold</a>' in html and 'id="indhold"' in html
    assert re.search(r'class="kr-user__name">[^<]+</span>', html) and ">Log ud</button>" in html
    assert 'data-suggest="/api/suggest"' in html and 'action="/soeg"' in html
    assert 'href="/privatliv"' in html and "tilgaengelighed.html" in html
    # The menu marks where you are.
    assert re.search(r'<a href="/min-side" aria-current="page">Mine kurser</a>', html)


def test_anonymous_pages_offer_log_in_and_load_dkfds_before_the_app_styles(client):
    html = client.get("/soeg").get_data(as_text=True)
    assert 'href="/login">Log ind</a>' in html and "Log ud" not in html
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert sheets[:3] == ["/_klarret/dkfds/css/dkfds.min.css", "/_klarret/layout.css", "/_klarret/app.css"]
    for sheet in sheets:
        assert client.get(sheet).status_code == 200, sheet


def test_guidance_pages_share_the_header_and_footer_in_danish(client):
    page = client.get("/foer-afgoerelsen/partshoering.html").get_data(as_text=True)
    app_page = client.get("/soeg").get_data(as_text=True)
    for html in (page, app_page):
        assert 'class="kr-header"' in html and 'class="kr-footer"' in html
        assert "Gå til indhold" in html and 'data-suggest="/api/suggest"' in html
        assert header_menu(html) == ["Vejledning", "Mine kurser"]
        assert 'href="/login">Log ind</a>' in html, "without JavaScript a guidance page offers to log in"
    assert 'data-kr-session="/api/mig"' in page and "session.js" in page and "suggest.js" in page
    assert "På denne side" in page and "Forrige" in page and "Næste" in page and "Her er du" in page
    assert len(re.findall(r'role="main"', page)) == 1, "one main region, the one the PDF prints"
    for english in ENGLISH:
        assert english not in page, english
    assert "furo" not in page.lower()


def test_api_mig_tells_the_static_pages_who_is_logged_in(login_app):
    client = login_app.test_client()
    r = client.get("/api/mig")
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert body["logged_in"] is False and body["login_url"] == "/login"
    assert [link["label"] for link in body["links"]] == ["Vejledning", "Mine kurser"]
    demo_login(client, "admin@demo.klarret.dk")
    body = client.get("/api/mig").get_json()
    assert body["logged_in"] is True and body["name"] == "Admin Demo"
    assert "Administration" in [link["label"] for link in body["links"]]
    assert body["logout"]["url"] == "/logout" and len(body["logout"]["csrf_token"]) > 20
    # The token it hands out logs the person out.
    r = client.post("/logout", data={"csrf_token": body["logout"]["csrf_token"]})
    assert r.status_code == 302 and client.get("/api/mig").get_json()["logged_in"] is False


def test_no_template_has_an_inline_style_block_or_script():
    for folder in ("klarret/templates", "quizzes/templates", "search/templates", "klarret/sphinxext/theme"):
        for path in (ROOT / folder).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            assert "<style" not in text, f"{path}: move the styles into a CSS file"
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{path}: inline script"


def test_the_readme_links_point_at_files_that_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", readme)
    local = [link.split("#")[0] for link in links if not re.match(r"[a-z]+:|#", link)]
    assert any(link.startswith("docs/screenshots/") for link in local), "the README shows the screenshots"
    assert [link for link in local if not (ROOT / link).exists()] == []
