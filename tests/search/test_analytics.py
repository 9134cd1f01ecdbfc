"""Search analytics: masking, batched writes off the request path, clicks, the editors' page and CLI."""

from __future__ import annotations

import os
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from klarret.personal_data import mask
from search.analytics import SearchLogger


@pytest.fixture(autouse=True)
def no_timer_flush(monkeypatch):
    """The app's writer flushes only when a test says so (the timer is tested on its own logger)."""
    monkeypatch.setenv("KLARRET_SEARCH_LOG_SECONDS", "3600")


def rows(app, **where):
    from klarret.db import db
    from search.models import SearchLog

    with app.app_context():
        out = db.session.scalars(select(SearchLog).filter_by(**where).order_by(SearchLog.id)).all()
        db.session.expunge_all()
        return out


def logger(app) -> SearchLogger:
    from search import search_log

    return search_log(app)


def login(client, email: str) -> None:
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"email": email, "password": "klarret-demo", "csrf_token": token})
    assert r.status_code == 302


@pytest.mark.parametrize("raw, stored", [
    ("cpr 010203-1234 afslag", "cpr [cpr-nummer] afslag"),
    ("0102031234", "[cpr-nummer]"),
    ("010203 1234 partshøring", "[cpr-nummer] partshøring"),
    ("skriv til anna.hansen@kk.dk om aktindsigt", "skriv til [e-mail] om aktindsigt"),
    ("fvl § 19, stk. 2", "fvl § 19, stk. 2"),
    ("tlf 12345678", "tlf [telefonnummer]"),
])
def test_personal_data_is_masked(raw, stored):
    assert mask(raw) == stored


def test_searches_are_logged_in_batches_not_during_the_request(app, client):
    log = logger(app)
    r = client.get("/api/search", query_string={"q": "partshøring 010203-1234"})
    assert r.status_code == 200
    assert log.pending() == 1 and rows(app) == [], "written later, not by the request"
    client.get("/api/search", query_string={"q": "qqqzzz"})
    assert log.flush() == 2
    logged = rows(app, kind="query")
    assert [x.query for x in logged] == ["partshøring [cpr-nummer]", "qqqzzz"]
    assert logged[0].result_count > 0 and logged[1].result_count == 0
    assert logged[0].search_id == r.get_json()["search_id"]


def test_benchmark_traffic_is_not_logged(app, client):
    for value in ("1", "nocache"):
        client.get("/api/search", query_string={"q": "partshøring"}, headers={"X-KlarRet-Bench": value})
    assert logger(app).pending() == 0


def test_background_thread_writes_by_time_and_by_size(app):
    log = SearchLogger(app, seconds=0.2, size=1000)
    log.search("a" * 32, "partshøring", 3)
    deadline = time.time() + 5
    while time.time() < deadline and not rows(app, search_id="a" * 32):
        time.sleep(0.05)
    assert rows(app, search_id="a" * 32), "written by the timer"
    big = SearchLogger(app, seconds=3600, size=5)
    for i in range(5):
        big.search(f"b{i}", "klagefrist", 1)
    deadline = time.time() + 5
    while time.time() < deadline and len(rows(app, query="klagefrist")) < 5:
        time.sleep(0.05)
    assert len(rows(app, query="klagefrist")) == 5, "written when the batch is full"


def test_a_forked_worker_gets_its_own_writer(app):
    log = SearchLogger(app, seconds=0.1)
    log.search("parent", "før fork", 1)  # starts the parent's thread
    log.flush()
    pid = os.fork()
    if pid == 0:  # a gunicorn worker after the fork: no thread yet, one is started on first use
        try:
            log.search("child", "efter fork", 1)
            time.sleep(1.0)
        finally:
            os._exit(0 if log.pending() == 0 else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert [x.query for x in rows(app, search_id="child")] == ["efter fork"]


def test_a_failed_write_is_kept_for_the_next_batch(app, monkeypatch):
    from klarret.db import db

    log = SearchLogger(app, seconds=3600)
    log.search("c" * 32, "aktindsigt", 2)

    def boom(*a, **kw):
        raise RuntimeError("database down")

    monkeypatch.setattr(db.session, "execute", boom)
    assert log.flush() == 0 and log.pending() == 1
    monkeypatch.undo()
    assert log.flush() == 1


def test_result_links_ping_the_click_log_without_javascript(app, client):
    html = client.get("/soeg", query_string={"q": "partshøring"}).get_data(as_text=True)
    links = re.findall(r'<a href="([^"]+)" ping="(/soeg/klik\?[^"]+)"', html)
    assert links, "result links carry a ping to /soeg/klik (HTML, no JavaScript)"
    href, ping = links[0][0], links[0][1].replace("&amp;", "&")
    params = parse_qs(urlsplit(ping).query)
    assert href.startswith("/foer-afgoerelsen/partshoering.html#") and params["u"] == [href]
    # What the browser sends when the link is followed: a bare POST without a CSRF token.
    r = client.post(ping, data="PING", headers={"Content-Type": "text/ping", "Ping-To": href})
    assert r.status_code == 204
    logger(app).flush()
    clicks = rows(app, kind="click")
    assert len(clicks) == 1 and clicks[0].clicked_rank == 1 and clicks[0].clicked_url == href
    assert clicks[0].search_id == rows(app, kind="query")[0].search_id


def test_click_redirect_for_clients_without_pings(app, client):
    body = client.get("/api/search", query_string={"q": "partshøring"}).get_json()
    url = body["results"][0]["url"]
    r = client.get("/soeg/klik", query_string={"s": body["search_id"], "r": 1, "u": url})
    assert r.status_code == 302 and r.headers["Location"] == url
    logger(app).flush()
    assert [c.clicked_url for c in rows(app, kind="click")] == [url]


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "/\\evil.example",
                                 "javascript:alert(1)", ""])
