"""Section-level search on the real guidance: the first hit is the section that answers the query."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from klarret.export import RECORDS_FILE, export_dir, iter_records
from search.analysis import words
from search.engine import Engine

DATA = Path(__file__).parents[1] / "data"
SECTIONS = DATA / "search-sections.tsv"
REPO = Path(__file__).parents[2]
# The team's shared evaluation sets, beside the main checkout or a worktree (absent in CI: skipped).
SHARED_EVAL = [p / "shared" / "eval" for p in (REPO.parent, REPO.parent.parent)]


@pytest.fixture(scope="module")
def engine(guidance_build) -> Engine:
    return Engine(guidance_build / "index", cache_size=0)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t"))


def ranked(engine: Engine, q: str) -> list[str]:
    """Anchors as the shared section evaluation flattens them: each result's, then its sections'."""
    out = []
    for r in engine.search(q)["results"]:
        out += [r["anchor"] or r["page"], *(s["anchor"] for s in r["sections"])]
    return out


def test_judged_sections_come_first(engine):
    judged = rows(SECTIONS)
    assert len(judged) >= 40
    first = mrr = 0.0
    misses = []
    for row in judged:
        want = {a.strip() for a in row["anchors"].split(",")}
        got = ranked(engine, row["query"])[:5]
        rank = next((i for i, a in enumerate(got) if a in want), None)
        first += rank == 0
        mrr += 1 / (rank + 1) if rank is not None else 0
        if rank != 0:
            misses.append((row["query"], sorted(want), got[:2]))
    first, mrr = first / len(judged), mrr / len(judged)
    assert first >= 0.90 and mrr >= 0.9, (round(first, 3), round(mrr, 3), misses)


def test_judged_anchors_exist(guidance_build):
    anchors = {r.anchor for r in iter_records(export_dir(guidance_build / "html") / RECORDS_FILE)}
    for path in (SECTIONS, *(DATA / f"search-blind-{name}-sections.tsv" for name in BLIND)):
        missing = {a.strip() for row in rows(path) for a in row["anchors"].split(",")} - anchors
        assert not missing, f"{path.name}: anchors not in the guidance: {sorted(missing)}"


# Blind sets, written by colleagues who saw only the guidance's body text (not the front
# matter, the code or any other judged set), like the held-out queries the issue is judged on.
# The target is 0.90 there too; these floors are today's figures less a query or two, so a change that
# loses ground on queries nobody tuned for fails here.
BLIND = {"a": 0.82, "b": 0.77, "c": 0.85, "d": 0.71, "e": 0.7, "f": 0.8, "g": 0.67, "h": 0.8, "i": 0.72}


@pytest.mark.parametrize("name, floor", sorted(BLIND.items()))
def test_blind_sets_do_not_fall_back(engine, name, floor):
    judged = rows(DATA / f"search-blind-{name}-sections.tsv")
    assert len(judged) >= 50
    first = sum(bool(set(ranked(engine, row["query"])[:1]) & {a.strip() for a in row["anchors"].split(",")})
                for row in judged) / len(judged)
    assert first >= floor, round(first, 3)


def _norm(text: str) -> str:
    return " ".join(words(text))


def test_no_judged_query_copies_a_pages_questions(guidance_build):
    """A page's `spørgsmål:` must not be the judged queries themselves, or the figures flatter us."""
    questions = {_norm(q): r.page for r in iter_records(export_dir(guidance_build / "html") / RECORDS_FILE)
                 if r.kind == "page" for q in r.questions}
    assert len(questions) >= 5 * 34
    judged = [*sorted(DATA.glob("search-*.tsv")), *(f for d in SHARED_EVAL for f in sorted(d.glob("*.tsv")))]
    copies = [(path.name, row["query"], questions[_norm(row["query"])])
              for path in judged if path.exists() for row in rows(path) if _norm(row["query"]) in questions]
    assert not copies, f"judged queries copied into a page's spørgsmål: {copies}"


def test_every_topic_page_has_lay_language(guidance_build):
    from klarret.guidance.content import TOPICS

    pages = {r.page: r for r in iter_records(export_dir(guidance_build / "html") / RECORDS_FILE) if r.kind == "page"}
    for topic in TOPICS:
        assert len(pages[topic].questions) >= 5, topic
        assert pages[topic].also_called, topic


