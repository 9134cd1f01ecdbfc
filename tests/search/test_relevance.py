"""Search quality on the real guidance: judged queries, citations, synonyms, compounds, spelling, bad input."""

from __future__ import annotations

import csv
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from search.analysis import words
from search.citations import CitationParser
from search.engine import Engine, IndexMissing
from search.indexer import build_index
from search.query import MAX_QUERY, clean_query
from search.synonyms import SynonymError, SynonymTable, parse_rules

QUERIES = Path(__file__).parents[1] / "data" / "search-queries.tsv"


@pytest.fixture(scope="module")
def engine(guidance_build) -> Engine:
    return Engine(guidance_build / "index", cache_size=0)


@pytest.fixture(scope="module")
def laws(guidance_build) -> dict:
    return json.loads((guidance_build / "html" / "export" / "laws.json").read_text(encoding="utf-8"))


def judged() -> list[tuple[str, list[str]]]:
    with QUERIES.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [(r["query"], [p.strip() for p in r["relevant"].split(",")]) for r in rows]


def pages(engine: Engine, q: str, **kw) -> list[str]:
    return [r["page"] for r in engine.search(q, **kw)["results"]]


def test_judged_queries_meet_the_targets(engine):
    queries = judged()
    assert len(queries) >= 30
    mrr = top3 = 0.0
    misses = []
    for q, relevant in queries:
        got = pages(engine, q)
        assert got, f"no results for {q!r}"
        rank = next((i for i, p in enumerate(got[:10]) if p in relevant), None)
        if rank is not None:
            mrr += 1 / (rank + 1)
            top3 += rank < 3
        if rank != 0:
            misses.append((q, relevant[0], got[:3]))
    mrr, top3 = mrr / len(queries), top3 / len(queries)
    assert mrr >= 0.90 and top3 >= 0.95, (round(mrr, 3), round(top3, 3), misses)


@pytest.mark.parametrize("q, expected", [
    ("fvl § 19", [("fvl", "19", None, None)]),
    ("fvl. § 19, stk. 2", [("fvl", "19", None, 2)]),
    ("forvaltningslovens § 22", [("fvl", "22", None, None)]),
    ("§ 24 forvaltningsloven", [("fvl", "24", None, None)]),
    ("offl 13", [("offl", "13", None, None)]),
    ("rsl § 4", [("rsl", "4", None, None)]),
    ("GDPR artikel 15", [("gdpr", "15", None, None)]),
    ("artikel 15 i GDPR", [("gdpr", "15", None, None)]),
    ("straffelovens § 152", [("strfl", "152", None, None)]),
    ("fvl §§ 19-21", [("fvl", "19", "21", None)]),
    ("offl §§ 13 og 15", [("offl", "13", None, None), ("offl", "15", None, None)]),
    ("fvl § 9 b", [("fvl", "9b", None, None)]),
    ("§ 19", [(None, "19", None, None)]),
    # Only the EU's laws have articles: a bare article is one of theirs, not every law's § 6.
    ("art. 6, stk. 1", [("gdpr", "6", None, 1), ("aif", "6", None, 1)]),
    ("artikel 22", [("gdpr", "22", None, None), ("aif", "22", None, None)]),
])
def test_citations_are_parsed(laws, q, expected):
    cites, _, rest = CitationParser(laws).parse(q)
    assert [(c.law, c.par, c.par_to, c.stk) for c in cites] == expected
    assert not rest.strip()


@pytest.mark.parametrize("q, page", [
    ("fvl § 19", "partshoering"),
    ("forvaltningslovens § 22", "begrundelse"),
    ("fvl § 20", "partshoering"),  # inside the cited range §§ 19-21
    ("fvl §§ 22-24", "begrundelse"),
    ("offl § 13", "notatpligt-journalisering"),
    ("GDPR artikel 15", "indsigtsret-gdpr"),
])
def test_the_page_whose_rule_it_is_comes_first(engine, q, page):
    assert pages(engine, q)[:1] == [page]


