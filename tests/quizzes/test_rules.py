"""Assignment rules in the course files: parsing, Danish errors naming the file, the real courses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from quizzes.courses.loader import load_courses
from tests.support.status_org import course_file

D = dt.date


def load_one(tmp_path: Path, header: str):
    folder = tmp_path / "c"
    folder.mkdir(exist_ok=True)
    (folder / "x.toml").write_text(course_file("x", 'title = "X"\n' + header), encoding="utf-8")
    courses, errors = load_courses(folder)
    return courses, [str(e) for e in errors]


def test_loader_reads_rules_and_keeps_audience(tmp_path):
    courses, errors = load_one(tmp_path, '[[tildeling]]\nhvem = "enhed"\nenheder = ["sof / Center A  /  Team 1", '
                                          '"Socialforvaltningen/Center A / Team 24/7"]\n')
    assert errors == []
    # Only a slash with spaces around it separates units: "Team 24/7" is one unit (decision 9).
    assert [str(u) for u in courses[0].rules[0].units] == ["SOF/Center A / Team 1", "SOF/Center A / Team 24/7"]
    courses, errors = load_one(tmp_path, 'audience = "nye"\n')
    assert errors == [] and courses[0].rules[0].who == "nye" and courses[0].rules[0].due_days == 90
    courses, errors = load_one(tmp_path, 'audience = "valgfri"\n')
    assert errors == [] and courses[0].rules == [] and not courses[0].mandatory


def test_rules_do_not_change_the_course_version(tmp_path):
    a, _ = load_one(tmp_path, '[[tildeling]]\nhvem = "alle"\nfrist_dage = 30\n')
    b, _ = load_one(tmp_path, '[[tildeling]]\nhvem = "ledere"\nfrist_dage = 60\n')
    assert a[0].version == b[0].version


def test_loader_rejects_bad_rules_in_danish_naming_the_file(tmp_path):
    bad = {
        '[[tildeling]]\nhvem = "chefer"\n': "hvem = 'chefer' er ukendt",
        '[[tildeling]]\nhvem = "forvaltning"\nforvaltninger = ["SUFF"]\n': "ukendt forvaltning 'SUFF'",
        '[[tildeling]]\nhvem = "forvaltning"\n': "kræver forvaltninger",
        '[[tildeling]]\nhvem = "enhed"\nenheder = ["Center A"]\n': "skal starte med forvaltningens kode",
        '[[tildeling]]\nhvem = "alle"\nfrist_dage = 5\nfrist_dato = 2027-01-01\n': "enten frist_dage eller frist_dato",
        '[[tildeling]]\nhvem = "alle"\nfrist_dato = "2027-01-01"\n': "skal være en dato uden anførselstegn",
        '[[tildeling]]\nhvem = "alle"\nsnart_dage = 10\n': "snart_dage kræver fornyes_maaneder",
        '[[tildeling]]\nhvem = "alle"\nfrist_dage = -1\n': "frist_dage skal være et helt tal",
        '[[tildeling]]\nhvem = "alle"\nfrister = 5\n': "ukendt nøgle 'frister'",
        '[[tildeling]]\nhvem = "ledere"\nnye_dage = 5\n': "nye_dage bruges kun med hvem = \"nye\"",
        '[[tildeling]]\nhvem = "alle"\nfornyes_maaneder = 12\n[[tildeling]]\nhvem = "ledere"\n':
            "samme fornyes_maaneder",
        'audience = "alle"\n[[tildeling]]\nhvem = "alle"\n': "enten audience eller [[tildeling]]",
    }
    for header, expected in bad.items():
        _, errors = load_one(tmp_path, header)
        assert any(e.startswith("x.toml: ") and expected in e for e in errors), (header, errors)


def test_the_real_course_files_have_valid_rules():
    courses, errors = load_courses()
    assert errors == []
    by_id = {c.id: c for c in courses}
    assert by_id["grundkursus"].rules[0].who == "alle" and by_id["grundkursus"].renew_months == 24
    assert by_id["kend-borgerraadgiveren"].rules[0].who == "nye"
    assert by_id["ledere"].rules[0].who == "ledere"
    assert not by_id["ai"].mandatory


def test_add_months_clamps_to_the_end_of_the_month():
    from quizzes.courses.rules import add_months

    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2027, 1, 31), 13) == D(2028, 2, 29)
    assert add_months(D(2026, 11, 15), 24) == D(2028, 11, 15)