def test_also_called_word_finds_the_page_and_says_so(engine):
    # "kontradiktion" is filed for the whole page and only the front matter has it.
    first = engine.search("kontradiktion")["results"][0]
    assert first["page"] == "partshoering" and first["also_called"] == ["kontradiktion"]
    assert first["role"] == "summary", "a page found only through its lay words shows 'Kort fortalt'"
    assert engine.search("partshøring")["results"][0]["also_called"] == []


def test_a_word_filed_for_the_page_is_its_topic(engine):
    # Asked alone, a word an editor filed for the whole page names the topic, like the title: "Kort fortalt".
    assert ranked(engine, "habilitet")[0] == "inhabilitet-kort"
    assert ranked(engine, "persondata")[0] == "databeskyttelse-kort"
    # One filed under a section, asked alone, gets that section, even where another uses the word more.
    assert ranked(engine, "telefonnotat")[0] == "notatpligt-journalisering-oplysninger"
    assert engine.search("telefonnotat", kind="case")["results"][0]["kind"] == "case", "a filter still filters"
    # In a longer query it is one word among others, not a topic.
    assert ranked(engine, "habilitet når min svoger søger")[0] != "inhabilitet-kort"


def test_a_synonym_of_a_topic_name_is_that_topic_where_the_page_does_not_use_the_word(engine):
    # Glossary variants the pages themselves never write: asked alone, they name the topic ("Kort fortalt"),
    # not the section where their parts happen to score highest.
    assert ranked(engine, "begrundelseskrav")[0] == "begrundelse-kort"
    assert ranked(engine, "partshøringspligt")[0] == "partshoering-kort"
    # A variant the page itself uses for one thing it deals with keeps that section.
    assert ranked(engine, "fuldmagt")[0] == "partsrepraesentation-fuldmagt"


def test_a_question_about_time_asks_for_the_deadline(engine):
    # The editors' rule "hvor lang tid, hvornår skal, … => frist": the section on how long the party
    # has to answer, not the how-to that mentions »bemærkninger«.
    assert ranked(engine, "hvor lang tid har borgeren til at komme med bemærkninger")[0] == "partshoering-hvornaar"


def test_a_query_close_to_one_question_line_gets_its_section(engine, monkeypatch):
    from search import sections

    query = "borgeren kan ikke få mitid og læser ikke sin digitale post"  # close to one of fritagelse's lines
    assert ranked(engine, query)[0] == "digital-kommunikation-fritagelse"
    monkeypatch.setattr(sections, "QUESTION_WEIGHT", 0.0)
    assert ranked(engine, query)[0] != "digital-kommunikation-fritagelse", "the line, not the words, decides"


def test_citation_query_prefers_the_section_that_states_the_rule(engine):
    first = engine.search("gdpr artikel 32")["results"][0]
    assert first["anchor"] == "databeskyttelse-sikkerhed"
    first = engine.search("fvl § 22")["results"][0]
    assert first["kind"] == "section" and first["role"] == "rule"


def test_honest_notices(engine):
    assert "kun småord" in engine.search("og i det")["notice"]
    nonsense = engine.search("xqzvbtrw")
    assert nonsense["total"] == 0 and nonsense["notice"].startswith("Ingen resultater for »xqzvbtrw«")
    assert "småord" not in nonsense["notice"]


def test_a_provision_the_guidance_never_cites_is_named_in_the_notice(engine):
    alone = engine.search("fvl § 99")
    assert alone["total"] == 0
    assert alone["notice"].startswith("Vejledningen henviser ikke til forvaltningslovens § 99.")
    assert "stavningen" not in alone["notice"]  # nothing was misspelled
    mixed = engine.search("offl §§ 13 og 99")
    assert mixed["total"] > 0 and "offentlighedslovens § 99" in mixed["notice"]
    assert engine.search("fvl § 19")["notice"] is None


