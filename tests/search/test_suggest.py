"""Type-ahead (/api/suggest, search.suggest): pages, sections, glossary terms and cited provisions."""

from __future__ import annotations

import pytest

from search.engine import Engine


@pytest.fixture(scope="module")
def engine(guidance_build) -> Engine:
    return Engine(guidance_build / "index", cache_size=0)


def kinds(suggestions: list[dict]) -> list[str]:
    return [s["kind"] for s in suggestions]


def test_a_citation_suggests_the_section_that_states_the_provision(engine):
    for typed in ("fvl 19", "fvl § 19", "forvaltningslovens § 19"):
        first = engine.complete(typed)[0]
        assert first["kind"] == "paragraf" and first["label"] == "Paragraf", typed
        assert first["title"] == "Forvaltningslovens § 19"
        assert first["url"].startswith("/foer-afgoerelsen/partshoering.html#partshoering-"), first
        assert first["detail"].startswith("Partshøring › Reglen")
    gdpr = engine.complete("gdpr art. 15")[0]
    assert gdpr["title"] == "Databeskyttelsesforordningens artikel 15"
    assert gdpr["url"].startswith("/aktindsigt/indsigtsret-gdpr.html#")


def test_pages_come_before_glossary_terms_and_sections(engine):
    got = engine.complete("begr")
    assert got[0] == {"title": "Begrundelse", "url": "/afgoerelsen/begrundelse.html", "kind": "side",
                      "label": "Side", "detail": ""}
    assert kinds(got) == sorted(kinds(got), key=["side", "begreb", "afsnit"].index)
    assert {"begreb", "afsnit"} <= set(kinds(got))
    term = next(s for s in got if s["kind"] == "begreb")
    assert term["url"].startswith("/ordliste.html#term-") and term["detail"] == "Ordliste"


def test_a_later_word_of_a_title_matches_too(engine):
    titles = [s["title"] for s in engine.complete("tavsh")]
    assert "Tavshedspligt" in titles and "Oplysninger, tavshedspligt og data" in titles


def test_sections_are_named_by_their_page_and_headings_every_page_has_are_left_out(engine):
    sections = [s for s in engine.complete("hvornår") if s["kind"] == "afsnit"]
    assert sections and all(" › " in s["detail"] or s["detail"] for s in sections)
    assert all("#" in s["url"] for s in sections)
    assert not [s for s in engine.complete("reglen") if s["kind"] == "afsnit" and s["title"] == "Reglen"]
    assert len(engine.complete("hvornår", limit=20)) <= 20


@pytest.mark.parametrize("typed", ["", " ", "x" * 500, "\x00", "§", "fvl", "fvl 999", "%", "ø"])
def test_odd_input_gives_a_list_never_an_error(engine, typed):
    got = engine.complete(typed)
    assert isinstance(got, list) and len(got) <= 8
    assert all(s["kind"] != "paragraf" for s in got) or typed == "fvl"


def test_the_api_answers_with_kinds_in_danish(client):
    r = client.get("/api/suggest", query_string={"q": "fvl 19"})
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert body["query"] == "fvl 19" and body["suggestions"][0]["kind"] == "paragraf"
    assert set(body["suggestions"][0]) == {"title", "url", "kind", "label", "detail"}
    assert client.get("/api/suggest").get_json() == {"query": "", "suggestions": []}