@pytest.mark.parametrize("q, page", [
    ("høring af part", "partshoering"),  # glossary variant
    ("habilitet", "inhabilitet"),  # glossary variant, not a word of the guidance
    ("chatgpt", "ai-beslutningsstoette"),  # editors' file
    ("klagefrist", "klagevejledning"),  # compound
    ("frist for at klage", "klagevejledning"),  # the compound written out
    ("sagsbehandlingstiden", "sagsbehandlingstid"),
    ("helhedsvurdering", "helhedsvurdering"),  # the topic's everyday name, only in its "also called" words
    ("afgørelsesbegrebet", "afgoerelsesbegrebet"),
])
def test_synonyms_and_compounds(engine, q, page):
    assert page in pages(engine, q)[:2]


def test_the_municipalitys_abbreviation_means_the_municipality(engine):
    # »kk« is in the text only as part of »kk.dk«: without the editors' rule it found the About page.
    assert pages(engine, "borgerrådgiveren i kk")[0] == "borgerraadgiveren"


def test_natural_question_ranks_by_relevance_not_all_words(engine):
    # "giver" and "jeg" are not needed in the page: ranking is by relevance, not AND.
    assert pages(engine, "skal borgeren høres før jeg giver afslag")[0] == "partshoering"


def test_a_question_word_counts_less_than_what_is_asked_about(engine, monkeypatch):
    from search import query

    # "Hvornår …?" heads sections on many pages (partshøring's among them): it asks for a time or a
    # condition, while "notat" says what about.
    assert pages(engine, "hvornår tager jeg notat")[0] == "notatpligt-journalisering"
    assert pages(engine, "hvornår er der notatpligt")[0] == "notatpligt-journalisering"
    # A section whose heading asks the same question still gets it.
    first = engine.search("hvornår er jeg inhabil")["results"][0]
    assert (first["page"], first["anchor"]) == ("inhabilitet", "inhabilitet-grunde")
    monkeypatch.setattr(query, "QUESTION_WORD_WEIGHT", 1.0)
    assert pages(engine, "hvornår tager jeg notat")[0] != "notatpligt-journalisering", "the weight decides"


def test_misspelling_gets_a_suggestion_and_still_finds_the_page(engine):
    body = engine.search("partshørring")
    assert body["suggestion"] == "partshøring"
    assert body["results"][0]["page"] == "partshoering"


def test_nothing_found_runs_the_corrected_query_and_says_so(engine):
    body = engine.search("begrundelsse")
    assert body["corrected_from"] == "begrundelsse" and body["query"] == "begrundelse"
    assert body["results"][0]["page"] == "begrundelse"


def test_known_words_and_compounds_are_not_corrected(engine):
    for q in ("sagsbehandlingstiden", "telefonnotat", "habilitet", "anmeld"):
        assert engine.search(q)["suggestion"] is None, q


def test_term_box_shows_named_terms_only(engine):
    body = engine.search("partshøring")
    assert [t["term"] for t in body["terms"]] == ["partshøring"]
    assert "Læs mere" not in body["terms"][0]["definition"]
    # "afslag" is a one-word variant of "afgørelse": no definition box for a long question.
    assert not engine.search("skal borgeren høres før jeg giver afslag")["terms"]


def test_results_grouped_by_page_with_best_anchor_and_kinds(engine):
    body = engine.search("partshøring", limit=20)
    got = [r["page"] for r in body["results"]]
    assert len(got) == len(set(got))
    first = body["results"][0]
    assert first["url"].endswith("#" + first["anchor"]) and first["breadcrumb"][0] == "Partshøring"
    assert body["facets"]["kind"].get("case", 0) > 0 and body["facets"]["kind"].get("section", 0) > 0
    cases = engine.search("partshøring", kind="case")
    assert cases["results"] and all(r["kind"] == "case" for r in cases["results"])


def test_chapter_filter_counts_and_filters(engine):
    body = engine.search("aktindsigt", limit=50)
    chapter, n = max(body["facets"]["chapter"].items(), key=lambda kv: kv[1])
    only = engine.search("aktindsigt", limit=50, chapter=chapter)
    assert only["total"] == n and 0 < n < body["total"]


