"""The web app: guidance served, Danish error pages, JSON errors under /api/."""

from __future__ import annotations


def test_front_page_and_guidance_pages_are_served(client):
    r = client.get("/")
    assert r.status_code == 200 and 'lang="da"' in r.get_data(as_text=True)
    html = client.get("/foer-afgoerelsen/partshoering.html").get_data(as_text=True)
    assert 'action="/soeg"' in html, "the search box goes to KlarRet's search"
    assert "tilgaengelighed.html" in html, "every page links the accessibility statement"


def test_unknown_page_is_danish_404(client):
    r = client.get("/findes-ikke.html")
    assert r.status_code == 404 and "Siden findes ikke" in r.get_data(as_text=True)


def test_api_errors_are_json(client):
    r = client.get("/api/findes-ikke")
    assert r.status_code == 404 and r.get_json()["error"]["status"] == 404


def test_export_is_not_served(client):
    assert client.get("/export/records.jsonl").status_code == 404


def test_missing_build_gives_503_with_instructions(tmp_path, database_url):
    from tests.conftest import make_app

    app = make_app(tmp_path / "nothing", database_url, tmp_path)
    r = app.test_client().get("/")
    assert r.status_code == 503 and "klarret build" in r.get_data(as_text=True)
    assert app.test_client().get("/readyz").status_code == 503
    assert app.test_client().get("/healthz").status_code == 200, "liveness: the process itself is fine"


def test_readyz_answers_200_when_the_database_and_index_are_reachable(client):
    r = client.get("/readyz")
    body = r.get_json()
    assert r.status_code == 200 and body["ok"]
    assert body["checks"]["database"] == {"ok": True} and body["checks"]["search"]["records"] > 0


def test_readyz_without_an_index_gives_503_saying_so_in_danish(tmp_path, database_url):
    from tests.conftest import make_app

    r = make_app(tmp_path / "nothing", database_url, tmp_path).test_client().get("/readyz")
    body = r.get_json()
    assert r.status_code == 503 and body["ok"] is False
    assert body["checks"]["database"] == {"ok": True}, "the database is reachable; only the index is missing"
    assert body["checks"]["search"]["ok"] is False and "Intet søgeindeks" in body["checks"]["search"]["error"]


def test_search_without_an_index_gives_503_in_danish(tmp_path, database_url):
    from tests.conftest import make_app

    client = make_app(tmp_path / "nothing", database_url, tmp_path).test_client()
    r = client.get("/api/search", query_string={"q": "partshøring"})
    assert r.status_code == 503 and "klarret build" in r.get_json()["error"]["message"]
    r = client.get("/soeg", query_string={"q": "partshøring"})
    assert r.status_code == 503 and "søgeindekset mangler" in r.get_data(as_text=True)
