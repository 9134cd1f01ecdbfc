"""Unit paths across features: a course rule names the unit the HR import created; `courses check --org`."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_app
from tests.support.status_org import write_courses

HEADER = "medarbejdernummer;navn;email;forvaltning;enhed;stilling;startdato;slutdato;leder_for"
ROWS = [
    "000301;Dorte Døgn;;SOF;Center X / Team 24/7;Socialpædagog;01-03-2020;;",
    "000302;Ebbe Dag;;SOF;Center X / Team 24;Socialpædagog;01-03-2020;;",
    "000303;Frida Anden;;BIF;Center X / Team 24/7;Jobkonsulent;01-03-2020;;",
]
TODAY = dt.date(2026, 6, 1)


def rule(unit: str) -> str:
    return f'title = "Døgnkursus"\n[[tildeling]]\nhvem = "enhed"\nenheder = ["{unit}"]\nfrist_dage = 10\n'


@pytest.fixture
def make(basic_build, database_url, tmp_path):
    """An app whose only course is assigned to ``unit``, with the HR file above imported."""
    from klarret.db import db
    from klarret.org.hr_import import run_import

    apps = []

    def make(unit: str):
        app = make_app(basic_build, database_url, tmp_path,
                       KLARRET_COURSES_DIR=write_courses(tmp_path / "courses", {"doegn": rule(unit)}))
        apps.append(app)
        hr = tmp_path / "hr.csv"
        hr.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
        with app.app_context():
            assert not run_import(hr, "test", today=TODAY).errors
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_course_rule_reaches_a_unit_with_a_slash_in_its_name(make):
    from klarret.db import db
    from klarret.org.models import Employee
    from quizzes.completion.status import status_rows

    app = make("SOF/Center X / Team 24/7")
    with app.app_context():
        assert db.session.get(Employee, "000301").unit.name == "Team 24/7"  # one unit, as in the HR file
        assigned = {r.staff_no for r in status_rows(course_id="doegn", today=TODAY)}
    assert assigned == {"000301"}  # not the neighbouring "Team 24", not the same name in BIF


def test_courses_check_org_names_a_rule_unit_the_organisation_lacks(make):
    app = make("SOF/Center X / Team 24 / 7")
    runner = app.test_cli_runner()
    plain = runner.invoke(args=["courses", "check"])
    assert plain.exit_code == 0, plain.output
    r = runner.invoke(args=["courses", "check", "--org"])
    assert r.exit_code == 1
    assert ("FEJL doegn.toml: enheder: enheden \"SOF/Center X / Team 24 / 7\" findes ikke i organisationen"
            in r.stderr)
    assert "Mente du \"SOF/Center X / Team 24/7\"?" in r.stderr


def test_courses_check_org_passes_when_every_unit_exists(make):
    r = make("SOF/Center X / Team 24/7").test_cli_runner().invoke(args=["courses", "check", "--org"])
    assert r.exit_code == 0 and r.stderr == "", r.output
    assert "doegn: 1 moduler" in r.stdout


def test_plain_courses_check_needs_no_database(basic_build, tmp_path):
    from klarret.app import create_app

    missing = tmp_path / "findes-ikke" / "klarret.db"  # a database that cannot even be created
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{missing}", "SECRET_KEY": "test",
                      "KLARRET_BUILD_DIR": basic_build, "KLARRET_HTML_DIR": basic_build / "html",
                      "KLARRET_INDEX_DIR": basic_build / "index",
                      "KLARRET_COURSES_DIR": write_courses(tmp_path / "courses", {"doegn": rule("SOF/Ingen")})})
    runner = app.test_cli_runner()
    r = runner.invoke(args=["courses", "check"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["courses", "check", "--org"])
    assert r.exit_code == 1 and "Databasen kan ikke læses" in r.output