@pytest.mark.parametrize("q, notice", [
    ("og i at det", "småord"),
    ("§", "småord"),
    ("udlændingelovens § 40", "henviser ikke til"),
])
def test_bad_input_gets_a_sensible_answer(engine, q, notice):
    body = engine.search(q)
    assert body["total"] == 0 and notice in body["notice"]


@pytest.mark.parametrize("q, first", [
    ("title:partshøring AND (fvl OR offl*)", "title partshøring AND fvl OR offl"),  # as the same words
    ("part?høring~2 ^3", "partshoering"),
    ("partshøring\x00\x07\x1b[31m\u202e", "partshoering"),
    ("x" * 10_000, None),
    ("gdpr artikel 999", None),  # a paragraph the guidance does not cite, of a law it does
])
def test_syntax_and_junk_are_just_words(engine, q, first):
    if first and " " in first:  # a query written out: the syntax must answer exactly as its bare words do
        assert pages(engine, q)[:3] == pages(engine, first)[:3] and pages(engine, first)
        return
    assert pages(engine, q)[:1] == ([first] if first else [])


def test_a_paragraph_that_does_not_exist_still_finds_the_laws_pages(engine):
    assert pages(engine, "fvl § 99999")


def test_clean_query_drops_control_characters_and_caps_the_length():
    assert clean_query("partshøring\x00\x07\x1b[31m\u202e  fvl\t§ 19") == "partshøring [31m fvl § 19"
    assert clean_query("x" * 10_000) == "x" * MAX_QUERY


def test_whoosh_syntax_is_not_interpreted(engine):
    assert pages(engine, "title:partshøring")[:1] == ["partshoering"]
    # NOT is a word, not an exclusion: both pages are found.
    got = pages(engine, "partshøring AND NOT begrundelse")[:3]
    assert "partshoering" in got and "begrundelse" in got


def test_suggest_completes_page_titles_and_glossary_terms(engine):
    # Its speed is measured by bench/suggest.py, not here.
    titles = [s["title"] for s in engine.complete("parts")]
    assert "Partshøring" in titles and "partshøring" in titles
    assert engine.complete("x" * 500) == [] and engine.complete("\x00 ") == []


def test_synonym_file_errors_name_the_line():
    with pytest.raises(SynonymError, match="synonymer.txt:2"):
        parse_rules("a, b\nhabilitet =>\n")
    with pytest.raises(SynonymError, match=":1"):
        parse_rules("a => b => c")
    table = SynonymTable(parse_rules("høring af part => partshøring\nmail, e-mail\n"))
    # Compared stem by stem, so inflected forms match.
    assert [t for *_, t in table.expand(words("Høring af parten"))] == ["partshøring"]
    assert {t for *_, t in table.expand(words("e-mail"))} == {"mail"}


def test_shipped_synonym_file_parses():
    from search.synonyms import read_file

    assert len(read_file()) >= 10


def search_while_reindexing(check: Callable[[], None], index_dir: Path, roots: list[Path],
                            pause: float) -> list[BaseException]:
    """Run ``check`` in four threads until the index has been rebuilt from each of ``roots``; their errors."""
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                check()
            except BaseException as exc:  # every failure counts: the caller reports them all
                errors.append(exc)
                return

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    try:
        for root in roots:
            build_index(root / "html", index_dir, echo=lambda *_: None)
            time.sleep(pause)
    finally:
        stop.set()
        for t in threads:
            t.join()
    return errors


@pytest.mark.slow
def test_running_engine_picks_up_a_new_index_without_errors(guidance_build, tmp_path):
    index_dir = tmp_path / "index"
    build_index(guidance_build / "html", index_dir, echo=lambda *_: None)
    engine = Engine(index_dir, cache_size=100)
    seen_targets: set[str] = set()

    def check() -> None:
        body = engine.search("partshøring")
        assert body["results"][0]["page"] == "partshoering"
        seen_targets.add(engine._target)

    errors = search_while_reindexing(check, index_dir, [guidance_build, guidance_build], pause=0.3)
    assert not errors, errors[:3]
    assert len(seen_targets) >= 2, "the readers moved to the new index"
    assert engine._target == str(index_dir.resolve())


