"""Security headers on every kind of page (issue 10, finding 5): CSP, framing, sniffing, referrer, HSTS,
and no caching of anything personal."""

from __future__ import annotations

import re

import pytest

from klarret import settings
from tests.conftest import make_app

ANNA, LEILA, ERIK, ADMIN = ("anna@demo.klarret.dk", "leila@demo.klarret.dk", "erik@demo.klarret.dk",
                            "admin@demo.klarret.dk")
# (kind, who is logged in, url, personal: must not be stored by a browser or proxy)
PAGES = [
    ("guidance front page", None, "/", False),
    ("guidance page", None, "/afgoerelsen/begrundelse.html", False),
    ("guidance static file", None, "/_static/klarret.js", False),
    ("app static file", None, "/_klarret/app.css", False),
    ("search page", None, "/soeg?q=partshøring", True),
    ("search API", None, "/api/search?q=partshøring", True),
    ("login", None, "/login", True),
    ("error page (404)", None, "/findes-ikke.html", True),
    ("own page", ANNA, "/min-side", True),
    ("own page, 404", ANNA, "/kurser/findes-ikke", True),
    ("manager report", LEILA, "/leder", True),
    ("export", LEILA, "/leder/eksport.csv", True),
    ("search statistics", ERIK, "/soeg/statistik", True),
    ("admin page", ADMIN, "/admin/", True),
    ("admin role form", ADMIN, "/admin/medarbejdere", True),
]


@pytest.fixture(scope="module")
def site(guidance_build, tmp_path_factory):
    """One app with the demo accounts for the whole module (the headers do not depend on the data)."""
    from klarret.demo import load_demo_data
    from search import search_log

    tmp = tmp_path_factory.mktemp("headers")
    app = make_app(guidance_build, f"sqlite:///{tmp / 'klarret.db'}", tmp, long_lived=True,
                   WTF_CSRF_ENABLED=False)
    with app.app_context():
        load_demo_data(population=False)
    yield app
    log = search_log(app)
    if log is not None:
        log.close(flush=False)


def fetch(app, who: str | None, url: str):
    """GET ``url`` as ``who`` (logged in through the login form) or anonymously."""
    from klarret.demo import DEMO_PASSWORD

    client = app.test_client()
    if who:
        r = client.post("/login", data={"email": who, "password": DEMO_PASSWORD})
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
    response = client.get(url)
    response.get_data()
    response.close()  # a streamed export keeps its request context until closed
    return response


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: sources}."""
    policy = response.headers.get("Content-Security-Policy")
    assert policy, "no Content-Security-Policy"
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0].lower(): p[1:] for p in parts}


@pytest.mark.parametrize("kind, who, url, personal", PAGES, ids=[p[0] for p in PAGES])
def test_headers_on_every_kind_of_page(site, kind, who, url, personal):
    r = fetch(site, who, url)
    assert r.status_code == (404 if "404" in kind else 200), r.get_data(as_text=True)[:300]
    policy = csp(r)
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None, "the policy does not restrict scripts"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts
    assert policy.get("object-src") == ["'none'"]
    assert policy.get("frame-ancestors") == ["'none'"]
    assert r.headers.get("X-Frame-Options") == "DENY"
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    assert r.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")
    assert "Strict-Transport-Security" not in r.headers, "HSTS on a site served over http"
    cache = r.headers.get("Cache-Control", "")
    if personal:
        assert "no-store" in cache, f"{kind} may be cached: {cache!r}"
    else:
        assert "no-store" not in cache, f"{kind} lost its caching: {cache!r}"
        if kind.startswith("guidance"):
            assert "max-age" in cache, f"{kind} lost its caching: {cache!r}"


def test_hsts_only_when_the_site_is_https(site):
    try:
        settings.override(site, {"KLARRET_BASE_URL": "https://klarret.kk.dk"})
        for who, url in [(None, "/"), (None, "/login"), (ANNA, "/min-side")]:
            hsts = fetch(site, who, url).headers.get("Strict-Transport-Security", "")
            assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 3600, (url, hsts)
    finally:
        settings.override(site, {"KLARRET_BASE_URL": None})
    assert "Strict-Transport-Security" not in fetch(site, None, "/").headers


@pytest.mark.parametrize("url", ["/", "/afgoerelsen/begrundelse.html", "/search.html", "/genindex.html"])
def test_guidance_has_no_inline_scripts(site, url):
    """The guidance must work under the CSP: every script is a file, no event-handler attributes."""
    html = fetch(site, None, url).get_data(as_text=True)
    tags = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert tags, "no scripts found: the pattern is wrong"
    inline = [body.strip()[:80] for attrs, body in tags if "src=" not in attrs or body.strip()]
    assert inline == []
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    assert "javascript:" not in html


@pytest.mark.parametrize("template_dir", ["klarret/templates", "quizzes/templates", "search/templates"])
def test_app_templates_have_no_inline_scripts(template_dir):
    """The app's own pages: scripts only as files (behaviour via data-attributes)."""
    from klarret.settings import ROOT

    offenders = []
    for path in (ROOT / template_dir).rglob("*.html"):
        text = path.read_text()
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S):
            if "src=" not in attrs or body.strip():
                offenders.append(f"{path.name}: <script{attrs}>")
        offenders += [f"{path.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=\s*\"[^\"]*\"", text)]
    assert offenders == []


def test_inline_scripts_become_files(tmp_path):
    """Any theme's inline script is stored once by content and linked relative to the page; data blocks stay."""
    from klarret.sphinxext.csp import externalize

    html = ('<script>a()</script><script type="module">b()</script><script src="x.js"></script>'
            '<script type="application/json">{"c": 1}</script><script>a()</script>')
    out = externalize(html, tmp_path / "_static", lambda path: "../" + path)
    names = re.findall(r'src="\.\./_static/(klarret-inline-[0-9a-f]+\.js)"', out)
    assert len(names) == 3 and names[0] == names[2] != names[1]
    assert (tmp_path / "_static" / names[0]).read_text() == "a()"
    assert '<script type="module" src="../_static/' in out
    assert '<script src="x.js"></script>' in out and '{"c": 1}</script>' in out
    assert sorted(p.name for p in (tmp_path / "_static").iterdir()) == sorted(set(names))
