"""The guidance's content checks: every topic complete, spelling, plain language, the report."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from klarret.export import RECORDS_FILE, export_dir, iter_records
from klarret.guidance.content import LIX_LIMIT, SECTIONS, TOPICS, build_report, citing, lix, page_text
from klarret.settings import SOURCE_DIR
from tests.conftest import require

WORDS_DIR = Path(__file__).parent / "content" / "words"


@pytest.fixture(scope="module")
def report(guidance_build):
    return {p.page: p for p in build_report(guidance_build / "html", SOURCE_DIR)}


@pytest.fixture(scope="module")
def records(guidance_build):
    return list(iter_records(export_dir(guidance_build / "html") / RECORDS_FILE))


@pytest.mark.parametrize("topic", TOPICS)
def test_every_topic_is_complete(report, topic):
    assert topic in report, f"the catalogue's topic '{topic}' has no page"
    p = report[topic]
    missing = [name for key, name in SECTIONS.items() if key not in p.sections]
    assert not missing, f"{topic}: missing sections {missing}"
    assert p.cases >= 2, f"{topic}: {p.cases} case examples (at least 2)"
    assert p.citations >= 1, f"{topic}: no legal citation"
    assert p.summary, f"{topic}: no summary in the front matter"
    dt.date.fromisoformat(p.reviewed)


@pytest.mark.parametrize("page", ["index", "ordliste", "om-klarret", "tilgaengelighed"])
def test_root_pages_exist(report, page):
    assert page in report


def test_at_least_seventy_cases_and_ten_from_the_annual_report(report):
    assert sum(p.cases for p in report.values()) >= 70
    assert sum(p.report_cases for p in report.values()) >= 10


def test_glossary_has_forty_terms_with_variants(records):
    terms = [r for r in records if r.kind == "term"]
    assert len(terms) >= 40
    without = [t.title for t in terms if not t.variants]
    assert not without, f"terms without variants: {without}"
    pages = {r.page for r in records if r.kind == "page"}
    assert all(t.page in pages for t in terms)


def test_lix_of_every_topic_page(report, capsys):
    lines = [f"{p.page:28} LIX {p.lix:5}" for p in report.values()]
    print("\n".join(lines))
    too_hard = {p.page: p.lix for p in report.values() if p.is_topic and p.lix > LIX_LIMIT}
    assert not too_hard, f"topic pages above LIX {LIX_LIMIT}: {too_hard}"


def test_lix_counts_sentences_the_danish_way():
    value, words, sentences = lix("Efter fvl. § 19, stk. 2, nr. 1, skal du fx høre parten. Gør det nu!")
    assert (words, sentences) == (12, 2)  # "§" and numbers are not words; "fvl.", "stk." end nothing
    assert value == pytest.approx(12 / 2)
    value, words, _ = lix("Sagsbehandleren skal partshøre. Hun gør det.")
    assert value == pytest.approx(6 / 2 + 100 * 2 / 6)


def test_spelling_with_hunspell(records, tmp_path):
    hunspell = shutil.which("hunspell")
    require(hunspell is not None and Path("/usr/share/hunspell/da_DK.dic").exists(),
            "hunspell with Debian's Danish dictionary is not installed (make system-deps)")
    words = sorted({w.strip() for f in WORDS_DIR.glob("*.txt") for w in f.read_text().splitlines()
                    if w.strip() and not w.startswith("#")})
    personal = tmp_path / "klarret-words.dic"
    personal.write_text("\n".join(words) + "\n", encoding="utf-8")
    unknown = {}
    for page, text in page_text(records).items():
        # Numbers and number ranges ("FOB 2015-19", "§§ 3-6") are not words to spell-check.
        text = re.sub(r"\d+(?:\s?[-–/.]\s?\d+)*", " ", text)
        out = subprocess.run([hunspell, "-d", "da_DK", "-p", str(personal), "-l"], input=text,
                             capture_output=True, text=True, check=True).stdout.split()
        if out:
            unknown[page] = sorted(set(out))
    assert not unknown, f"unknown words (fix them, or add real terms to tests/guidance/content/words/): {unknown}"


def test_cites_finds_sections_inside_ranges(guidance_build):
    found = citing(guidance_build / "html", "fvl", "19")
    pages = {r.page for r in found}
    assert "partshoering" in pages
    assert all(any(c.law == "fvl" and c.covers("19") for c in r.citations) for r in found)


def test_uncertain_marks_are_reported(report):
    marks = [u for p in report.values() for u in p.uncertain]
    assert marks, "the uncertain facts of the catalogue are marked <!-- usikker: ... --> for review"
    assert all(m and not re.search(r"-->", m) for m in marks)


def test_content_report_runs_the_registered_hooks(app):
    """quizzes registers both report hooks: questions on stale pages, and questions citing a section."""
    runner = app.test_cli_runner()
    with app.app_context():  # `klarret` pushes one for every command
        out = runner.invoke(args=["content", "report"])
        assert out.exit_code == 0, out.output
        assert "Kursusspørgsmål, der linker til sider, som ikke er gennemgået i over et år (" in out.output
        out = runner.invoke(args=["content", "report", "--cites", "fvl 19"])
        assert out.exit_code == 0 and "kursusspørgsmål linker til disse afsnit" in out.output


def test_stale_pages_hook_lists_the_questions_on_those_pages(capsys):
    from klarret.guidance.content import PageReport
    from quizzes import _stale_pages_hook
    from quizzes.courses.loader import load_courses

    courses, _ = load_courses()
    question = courses[0].questions[0]
    fresh = dt.date.today().isoformat()
    _stale_pages_hook([PageReport(page=question.page, title="", source="", reviewed=""),
                       PageReport(page="ingen-spoergsmaal", title="", source="", reviewed=fresh)])
    out = capsys.readouterr().out
    assert f"{courses[0].id:24} {question.id:20} {question.page}#{question.anchor}" in out
    on_page = sum(q.page == question.page for c in courses for q in c.questions)
    assert f"over et år ({on_page}):" in out


UNCERTAIN_PAGE = """---
summary: En side.
---