def test_facet_counts_are_pages_like_the_total(engine):
    # "agterskrivelse" is found only through a page's own fields: its "Kort fortalt" is a section.
    for q in ("partshøring", "klage", "fvl § 19", "agterskrivelse"):
        answer = engine.search(q, limit=50)
        assert sum(answer["facets"]["chapter"].values()) == answer["total"]
        for kind, n in answer["facets"]["kind"].items():
            assert n <= answer["total"]
            assert engine.search(q, limit=50, kind=kind)["total"] == n
        for result in (r for r in answer["results"] if r["kind"] != "page"):  # "page": a chapter, no section
            assert answer["facets"]["kind"].get(result["kind"], 0) > 0, (q, result["anchor"])
            pages = [r["page"] for r in engine.search(q, limit=50, kind=result["kind"])["results"]]
            assert result["page"] in pages, (q, result["kind"])


def test_a_how_question_gets_the_how_to_section(engine):
    first = engine.search("hvordan skriver jeg en god klagevejledning")["results"][0]
    assert (first["page"], first["role"]) == ("klagevejledning", "how-to")
    # A heading that names the question still wins over the how-to section.
    assert engine.search("hvordan beskyttes en whistleblower")["results"][0]["anchor"] == "whistleblowing-beskyttelse"


def test_a_negation_in_the_question_picks_the_heading_that_has_it(engine):
    # "ikke" is a stop word, but it turns a heading's meaning around: it counts in heading matching.
    assert engine.search("hvornår er noget ikke en afgørelse")["results"][0]["anchor"] == \
        "afgoerelsesbegrebet-ikke-afgoerelser"
    assert engine.search("hvornår er noget en afgørelse")["results"][0]["anchor"] != \
        "afgoerelsesbegrebet-ikke-afgoerelser", "without the negation, the heading that has it is not preferred"


@pytest.mark.parametrize("q, page", [
    ("se mine data i en sag", "indsigtsret-gdpr"),
    ("klage over ventetid i en sag", "klagebehandling"),
    ("hvad gælder for anmeldelse af lovbrud", "whistleblowing"),
])
def test_an_also_called_phrase_among_other_words_finds_its_page(engine, q, page):
    # Normalised among the pages that have such words, not over every record (most have none).
    assert engine.search(q)["results"][0]["page"] == page


def test_a_situation_like_a_case_gets_the_rule_the_case_applies(engine):
    # The case about a spouse's building case tells this story; it cites fvl § 3, stk. 1, nr. 1-2,
    # which *Hvornår er du inhabil?* states: that section answers, the case follows it.
    first = engine.search("min kollega er gift med ansøgeren")["results"][0]
    assert (first["page"], first["role"]) == ("inhabilitet", "rule")
    got = ranked(engine, "min kollega er gift med ansøgeren")
    assert got.index("inhabilitet-grunde") < got.index("inhabilitet-sag-aegtefaelle-byggesag")
    # Filtered to cases, the case itself is the answer and no rule section is pulled in.
    cases = engine.search("min kollega er gift med ansøgeren", kind="case")["results"]
    assert cases[0]["anchor"] == "inhabilitet-sag-aegtefaelle-byggesag"
    assert all(s["kind"] == "case" for r in cases for s in r["sections"])


def test_an_also_called_thing_gets_the_section_that_uses_it(engine):
    # "høringsbrev" names the letter, not the topic: the how-to section that says to send one.
    assert ranked(engine, "høringsbrev")[0] == "partshoering-saadan"
    # So does "agterskrivelse", the everyday name of that letter, which only the front matter has; the
    # result says why it was found.
    first = engine.search("agterskrivelse")["results"][0]
    assert (first["anchor"], first["also_called"]) == ("partshoering-saadan", ["agterskrivelse"])


def test_a_law_name_in_the_genitive_is_a_citation(engine):
    first = engine.search("persondataforordningens artikel 15")["results"][0]
    assert first["page"] == "indsigtsret-gdpr" and first["role"] == "rule"


def test_a_compound_with_a_part_the_guidance_never_uses_still_ranks_by_the_part_it_has(engine):
    # "begæring" is not in the guidance; "aktindsigt" is: the access-to-files pages come first,
    # ranked by score (every page used to get 0 for lacking the unknown part).
    results = engine.search("aktindsigtsbegæring")["results"]
    assert results[0]["score"] > 0
    assert {r["page"] for r in results[:3]} <= {"aktindsigt-offl", "aktindsigt-frister", "partsaktindsigt",
                                                 "indsigtsret-gdpr"}


