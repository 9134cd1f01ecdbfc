"""The Sphinx extension on a tiny test root: case directive, citation roles, export, builds."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from klarret.export import RECORDS_FILE, export_dir, iter_records
from klarret.legal import CitationError, covers, expand_range, format_citation, normal_par, par_token, parse_reference
from tests.conftest import build_guidance


def records(build):
    return {r.id: r for r in iter_records(export_dir(build / "html") / RECORDS_FILE)}


# --- the citation grammar ---
@pytest.mark.parametrize("text, expected, rendered", [
    ("19", [("19", None, None, None)], "forvaltningslovens § 19"),
    ("19-21", [("19", "21", None, None)], "forvaltningslovens §§ 19-21"),
    ("9 b", [("9 b", None, None, None)], "forvaltningslovens § 9 b"),
    ("19, stk. 2", [("19", None, 2, None)], "forvaltningslovens § 19, stk. 2"),
    ("19, stk. 2, nr. 1", [("19", None, 2, "1")], "forvaltningslovens § 19, stk. 2, nr. 1"),
    ("7, stk. 1, 1. pkt.", [("7", None, 1, None)], "forvaltningslovens § 7, stk. 1, 1. pkt."),
    ("13 og 15", [("13", None, None, None), ("15", None, None, None)], "forvaltningslovens §§ 13 og 15"),
])
def test_reference_grammar(text, expected, rendered):
    cits, pkts = parse_reference("fvl", text)
    assert [(c.par, c.par_to, c.stk, c.nr) for c in cits] == expected
    assert format_citation("forvaltningslovens", cits, pkts) == rendered


def test_eu_reference():
    cits, pkts = parse_reference("gdpr", "art. 6, stk. 1, litra e")
    assert (cits[0].par, cits[0].stk, cits[0].nr) == ("6", 1, "e")
    assert format_citation("databeskyttelsesforordningens", cits, pkts, eu=True) == \
        "databeskyttelsesforordningens artikel 6, stk. 1, litra e"


@pytest.mark.parametrize("bad", ["", "stk. 2", "19, stk", "nitten", "19,, stk. 2", "§", "19 stk. 2 nr"])
def test_malformed_references_are_rejected(bad):
    with pytest.raises(CitationError):
        parse_reference("fvl", bad)


def test_range_covers_paragraph_inside():
    cit = parse_reference("fvl", "19-21")[0][0]
    assert cit.covers("20") and cit.covers("19") and not cit.covers("22")


def test_one_normal_form_for_the_build_and_search():
    # The build writes "9 b"; search indexes and parses the token "9b"; both are the same paragraph.
    assert [normal_par(p) for p in ("9b", "9 B", " 9  b ", "19")] == ["9 b", "9 b", "9 b", "19"]
    assert [par_token(p) for p in ("9 b", "9B", "19")] == ["9b", "9b", "19"]
    assert parse_reference("fvl", "9b")[0][0].par == "9 b"
    with pytest.raises(CitationError):
        normal_par("b9")


def test_ranges_are_ordered_and_expanded_in_one_place():
    assert covers("9", "10", "9 b") and covers("9 a", "9 c", "9b") and not covers("9 a", "9 c", "9 d")
    assert covers("9 b", None, "9b") and not covers("9 b", None, "9")
    assert expand_range("19", "21") == ["19", "20", "21"]
    assert expand_range("9b", "12") == ["9b", "12"]  # a letter at an end: only the ends
    assert expand_range("1", "99") == ["1", "99"]  # wider than MAX_RANGE
    assert expand_range("19", None) == expand_range("19", "19") == ["19"]


# --- the export ---
def test_export_has_every_kind_with_the_schema(basic_build):
    recs = records(basic_build)
    kinds = {r.kind for r in recs.values()}
    assert kinds == {"page", "section", "case", "term"}
    page = recs["hoering"]
    assert page.url == "kap/hoering.html" and page.anchor == "" and page.chapter == "Kapitlet"
    assert page.summary == "Sådan hører du en part." and page.administrations == ["SOF", "BIF"]
    assert page.reviewed == "2026-11-28"
    assert "Naboen bliver hørt." in page.text, "a page's text includes its case examples (LIX, spelling)"
    section = recs["hoering#hoering-undtagelser"]
    assert section.breadcrumb == ["Høring", "Reglen", "Undtagelser"]
    assert section.url == "kap/hoering.html#hoering-undtagelser"
    assert [(c.law, c.par, c.stk) for c in section.citations] == [("fvl", "19", 2)]
    line = (export_dir(basic_build / "html") / RECORDS_FILE).read_text().splitlines()[0]
    assert set(json.loads(line)) >= {"id", "kind", "page", "anchor", "url", "title", "breadcrumb",
                                     "chapter", "text", "citations", "summary", "reviewed", "administrations"}


def test_sections_carry_their_role_and_pages_their_lay_language(basic_build):
    recs = records(basic_build)
    assert recs["hoering#hoering-reglen"].role == "rule"
    assert recs["hoering#hoering-undtagelser"].role == "rule", "a subsection inherits its parent's role"
    assert recs["hoering#hoering-sager"].role == "case" and recs["hoering#hoering-sag-nabo"].role == "case"
    page = recs["hoering"]
    assert page.questions == ["Skal naboen have lov at sige noget, før jeg beslutter?",
                              "Borgeren kender ikke lægens udtalelse"]
    assert page.also_called == ["agterskrivelse", "høringsbrev"]
    assert recs["andet"].questions == [] and recs["andet"].also_called == []
    # `spørgsmål:` as a mapping files a line under the section that answers it (and the page keeps all).
    assert recs["hoering#hoering-undtagelser"].questions == ["Borgeren kender ikke lægens udtalelse"]
    assert recs["hoering#hoering-reglen"].questions == []
    assert recs["hoering#hoering-undtagelser"].also_called == ["høringsbrev"]  # `ogsaa_kaldet:` alike


def test_a_question_filed_under_a_section_the_page_lacks_fails_the_build(tmp_path):
    from tests.conftest import ROOTS, build_guidance

    root = tmp_path / "root"
    shutil.copytree(ROOTS / "basic", root)
    page = root / "kap" / "hoering.md"
    page.write_text(page.read_text(encoding="utf-8").replace("  undtagelser:", "  undtagelse:"), encoding="utf-8")
    assert build_guidance(root, tmp_path / "out") != 0


def test_sections_record_the_provisions_their_text_states(basic_build):
    recs = records(basic_build)
    # "står i" then a line break before the citation (MyST keeps the break as a node of its own).
    assert [(c.law, c.par, c.stk) for c in recs["hoering#hoering-undtagelser"].states] == [("fvl", "19", 2)]
    assert recs["hoering#hoering-reglen"].states[0] == recs["hoering#hoering-reglen"].citations[0]
    assert ("fvl", "9 b") not in {(c.law, c.par) for c in recs["hoering#hoering-reglen"].states}, "'Se også' refers"


@pytest.mark.parametrize("before, states", [
    ("Reglen står i ", True), ("Det følger af ", True), ("Ja, efter ", True),
    ("", True), ("Det gælder for alle. ", True),  # a citation that opens a sentence is its subject
    ("Se også ", False), ("bygge på ", False), ("svært, se ", False), (", jf. ", False),
    ("se også fvl § 7, stk. ", False), ("fx. ", False),
])
def test_stating_phrases_and_sentence_openings(before, states):
    from klarret.sphinxext.schema import stating

    assert stating(before) is states


def test_case_record_and_citations(basic_build):
    case = records(basic_build)["hoering#hoering-sag-nabo"]
    assert case.kind == "case" and case.title == "Naboen blev ikke hørt"
    assert case.breadcrumb == ["Høring", "Sagseksempler", "Naboen blev ikke hørt"]
    for part in ("Situation", "Spørgsmål", "Vurdering", "Resultat"):
        assert part in case.text
    assert "Sagseksempel:" not in case.text
    assert {(c.law, c.par, c.stk) for c in case.citations} == {("fvl", "19", 1), ("offl", "13", None)}


def test_text_has_no_markup_or_warnings(basic_build):
    for r in records(basic_build).values():
        assert not re.search(r"[{}`]|\x00|ERROR|WARNING|Unknown", r.text), (r.id, r.text)


def test_term_points_to_the_page_that_explains_it(basic_build):
    term = records(basic_build)["ordliste#term-part"]
    assert term.kind == "term" and term.page == "hoering" and term.variants == ["partsstatus"]
    assert term.url == "ordliste.html#term-part"
    assert "Læs mere: Høring" in term.text  # the implicit {doc} link is titled, not left as a path


def test_citation_roles_render_links(basic_build):
    html = (basic_build / "html" / "kap" / "hoering.html").read_text()
    assert ">forvaltningslovens § 19, stk. 2, nr. 1</a>" in html
    assert 'href="https://www.retsinformation.dk/eli/lta/2014/433"' in html
    assert ">databeskyttelsesforordningens artikel 6, stk. 1, litra e</a>" in html
    assert 'href="https://eur-lex.europa.eu/eli/reg/2016/679/oj"' in html


def test_case_renders_as_keyboard_accessible_dropdown(basic_build):
    html = (basic_build / "html" / "kap" / "hoering.html").read_text()
    m = re.search(r'<details class="[^"]*klarret-case[^"]*" id="hoering-sag-nabo">\s*<summary', html)
    assert m, "a case example is a <details> with its id and a <summary> (native keyboard support)"
    assert "Senest gennemgået 28. november 2026" in html


# --- bad input fails the build, naming file and line ---
def _break(root, old, new):
    page = root / "kap" / "hoering.md"
    text = page.read_text()
    assert old in text
    page.write_text(text.replace(old, new))


@pytest.mark.parametrize("old, new, message", [
    ("Vurdering:\nJa, efter {fvl}`19, stk. 1`.\n", "", "mangler Vurdering"),
    ("{fvl}`9 b`", "{fvll}`9 b`", "Kendte love: fvl, gdpr, offl"),
    ("{fvl}`9 b`", "{fvl}`stk. 9`", "Ugyldig lovhenvisning"),
    (":hjemmel: fvl 19, stk. 1; offl 13", ":hjemmel: fvl 19, stk. 1; xyz 13", "Ukendt lov 'xyz'"),
    (":name: hoering-sag-nabo\n", "", "mangler :name:"),
])
def test_bad_input_fails_with_file_and_line(tree_copy, tmp_path, capsys, old, new, message):
    root = tree_copy()
    _break(root, old, new)
    status = build_guidance(root, tmp_path / "out")
    err = capsys.readouterr().err
    assert status != 0
    assert re.search(r"kap/hoering\.md:\d+: (ERROR|WARNING)", err), err
    assert message in err


# --- incremental and parallel builds ---
def test_incremental_rebuild_reads_one_page_and_exports_all(tree_copy, tmp_path, capsys):
    root = tree_copy()
    out = tmp_path / "out"
    assert build_guidance(root, out) == 0
    before = set(records(out))
    time.sleep(0.01)
    page = root / "kap" / "andet.md"
    page.write_text(page.read_text() + "\nEn ny sætning om klagefrister.\n")
    capsys.readouterr()
    from klarret.build import run_sphinx

    assert run_sphinx(root, root, out / "html", out / "doctrees", jobs="1") == 0
    log = capsys.readouterr().out
    assert "0 added, 1 changed, 0 removed" in log, log
    after = records(out)
    assert set(after) == before
    assert "klagefrister" in after["andet"].text


def test_parallel_build_exports_every_page(tree_copy, tmp_path):
    root = tree_copy()
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert build_guidance(root, serial, jobs="1") == 0
    assert build_guidance(root, parallel, jobs="2") == 0
    assert set(records(serial)) == set(records(parallel))


# --- "Nyt i KlarRet": change logs, the front page list and the Atom feed ---
def _with_changes(root: Path, antal: int = 2) -> None:
    """Give two pages a change log and the front page a {nyt} list."""
    index = root / "index.md"
    index.write_text(index.read_text().replace(
        "# Forside\n", f"# Forside\n\n## Nyt i KlarRet\n\n```{{nyt}}\n:antal: {antal}\n```\n"))
    hoering = root / "kap" / "hoering.md"
    text = hoering.read_text()
    assert text.startswith("---\n")
    hoering.write_text(text.replace("---\n", '---\naendringer:\n  - dato: "2026-12-02"\n'
                                    '    tekst: "Undtagelserne er rettet."\n  - dato: "2026-11-01"\n'
                                    '    tekst: "Siden er oprettet."\n', 1))
    andet = root / "kap" / "andet.md"
    andet.write_text('---\naendringer:\n  - dato: "2026-11-15"\n    tekst: "Et nyt eksempel & en rettelse."\n---\n'
                     + andet.read_text())


def test_front_page_lists_the_newest_changes_and_the_feed_has_them_all(tree_copy, tmp_path):
    import xml.etree.ElementTree as ET

    root = tree_copy()
    _with_changes(root, antal=2)
    out = tmp_path / "out"
    assert build_guidance(root, out) == 0
    html = (out / "html" / "index.html").read_text(encoding="utf-8")
    newest = html.index("2. december 2026")
    second = html.index("15. november 2026")
    assert newest < second and "1. november 2026" not in html  # newest first, at most :antal:
    assert "Undtagelserne er rettet." in html and 'href="kap/hoering.html"' in html
    feed = ET.parse(out / "html" / "nyt.atom").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert feed.findtext("a:updated", namespaces=ns) == "2026-12-02T00:00:00Z"
    entries = feed.findall("a:entry", ns)
    assert [e.findtext("a:updated", namespaces=ns)[:10] for e in entries] == ["2026-12-02", "2026-11-15", "2026-11-01"]
    assert entries[1].findtext("a:summary", namespaces=ns) == "Et nyt eksempel & en rettelse."
    assert entries[0].find("a:link", ns).get("href") == "/kap/hoering.html"
    assert len({e.findtext("a:id", namespaces=ns) for e in entries}) == 3


def test_a_malformed_change_log_fails_the_build_with_the_file(tree_copy, tmp_path, capsys):
    root = tree_copy()
    _with_changes(root)
    page = root / "kap" / "andet.md"
    page.write_text(page.read_text().replace('"2026-11-15"', '"15/11/2026"'))
    assert build_guidance(root, tmp_path / "out") != 0
    err = capsys.readouterr().err
    assert "kap/andet" in err and "ÅÅÅÅ-MM-DD" in err, err


def test_a_changed_change_log_updates_the_front_page_on_an_incremental_build(tree_copy, tmp_path):
    from klarret.build import run_sphinx

    root = tree_copy()
    _with_changes(root)
    out = tmp_path / "out"
    assert build_guidance(root, out) == 0
    time.sleep(0.01)
    page = root / "kap" / "andet.md"
    page.write_text(page.read_text().replace('"2026-11-15"', '"2026-12-24"'))
    assert run_sphinx(root, root, out / "html", out / "doctrees", jobs="1") == 0
    html = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert html.index("24. december 2026") < html.index("2. december 2026")
