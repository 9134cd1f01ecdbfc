"""UnitPath: the one syntax of unit paths (decision 9), without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from klarret.org import paths
from klarret.org.paths import UnitPath, UnitPathError


@pytest.mark.parametrize("text", ["SOF/Center X / Team 24/7", "SOF/Center for Udsatte Voksne", "BIF/A / B / C",
                                  "ØKF"])
def test_parse_and_format_round_trip(text):
    unit = UnitPath.parse(text)
    assert str(unit) == text and UnitPath.parse(str(unit)) == unit
    assert UnitPath.below(unit.administration, unit.path) == unit


def test_a_bare_slash_belongs_to_the_name():
    unit = UnitPath.parse("SOF/Center X / Team 24/7")
    assert unit == UnitPath("SOF", ("Center X", "Team 24/7"))
    assert unit.name == "Team 24/7" and unit.path == "Center X / Team 24/7" and unit.depth == 2
    assert UnitPath.parse("SOF/A/ B").parts == ("A/ B",)  # a separator has spaces on both sides


def test_whitespace_empty_parts_and_administration_names_are_normalised():
    assert UnitPath.parse("  sof /  Center X \t/\tTeam 1  ") == UnitPath("SOF", ("Center X", "Team 1"))
    assert UnitPath.parse("Socialforvaltningen/Center X /  / Team 1 /") == UnitPath("SOF", ("Center X", "Team 1"))
    assert UnitPath.parse("SOF") == UnitPath.parse("SOF/") == UnitPath("SOF")
    assert paths.normalise("  Center X  /Team 1 /  Team 2 ") == "Center X  /Team 1 / Team 2"
    assert paths.normalise("") == ""


def test_ancestors_parent_and_prefix():
    unit = UnitPath.parse("SOF/A / B / C")
    assert [a.path for a in unit.ancestors()] == ["A", "A / B", "A / B / C"]
    assert unit.parent == UnitPath.parse("SOF/A / B") and UnitPath("SOF").parent is None
    assert UnitPath("SOF").ancestors() == [] and UnitPath("SOF").path == "" and str(UnitPath("SOF")) == "SOF"
    assert unit.descendant_prefix == "A / B / C / " and UnitPath("SOF").descendant_prefix == ""


def test_is_within():
    team = UnitPath.parse("SOF/Center X / Team 24/7")
    assert team.is_within(team) and team.is_within(UnitPath.parse("SOF/Center X")) and team.is_within(UnitPath("SOF"))
    assert not team.is_within(UnitPath.parse("SOF/Center X / Team 24"))  # a name prefix is not a parent
    assert not team.is_within(UnitPath.parse("BIF/Center X"))
    assert not UnitPath.parse("SOF/Center X").is_within(team)


@pytest.mark.parametrize("text", ["Center X / Team 1", "XYZ/Center X", "", 42])
def test_a_path_without_a_known_administration_is_refused_in_danish(text):
    with pytest.raises(UnitPathError, match="skal starte med forvaltningens kode, fx \"SOF/Center for Udsatte"):
        UnitPath.parse(text)


def test_parts_must_be_normalised():
    with pytest.raises(UnitPathError, match="tomt eller indeholder"):
        UnitPath("SOF", ("A / B",))
    with pytest.raises(UnitPathError):
        UnitPath("SOF", ("",))


def test_fits_the_database():
    assert paths.fits("A / " + "b" * 200) and not paths.fits("b" * 201)
    assert not paths.fits(" / ".join(["x" * 150] * 7))


def test_the_hr_file_uses_the_same_syntax():
    from klarret.org.hr_parse import parse_rows

    header = ["medarbejdernummer", "navn", "forvaltning", "enhed", "leder_for"]
    parsed = parse_rows([header, ["1", "A", "SOF", " Center X  /  Team 24/7 ", "Center X ;Center X /Team 24/7"],
                         ["2", "B", "SOF", "Center X / " + "y" * 201, ""]])
    assert parsed.rows[0].unit_path == "Center X / Team 24/7"
    assert parsed.rows[0].manages == ["Center X", "Center X /Team 24/7"]  # no spaces around: part of the name
    assert [str(e) for e in parsed.errors] == [
        "Række 3, kolonne 'enhed': enhedens sti er for lang (højst 200 tegn pr. enhed og 1000 i alt)."]


def test_only_paths_writes_the_separator():
    """The separator has one home: a new `" / "` literal elsewhere is a second, diverging parser."""
    root = Path(__file__).resolve().parents[2]
    files = [p for pkg in ("klarret", "search", "quizzes") for p in (root / pkg).rglob("*.py")
             if p != root / "klarret" / "org" / "paths.py"]
    found = [f"{p.relative_to(root)}:{n}" for p in files
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if '" / "' in line or "' / '" in line]
    assert found == []
