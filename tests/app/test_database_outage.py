"""A database that cannot be reached: a Danish 503 saying to try again shortly, with Retry-After; never a 500."""

from __future__ import annotations

import pytest

from tests.support.web import free_port


@pytest.fixture
def away_app(basic_build, tmp_path, monkeypatch):
    """An app whose PostgreSQL address has nothing listening (as during a database restart)."""
    from klarret.app import create_app

    monkeypatch.setenv("KLARRET_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({
        "TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/klarret",
        "KLARRET_BUILD_DIR": basic_build, "KLARRET_HTML_DIR": basic_build / "html",
        "KLARRET_INDEX_DIR": basic_build / "index",
    })


def logged_in(app):
    """A client whose cookie names a server-side session, so each page asks the database who it is."""
    client = app.test_client()
    with client.session_transaction() as s:
        s["sid"] = "x" * 43
    return client


def test_pages_answer_503_in_danish_with_retry_after(away_app):
    r = logged_in(away_app).get("/min-side")
    page = r.get_data(as_text=True)
    assert r.status_code == 503, page[:300]
    assert r.headers["Retry-After"].isdigit()
    assert "Prøv igen om lidt" in page and 'lang="da"' in page
    assert "Log ud" not in page, "the layout does not ask the unreachable database who is logged in"


def test_the_api_answers_503_as_json(away_app):
    r = logged_in(away_app).post("/api/forsoeg/1/svar", json={"question": "q1", "options": ["a"]})
    assert r.status_code == 503 and r.headers["Retry-After"].isdigit()
    error = r.get_json()["error"]
    assert error["status"] == 503 and "Prøv igen om lidt" in error["message"]


def test_the_engine_pings_pooled_connections(away_app):
    from klarret.db import db

    with away_app.app_context():
        assert db.engine.pool._pre_ping, "dead connections after a restart are replaced, not used once"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # SQLite has no connection to cut
def test_a_connection_cut_after_the_answer_is_made_is_not_a_500(database_url, db_app):
    """The page is made; then the database cuts the connection before the request's transaction is rolled back
    at teardown (a restart mid-request). The answer stands: it was made, and what it saved was committed."""
    from sqlalchemy import create_engine, select, text

    from klarret.db import db

    def cut_after_reading():
        pid = db.session.scalar(select(text("pg_backend_pid()")))  # the request's transaction is open
        other = create_engine(db_app.config["SQLALCHEMY_DATABASE_URI"])
        with other.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
        return "made"

    db_app.add_url_rule("/test-cut", "test_cut", cut_after_reading)
    client = db_app.test_client()
    r = client.get("/test-cut")
    assert r.status_code == 200 and r.get_data(as_text=True) == "made"
    assert client.get("/test-cut").status_code == 200, "the next request gets a fresh connection"
