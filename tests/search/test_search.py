"""Search v1: the API's shape, ranking on the real guidance, bad input, escaping, reindex."""

from __future__ import annotations

import pytest

from search.engine import Engine
from search.indexer import build_index
from tests.conftest import make_app

BAD_QUERIES = ["x" * 10_000, '"partshøring', "AND OR (", "partshøring)", "\x00\x01\x1b[31m", "§", "§§",
               "fvl §", "* ? ~ ^2", "title:foo", "NOT", "ø" * 300, "\u202e\u200b", "<script>alert(1)</script>"]


@pytest.fixture
def basic_client(basic_build, tmp_path):
    return make_app(basic_build, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path).test_client()


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_bad_queries_never_give_500(client, q):
    for path in ("/api/search", "/soeg", "/api/suggest"):
        r = client.get(path, query_string={"q": q})
        assert r.status_code == 200, (path, q, r.data[:300])


def test_empty_query_is_400_in_danish(client):
    for q in ("", "   "):
        r = client.get("/api/search", query_string={"q": q})
        assert r.status_code == 400
        assert "Skriv et eller flere ord" in r.get_json()["error"]["message"]
    r = client.get("/soeg", query_string={"q": ""})
    assert r.status_code == 400 and "Skriv et eller flere ord" in r.get_data(as_text=True)


@pytest.mark.parametrize("limit", ["0", "51", "ti", "-1"])
def test_bad_limit_is_400(client, limit):
    r = client.get("/api/search", query_string={"q": "partshøring", "limit": limit})
    assert r.status_code == 400 and "limit" in r.get_json()["error"]["message"]


def test_answer_shape(client):
    body = client.get("/api/search", query_string={"q": "partshøring"}).get_json()
    assert set(body) == {"query", "total", "suggestion", "corrected_from", "terms", "facets", "results",
                         "search_id", "notice"}
    assert set(body["facets"]) == {"chapter", "kind"}
    first = body["results"][0]
    assert set(first) == {"page", "anchor", "url", "title", "breadcrumb", "snippet", "kind", "role", "score",
                          "also_called", "sections"}
    assert first["url"].endswith("#" + first["anchor"])
    pages = [r["page"] for r in body["results"]]
    assert len(pages) == len(set(pages)), "one result per page"
    assert "ordliste" not in pages, "glossary matches go to terms, not results"


@pytest.mark.parametrize("q, page", [
    ("partshøring", "partshoering"),
    ("fvl § 19", "partshoering"),
    ("begrundelse", "begrundelse"),
    ("klagevejledning", "klagevejledning"),
    ("telefonnotat", "notatpligt-journalisering"),
    ("hvor hurtigt skal jeg svare på en anmodning om aktindsigt", "aktindsigt-frister"),
])
def test_the_rule_comes_first(client, q, page):
    body = client.get("/api/search", query_string={"q": q}).get_json()
    assert body["results"] and body["results"][0]["page"] == page, [r["page"] for r in body["results"][:5]]


def test_glossary_term_shown_as_definition(client):
    body = client.get("/api/search", query_string={"q": "partshøring"}).get_json()
    assert any(t["term"].lower() == "partshøring" for t in body["terms"])


def test_misspelling_is_corrected(client):
    # Results for the word as typed: they are shown, with "Mente du partshøring?".
    body = client.get("/api/search", query_string={"q": "partshørring"}).get_json()
    assert (body["suggestion"], body["corrected_from"]) == ("partshøring", None)
    assert body["results"][0]["page"] == "partshoering"
    # Nothing for the word as typed: the corrected query is run, and the answer says so.
    body = client.get("/api/search", query_string={"q": "begrundelsse"}).get_json()
    assert (body["query"], body["corrected_from"], body["suggestion"]) == ("begrundelse", "begrundelsse", None)
    assert body["results"][0]["page"] == "begrundelse"


def test_snippet_is_escaped_with_only_mark(basic_client):
    body = basic_client.get("/api/search", query_string={"q": "alert"}).get_json()
    snippet = body["results"][0]["snippet"]
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert "<mark>alert</mark>" in snippet


def test_citation_range_matches_paragraph_inside(basic_client):
    body = basic_client.get("/api/search", query_string={"q": "fvl § 20"}).get_json()
    assert body["results"] and body["results"][0]["page"] == "hoering"


def test_search_page_renders_results_in_danish(client):
    r = client.get("/soeg", query_string={"q": "partshøring"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'lang="da"' in html and "fundet for" in html


def test_reindex_switches_atomically(basic_build, tmp_path):
    index_dir = tmp_path / "index"
    build_index(basic_build / "html", index_dir, echo=lambda *_: None)
    engine = Engine(index_dir)
    first = engine.searcher()
    n = engine.doc_count()
    old_target = index_dir.resolve()
    build_index(basic_build / "html", index_dir, echo=lambda *_: None)
    assert index_dir.is_symlink() and index_dir.resolve() != old_target
    assert engine.doc_count() == n
    assert engine.searcher() is not first, "a running worker picks up the new index"
    assert engine.search("høring")["results"][0]["page"] == "hoering"


def test_readyz_reports_index_and_database(client):
    body = client.get("/readyz").get_json()
    assert body["ok"] and body["checks"]["database"]["ok"] and body["checks"]["search"]["records"] > 100


def test_index_command_names_a_bad_synonym_line_and_keeps_the_live_index(basic_build, tmp_path, monkeypatch):
    from search import synonyms

    app = make_app(basic_build, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    live = (basic_build / "index").resolve()
    monkeypatch.setattr(synonyms, "read_file", lambda path: synonyms.parse_rules("habilitet =>\n", path.name))
    with app.app_context():
        out = app.test_cli_runner().invoke(args=["index"])
    assert out.exit_code == 1 and isinstance(out.exception, SystemExit), out.exception  # a message, no traceback
    assert "synonymer.txt:1: der skal stå ord på begge sider af =>." in out.output
    assert (basic_build / "index").resolve() == live


def test_editors_also_called_words_are_merged_at_index_time(basic_build, tmp_path):
    from klarret.db import db
    from search import _build_step
    from search.models import AlsoCalled, editor_words

    app = make_app(basic_build, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path,
                   KLARRET_INDEX_DIR=tmp_path / "index")
    with app.app_context():
        db.session.add(AlsoCalled(page="hoering", word="  kontradiktion "))
        db.session.commit()
        assert editor_words() == {"hoering": ["kontradiktion"]}
        _build_step(basic_build / "html")
        first = Engine(tmp_path / "index", cache_size=0).search("kontradiktion")["results"][0]
        assert first["page"] == "hoering" and first["also_called"] == ["kontradiktion"]
        # `make run` builds before it migrates: no table is no words, not an error.
        AlsoCalled.__table__.drop(db.engine)
        assert editor_words() == {}
        _build_step(basic_build / "html")
        assert Engine(tmp_path / "index", cache_size=0).search("kontradiktion")["total"] == 0
        db.session.remove()
        db.engine.dispose()


def test_results_page_says_also_called(client):
    html = client.get("/soeg", query_string={"q": "agterskrivelse"}).get_data(as_text=True)
    assert "Også kaldet: agterskrivelse" in html and "Partshøring" in html
    html = client.get("/soeg", query_string={"q": "xqzvbtrw"}).get_data(as_text=True)
    assert "Ingen resultater for »xqzvbtrw«" in html and "småord" not in html