def test_every_case_points_to_a_rule_section_of_its_own_page(guidance_build):
    from klarret.export import iter_records
    from search.applies import applied_rules

    records = list(iter_records(guidance_build / "html" / "export" / "records.jsonl"))
    rules = {(r.page, r.anchor) for r in records if r.kind == "section" and r.role == "rule"}
    applies = applied_rules(records)
    cases = [r for r in records if r.kind == "case"]
    assert len(applies) >= 0.9 * len(cases)
    for case in cases:
        for anchor, share in applies.get(case.id, ()):
            assert (case.page, anchor) in rules and 0 < share <= 1
    # Citations decide where they can: fvl § 3, stk. 1, nr. 1-2 is stated by "Hvornår er du inhabil?".
    spouse = dict(applies["inhabilitet#inhabilitet-sag-aegtefaelle-byggesag"])
    assert max(spouse, key=spouse.get) == "inhabilitet-grunde"


def test_snippets_mark_the_words_that_matter_not_stop_words(engine):
    snippet = engine.search("kan jeg sige min mening om spareplanen i avisen")["results"][0]["snippet"]
    assert "<mark>mening</mark>" in snippet
    for stop in ("jeg", "kan", "min", "om", "i"):
        assert f"<mark>{stop}</mark>" not in snippet.lower(), stop


def test_an_also_called_compound_gets_the_section_its_heading_names(engine):
    # "fuldmagtserklæring" is matched whole, as an "also called" word of the page; its part
    # "fuldmagt" is the heading of a section, which answers it better than "Kort fortalt".
    first = engine.search("fuldmagtserklæring")["results"][0]
    assert (first["anchor"], first["also_called"]) == ("partsrepraesentation-fuldmagt", ["fuldmagtserklæring"])
    # A generic part in a long heading ("sag" in "Sagen venter …") is not enough.
    assert engine.search("sagsakter")["results"][0]["anchor"] == "partsaktindsigt-kort"


def test_a_compound_part_counts_as_common_as_the_word_is_in_the_text(guidance_build):
    # "Borgerrådgiveren" splits into borger + rådgiver: among titles' parts both are rare, but "borger" is one
    # of the commonest words of the text, so it must not pull that page for every query about a citizen.
    from search import ranking

    o = ranking.open_index(str(guidance_build / "index"))
    page = next(n for n, d in enumerate(o.stored) if d and d["kind"] == "page" and d["page"] == "borgerraadgiveren")
    with o.ix.searcher() as s:
        assert s.doc_frequency("text", "borg") > 10 * s.doc_frequency("text", "rådgiv")
        common = dict(o.scorer.postings(s, "tcompound", "borg"))[page]
        rare = dict(o.scorer.postings(s, "tcompound", "rådgiv"))[page]
    assert common < 0.5 * rare, (common, rare)


@pytest.mark.parametrize("q, anchor", [
    ("aktindsigt", "aktindsigt-offl-kort"),  # "Aktindsigt for enhver", not "Frister og klage i sager om aktindsigt"
    ("lederens ansvar", "lederens-ansvar-kort"),  # "Lederens ansvar for god sagsbehandling"
    ("genvurdering", "genvurdering-kort"),  # "Genvurdering af sociale afgørelser"
])
def test_the_head_of_a_title_asked_alone_gets_its_page_in_short(engine, q, anchor):
    assert ranked(engine, q)[0] == anchor


@pytest.mark.parametrize("q, anchor", [
    ("hvordan partshører jeg en borger", "partshoering-saadan"),
    ("hvordan begrunder jeg et afslag", "begrundelse-saadan"),
    ("hvordan laver jeg en indberetning om en kollega der snyder", "whistleblowing-saadan"),
])
def test_how_do_i_gets_the_how_to_section(engine, q, anchor):
    # Before, a rule section whose heading or a question line shared a word won ("Hvordan er du beskyttet?").
    assert ranked(engine, q)[0] == anchor


def test_a_question_line_counts_by_the_words_that_tell_its_pages_sections_apart(engine):
    # "oplysninger" and "borger" are in nearly every section of *Videregivelse*; "jobcentret" and
    # "socialforvaltningen" only in the question lines of *Én kommune, mange opgaver*. Counted alike, a line
    # about the police asking for "oplysninger om en borger" won for *Oplysninger om personer*.
    assert ranked(engine, "må socialforvaltningen og jobcentret dele oplysninger om en borger")[0] == \
        "videregivelse-en-kommune"