@pytest.mark.slow
def test_reindex_to_other_content_while_searching(guidance_build, basic_build, tmp_path):
    """Docnums differ between the folders: a query that began on one must finish on it."""
    index_dir = tmp_path / "index"
    build_index(guidance_build / "html", index_dir, echo=lambda *_: None)
    engine = Engine(index_dir, cache_size=0)
    answered = [0]

    def check() -> None:
        for q in ("høring", "partshøring fvl § 19", "aktindsigt frist", "partshørring"):
            body = engine.search(q, limit=20)
            assert all(r["url"].startswith("/") and r["title"] for r in body["results"])
            answered[0] += 1

    errors = search_while_reindexing(check, index_dir, [basic_build, guidance_build, basic_build], pause=0.2)
    assert not errors, errors[:3]
    assert answered[0] > 10
    assert engine.search("høring")["results"][0]["page"] == "hoering"  # the basic root's page


def test_a_folder_pruned_before_it_is_opened_is_looked_up_again(guidance_build, tmp_path, monkeypatch):
    """A worker reads the index link; two reindexes later the folder it read is pruned before it opens it."""
    index_dir = tmp_path / "index"
    build_index(guidance_build / "html", index_dir, echo=lambda *_: None)
    engine, real = Engine(index_dir, cache_size=0), os.path.realpath
    for pruned in (tmp_path / "index-gone", tmp_path / "index-emptied"):
        if pruned.name == "index-emptied":
            pruned.mkdir()  # rmtree under way: the folder is there, its files are not
        stale = [str(pruned)]  # what the link said a moment ago

        def realpath(path, *args, stale=stale, **kw):
            return stale.pop() if stale and Path(path) == index_dir else real(path, *args, **kw)

        monkeypatch.setattr(os.path, "realpath", realpath)
        assert engine.search("partshøring")["results"][0]["page"] == "partshoering"
        engine._opened = None
    # No index at all is still reported as such: the link does not move.
    with pytest.raises(IndexMissing):
        Engine(tmp_path / "nothing", cache_size=0).search("partshøring")


def test_a_folder_pruned_while_its_searcher_opens_leaves_the_thread_a_working_one(guidance_build, basic_build,
                                                                                   tmp_path, monkeypatch):
    """The new folder goes before this thread's searcher on it is made: the thread must not close its
    old searcher twice ("Reader already closed", seen in the reindex test under load)."""
    from search import engine as engine_module

    index_dir = tmp_path / "index"
    build_index(guidance_build / "html", index_dir, echo=lambda *_: None)
    engine = Engine(index_dir, cache_size=0)
    assert pages(engine, "partshøring")[0] == "partshoering"  # this thread has a searcher on the first folder
    build_index(basic_build / "html", index_dir, echo=lambda *_: None)
    real_open, pruned = engine_module.open_index, []

    def open_index(target: str):
        opened = real_open(target)
        if not pruned:  # the first folder opened after the reindex is gone before its searcher is made
            pruned.append(target)

            def searcher(**kw):
                build_index(guidance_build / "html", index_dir, echo=lambda *_: None)  # the link moves on
                raise FileNotFoundError(target)

            monkeypatch.setattr(opened.ix, "searcher", searcher)
        return opened

    monkeypatch.setattr(engine_module, "open_index", open_index)
    assert pages(engine, "partshøring")[0] == "partshoering"
    assert pruned and engine._target != pruned[0]
    assert pages(engine, "partshøring")[0] == "partshoering", "the thread's searcher still works"