def test_click_redirect_stays_on_the_site(client, url):
    r = client.get("/soeg/klik", query_string={"s": "abc", "r": "1", "u": url})
    assert r.status_code == 400
    assert client.post("/soeg/klik", query_string={"s": "abc", "u": url}).status_code == 400


def _seed(app, client):
    """Three searches for partshøring (one clicked), two without results, one nobody clicks."""
    for q in ("partshøring", "Partshøring", "partshøring", "qqqzzz", "qqqzzz", "klagefrist"):
        body = client.get("/api/search", query_string={"q": q}).get_json()
        if q == "Partshøring":
            client.get("/soeg/klik", query_string={"s": body["search_id"], "r": 1, "u": body["results"][0]["url"]})
    logger(app).flush()


def test_report_lists_frequent_no_result_and_unclicked_queries(app, client):
    from search.report import report

    _seed(app, client)
    with app.app_context():
        data = report(days=30)
    assert data["total"] == 6
    assert [(r["query"], r["searches"], r["clicked"]) for r in data["frequent"]][:2] == \
        [("partshøring", 3, 1), ("qqqzzz", 2, 0)]
    assert [r["query"] for r in data["no_results"]] == ["qqqzzz"]
    assert [r["query"] for r in data["unclicked"]] == ["klagefrist"]


def test_report_command(app, client):
    _seed(app, client)
    out = app.test_cli_runner().invoke(args=["search", "report", "--days", "7"])
    assert out.exit_code == 0, out.output
    assert "Søgninger de seneste 7 dage: 6" in out.output
    assert "Søgninger uden resultater:\n      2 × qqqzzz" in out.output
    bad = app.test_cli_runner().invoke(args=["search", "report", "--days", "0"])
    assert bad.exit_code != 0


def test_synonyms_command_lists_the_table(app):
    out = app.test_cli_runner().invoke(args=["search", "synonyms"])
    assert out.exit_code == 0, out.output
    assert "chatgpt, copilot, chatbot, sprogmodel, generativ ai => kunstig intelligens  [synonymer.txt:" in out.output
    assert "habilitet, inhabil, interessekonflikt => inhabilitet  [ordliste]" in out.output
    assert "fvl => forvaltningsloven  [lovtabel]" in out.output


def test_editors_page_is_for_editors_only(app, client):
    from klarret.demo import load_demo_data

    with app.app_context():
        load_demo_data()
    _seed(app, client)
    r = client.get("/soeg/statistik")
    assert r.status_code == 302 and r.headers["Location"] == "/login?next=/soeg/statistik"
    login(client, "anna@demo.klarret.dk")
    assert client.get("/soeg/statistik").status_code == 403
    client.post("/logout", data={"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"',
                                                         client.get("/").get_data(as_text=True) or "")})
    editor = app.test_client()
    login(editor, "erik@demo.klarret.dk")
    r = editor.get("/soeg/statistik", query_string={"dage": "30"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'lang="da"' in html
    assert '<th scope="col">Søgning</th>' in html and "qqqzzz" in html and "<legend>Periode</legend>" in html
    assert editor.get("/soeg/statistik", query_string={"dage": "x"}).status_code == 200


def test_search_log_holds_no_user_identity(app, client):
    from klarret.demo import load_demo_data
    from search.models import SearchLog

    columns = {c.name for c in SearchLog.__table__.columns}
    assert columns == {"id", "search_id", "kind", "created_at", "query", "result_count", "clicked_url",
                       "clicked_rank"}
    with app.app_context():
        load_demo_data(population=False)
    login(client, "anna@demo.klarret.dk")
    body = client.get("/api/search", query_string={"q": "partshøring"}).get_json()
    client.get("/soeg/klik", query_string={"s": body["search_id"], "r": 1, "u": body["results"][0]["url"]})
    assert logger(app).flush() == 2
    stored = [[getattr(row, c) for c in sorted(columns)] for row in rows(app)]
    assert len(stored) == 2
    for value in (v for row in stored for v in row):  # a logged-in search leaves nothing of who searched
        assert not any(who in str(value) for who in ("000101", "Anna", "anna@demo.klarret.dk"))


@pytest.mark.parametrize("name, value", [("KLARRET_SEARCH_CACHE", "-5"), ("KLARRET_SEARCH_CACHE", "tusind"),
                                         ("KLARRET_SEARCH_LOG_SECONDS", "0")])
def test_a_bad_setting_stops_start_up_and_names_the_setting(monkeypatch, tmp_path, name, value):
    from klarret.app import create_app

    monkeypatch.setenv("KLARRET_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=rf"{name} skal være .*, ikke '{value}'"):
        create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/k.db",
                    "KLARRET_BUILD_DIR": tmp_path, "KLARRET_HTML_DIR": tmp_path / "html",
                    "KLARRET_INDEX_DIR": tmp_path / "index"})