(side)=
# Side

(side-reglen)=
## Reglen

Parten skal høres. Efter {fvl}`24, stk. 3` kan begrundelsen gøres kortere af hensyn til {term}`parten <part>`.

<!-- usikker: Står undtagelsen i § 24, stk. 3? -->

(side-sager)=
## Sagseksempler

<!-- usikker: Er FOB-nummeret rigtigt? -->

```{case} Naboen blev ikke hørt
:name: side-sag-nabo
```
"""


def test_uncertain_marks_name_page_section_sentence_and_question(tmp_path):
    from klarret.guidance.editorial import uncertain_marks

    (tmp_path / "kapitel").mkdir()
    (tmp_path / "kapitel" / "side.md").write_text(UNCERTAIN_PAGE, encoding="utf-8")
    (tmp_path / "uden.md").write_text("# Uden\n\nIngen tvivl her.\n", encoding="utf-8")
    first, second = uncertain_marks(tmp_path)
    assert (first.page, first.section, first.source, first.line) == ("side", "Reglen", "kapitel/side.md", 13)
    assert first.sentence == ("Efter fvl. § 24, stk. 3 kan begrundelsen gøres kortere af hensyn til parten.")
    assert first.question == "Står undtagelsen i § 24, stk. 3?"
    assert (second.section, second.sentence) == ("Sagseksempler", "Sagseksemplet »Naboen blev ikke hørt«")


def test_content_report_usikker_lists_open_marks_for_a_jurist(tmp_path):
    from flask import Flask

    from klarret.guidance import content

    (tmp_path / "side.md").write_text(UNCERTAIN_PAGE, encoding="utf-8")
    from klarret import settings

    app = Flask(__name__)
    settings.init_app(app, settings.load(overrides={"KLARRET_SOURCE_DIR": tmp_path}))
    content.init_app(app)
    with app.app_context():  # the `flask` command pushes one; the bare test runner does not
        result = app.test_cli_runner().invoke(args=["content", "report", "--usikker"])
    assert result.exit_code == 0, result.output
    assert "2 usikre oplysninger" in result.output
    assert "1. side › Reglen  (side.md:13)" in result.output
    assert "Sætning:   Efter fvl. § 24, stk. 3 kan begrundelsen" in result.output
    assert "Spørgsmål: Er FOB-nummeret rigtigt?" in result.output


def test_at_most_fifteen_uncertain_marks_each_with_a_question():
    from klarret.guidance.editorial import uncertain_marks

    marks = uncertain_marks(SOURCE_DIR)
    assert len(marks) <= 15, [f"{m.page}: {m.question[:60]}" for m in marks]
    without_question = [m.page for m in marks if "?" not in m.question]
    assert not without_question, f"each open mark must ask the jurist an exact question: {without_question}"


COURSES_DIR = SOURCE_DIR.parent.parent / "quizzes" / "courses"


def test_discouraged_words_are_found_with_their_replacement():
    from klarret.guidance.editorial import count_jf, discouraged_words

    hits = discouraged_words("Book-klubben? Nej: han vil booke en tid via e-mail. E-mailen kom. Affair er ikke fair.")
    assert hits == {"booke": ("bestille", 1), "e-mail": ("mail", 2), "fair": ("retfærdig, rimelig", 1)}
    assert discouraged_words("Send en mail til borgeren, hvis hun spørger.") == {}
    assert discouraged_words("Borgeren kan klage, hvis han eller hun vil.") == {
        "han eller hun": ("hun (om borgeren i almindelig tekst)", 1)}
    assert count_jf("Se fvl. § 3, jf. § 2 (jf. stk. 1). Jf. også § 4. Ikke: ejf.") == 3


def test_the_guidance_uses_no_discouraged_words(records):
    from klarret.guidance.editorial import discouraged_words

    found = {page: hits for page, text in page_text(records).items() if (hits := discouraged_words(text))}
    assert not found, f"replace the discouraged words (README, Writing guidance): {found}"


def test_the_courses_use_no_discouraged_words():
    from klarret.guidance.editorial import discouraged_words

    found = {p.name: hits for p in sorted(COURSES_DIR.glob("*.toml"))
             if (hits := discouraged_words(p.read_text(encoding="utf-8")))}
    assert not found, f"replace the discouraged words (README, Writing guidance): {found}"


def test_jf_is_rare_in_the_guidance_and_the_courses(records):
    from klarret.guidance.editorial import JF_LIMITS, count_jf

    per_page = {page: n for page, text in page_text(records).items() if (n := count_jf(text))}
    assert sum(per_page.values()) <= JF_LIMITS["guidance"], \
        f"'jf.' {sum(per_page.values())} times in the guidance (at most {JF_LIMITS['guidance']}): {per_page}"
    per_course = {p.name: n for p in sorted(COURSES_DIR.glob("*.toml"))
                  if (n := count_jf(p.read_text(encoding="utf-8")))}
    assert sum(per_course.values()) <= JF_LIMITS["courses"], \
        f"'jf.' {sum(per_course.values())} times in the courses (at most {JF_LIMITS['courses']}): {per_course}"


def test_front_page_shows_the_latest_changes_and_the_app_serves_the_feed(client):
    import xml.etree.ElementTree as ET

    front = client.get("/").get_data(as_text=True)
    assert "Nyt i KlarRet" in front and 'href="/nyt.atom"' in front
    assert front.count('<li><p>2. december 2026 – ') <= 10
    response = client.get("/nyt.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in feed.findall("{http://www.w3.org/2005/Atom}entry")]
    assert "Inhabilitet" in titles and "Lederens ansvar for god sagsbehandling" in titles