def test_compounds_split_into_words_not_shreds():
    from search.analysis import DanishCompoundFilter

    guidance = {"oplysninger", "inger", "klage", "frist", "fortrolige", "parts", "høring", "partshøring"}
    f = DanishCompoundFilter(guidance)
    assert f.split("klagefrist", {}) == ["klage", "frist"]
    assert f.split("partshøring", {}) == ["parts", "høring"], "a known word still splits at the guidance's words"
    assert f.split("oplysninger", {}) is None, "'oplysn' is a cut form, not a word ('Inger' is a name)"
    assert f.split("fortrolige", {}) is None, "a known word does not split at a word the guidance never uses ('fort')"
    assert f.split("handicapparkeringskort", {}) == ["handicap", "parkerings", "kort"], "unknown: dictionary words"


def test_a_form_of_a_word_that_does_not_split_does_not_split_either():
    from search.analysis import DanishCompoundFilter

    guidance = {"bor", "høring", "hør", "vurder", "parts", "borgeren", "høringen", "partshøringen"}
    f = DanishCompoundFilter(guidance)
    assert f.split("borger", {}) is None
    assert f.split("borgeren", {}) is None, "'borgeren' is 'borger' + -en, not 'bor' + 'geren'"
    assert f.split("borgerne", {}) is None, "not 'bor' + 'gerne'"
    assert f.split("høringen", {}) is None, "not 'hør' + 'ingen'"
    assert f.split("vurderingen", {}) is None
    assert f.split("partshøringen", {}) == ["parts", "høringen"], "a form of a compound still splits"


def test_a_word_with_a_number_is_searched_as_its_words(engine):
    # Before, the whole token was one unknown word: "Ingen resultater". The pages with the 4-week deadline:
    body = engine.search("4-ugersfristen")
    assert body["total"] and body["results"][0]["page"] in {"klagevejledning", "genvurdering"}, body.get("notice")


def test_a_one_digit_number_is_a_word(engine):
    # "7" of "7 arbejdsdage" was dropped like a stray letter, so "7-dagesreglen" found the pages with "reglen".
    body = engine.search("7-dagesreglen")
    assert body["results"][0]["page"] == "aktindsigt-frister", [r["page"] for r in body["results"][:3]]
    assert engine.search("e")["total"] == 0, "a single letter is still not a word"


def test_a_bare_article_is_an_eu_laws_article(engine):
    # Before, "art. 15" searched every law's § 15 and "art. 6" landed on fvl § 6 (inhabilitet).
    bare, named = engine.search("art. 15"), engine.search("gdpr artikel 15")
    assert bare["results"][0]["anchor"] == named["results"][0]["anchor"] == "indsigtsret-gdpr-hvad"
    assert bare["notice"] is None, "cited in one EU law: no notice about the other"
    assert engine.search("art. 6")["results"][0]["page"] != "inhabilitet"
    assert "artikel 10" in engine.search("artikel 10")["notice"], "uncited in every EU law: said so"


def test_one_more_also_called_word_does_not_weaken_the_others(engine):
    # "partshøringsbrev" beside "høringsbrev" made "høringsbrev" count less (a longer field, normalised):
    # a name counts by its rarity alone, however many names its page or section lists.
    from math import log

    opened, s = engine.current()
    k1, lengths, checked = opened.scorer.K1, opened.scorer.lengths["also"], set()
    for term in (t.decode() for t in s.lexicon("also")):
        weights = dict(s.postings("also", term).items_as("weight"))
        rarity = log(s.doc_count_all() / (s.doc_frequency("also", term) + 1)) + 1
        for doc, score in opened.scorer.postings(s, "also", term):
            w = weights[doc]
            assert abs(score - rarity * w * (k1 + 1) / (w + k1)) < 1e-9, (term, lengths[doc])
            checked.add(lengths[doc])
    assert len(checked) > 5, "names in lists of many lengths were compared"


def test_a_hyphenated_word_the_guidance_never_writes_is_searched_as_its_words(engine):
    # "tv-overvågning" was one unknown word: "Ingen resultater", though the guidance covers camera surveillance.
    body = engine.search("tv-overvågning")
    assert body["total"] and body["results"][0]["page"] == "databeskyttelse", body.get("notice")
    assert engine.search("cpr-nummer")["total"], "a hyphenated word the guidance writes is still found as it is"
