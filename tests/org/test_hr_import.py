"""The HR import: file variants, the snapshot rule, bad input (all or nothing), the CLI, speed helpers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.support.hr import HEADER, ROWS, count, do_import, employee, write


def test_semicolon_bom_both_date_forms_units_and_managers(db_app, tmp_path):
    from klarret.db import db
    from klarret.org.models import Employee, Unit, UnitManager
    from klarret.roles import Role

    with db_app.app_context():
        plan = do_import(write(tmp_path, [HEADER, *ROWS]))
        assert not plan.errors and len(plan.additions) == 4
        anna, bo = employee("000101"), employee("000102")
        assert anna.start_date == dt.date(2020, 3, 1) and bo.start_date == dt.date(2021, 6, 15)
        assert anna.unit.path == "Center for Udsatte Voksne / Team Nord" and anna.unit.administration_code == "SOF"
        assert anna.unit.parent.path == "Center for Udsatte Voksne" and anna.unit.parent.parent.path == ""
        deep = employee("000201").unit
        assert deep.path == "Jobcenter København / Ydelsesservice / Team 1" and deep.parent.parent.parent.path == ""
        managed = {u.path for u in db.session.scalars(
            select(Unit).join(UnitManager, UnitManager.unit_id == Unit.id).where(UnitManager.staff_no == "000103"))}
        assert managed == {"Center for Udsatte Voksne", "Center for Udsatte Voksne / Team Nord"}
        assert count(Employee) == 4 and anna.active and anna.roles == {Role.EMPLOYEE}


def test_comma_cp1252_full_administration_name_and_extra_columns(db_app, tmp_path):
    lines = ["Navn,Medarbejdernummer,Forvaltning,Enhed,Ekstra kolonne,Startdato",
             "Søren Ærø Ålund,7,Socialforvaltningen,Børn og Unge / Team Øst,ignoreres,31-12-2024"]
    with db_app.app_context():
        plan = do_import(write(tmp_path, lines, encoding="cp1252"))
        assert not plan.errors
        s = employee("7")
        assert s.name == "Søren Ærø Ålund" and s.unit.path == "Børn og Unge / Team Øst"
        assert s.unit.administration_code == "SOF" and s.start_date == dt.date(2024, 12, 31)


def test_utf16_tab_separated_text_as_excel_saves_unicode_text(db_app, tmp_path):
    from klarret.org.models import Employee

    with db_app.app_context():
        lines = [line.replace(";", "\t") for line in [HEADER, ROWS[0], ROWS[1], ROWS[3]]]  # ROWS[2] quotes a ';'
        plan = do_import(write(tmp_path, lines, "hr.txt", "utf-16"))
        assert not plan.errors, [str(e) for e in plan.errors]
        assert count(Employee) == 3 and employee("000101").job_title == "Socialrådgiver"


def test_xlsx_numbers_as_text_leading_zeros_and_dates(db_app, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Medarbejdernummer", "Navn", "Forvaltning", "Enhed", "Startdato"])
    sheet.append([12345, "Tal Uden Decimaler", "TMF", "Byggeri", dt.datetime(2022, 5, 1)])
    sheet.append(["000789", "Tekst Med Nuller", "TMF", "Byggeri", "01-05-2022"])
    sheet.append([42.0, "Formateret Tal", "TMF", "Byggeri", None])
    sheet.cell(row=4, column=1).number_format = "000000"
    book.save(tmp_path / "hr.xlsx")
    with db_app.app_context():
        plan = do_import(tmp_path / "hr.xlsx")
        assert not plan.errors, plan.errors
        assert {a.staff_no for a in plan.additions} == {"12345", "000789", "000042"}
        assert employee("12345").start_date == dt.date(2022, 5, 1)


def test_column_mapping_file(db_app, tmp_path):
    from klarret import settings

    mapping = tmp_path / "kolonner.toml"
    mapping.write_text('[kolonner]\nmedarbejdernummer = "Lønnr"\nnavn = "Fulde navn"\nforvaltning = "Forv"\n'
                       'enhed = ["Afdeling", "Org"]\n', encoding="utf-8")
    settings.override(db_app, {"KLARRET_STAFF_COLUMNS": mapping})
    with db_app.app_context():
        plan = do_import(write(tmp_path, ["LØNNR;Fulde navn;Forv;Org", "55;Mia Mapped;KFF;Biblioteker"]))
        assert not plan.errors and employee("55").unit.path == "Biblioteker"
        plan = do_import(write(tmp_path, ["medarbejdernummer;navn;forvaltning;enhed", "56;X;KFF;Y"], "b.csv"))
        assert any("'Lønnr'" in str(e) for e in plan.errors), "the mapped name is the one required"


def test_snapshot_deactivates_only_the_administrations_in_the_file(db_app, tmp_path):
    from klarret.org.models import Employee

    with db_app.app_context():
        do_import(write(tmp_path, [HEADER, *ROWS]))
        # The next SOF file lacks Bo; BIF is absent from the file and must be left alone.
        # One of SOF's three leaves: over the mass-change share, so the number is confirmed (test_hr_mass_change).
        plan = do_import(write(tmp_path, [HEADER, ROWS[0], ROWS[2]], "sof.csv"), today=dt.date(2026, 1, 10),
                         confirm=1)
        assert [(e.staff_no, e.reason) for e in plan.deactivations] == [("000102", "står ikke i HR-udtrækket")]
        assert plan.administrations == ["SOF"]
        bo = employee("000102")
        assert bo is not None and not bo.active and bo.end_date == dt.date(2026, 1, 10)
        assert employee("000201").active
        assert count(Employee) == 4, "leavers are deactivated, never deleted"


def test_passed_end_date_deactivates_and_a_future_one_does_not(db_app, tmp_path):
    today = dt.date.today()
    past, future = (today - dt.timedelta(days=1)).strftime("%d-%m-%Y"), (today + dt.timedelta(days=30)).isoformat()
    lines = [HEADER, ROWS[0], f"000104;Gået Før;g@kk.example;SOF;Team;Jurist;01-01-2010;{past};",
             f"000105;Går Snart;s@kk.example;SOF;Team;Jurist;01-01-2010;{future};"]
    with db_app.app_context():
        do_import(write(tmp_path, [HEADER, ROWS[0], lines[2].replace(past, ""), lines[3].replace(future, "")]))
        plan = do_import(write(tmp_path, lines, "b.csv"), confirm=1)  # one of three: over the mass-change share
        assert [(e.staff_no, e.reason) for e in plan.deactivations] == [("000104", "slutdatoen er passeret")]
        assert not employee("000104").active and employee("000105").active
        assert employee("000105").end_date == today + dt.timedelta(days=30)


def test_reimport_changes_nothing_and_changes_name_their_fields(db_app, tmp_path):
    with db_app.app_context():
        path = write(tmp_path, [HEADER, *ROWS])
        do_import(path)
        again = do_import(path)
        assert again.empty and not again.errors
        changed = [HEADER, ROWS[0].replace("Socialrådgiver", "Jurist"), *ROWS[1:]]
        plan = do_import(write(tmp_path, changed, "c.csv"), dry_run=True)
        assert [(c.staff_no, c.fields) for c in plan.changes] == [
            ("000101", {"job_title": ("Socialrådgiver", "Jurist")})]
        assert employee("000101").job_title == "Socialrådgiver", "a dry run writes nothing"


def test_two_people_swapping_email_addresses(db_app, tmp_path):
    with db_app.app_context():
        do_import(write(tmp_path, [HEADER, *ROWS]))
        swapped = [HEADER, ROWS[0].replace("anna@", "bo@"), ROWS[1].replace("bo@", "anna@"), *ROWS[2:]]
        plan = do_import(write(tmp_path, swapped, "s.csv"))
        assert not plan.errors and len(plan.changes) == 2
        assert employee("000101").email == "bo@kk.example" and employee("000102").email == "anna@kk.example"


BAD = {
    "unknown administration": ("000301;X;x@kk.example;SUFF;Team;;;;", "Række 6: ukendt forvaltning 'SUFF'"),
    "duplicated staff number": ("000101;Igen;igen@kk.example;SOF;Team;;;;",
                                "Række 6, kolonne 'medarbejdernummer': "
                                "medarbejdernummeret '000101' står også i række 2"),
    "impossible date": ("000301;X;x@kk.example;SOF;Team;;31-02-2025;;",
                        "Række 6, kolonne 'startdato': datoen '31-02-2025' findes ikke"),
    "not a date": ("000301;X;x@kk.example;SOF;Team;;i går;;", "Række 6, kolonne 'startdato': 'i går' er ikke en dato"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rows_are_all_reported_and_nothing_is_written(db_app, tmp_path, case):
    from klarret.audit import AuditEvent
    from klarret.org.models import Employee, Unit

    line, message = BAD[case]
    with db_app.app_context():
        units = count(Unit)
        # Valid rows first, a new unit among them: none of it may be written.
        plan = do_import(write(tmp_path, [HEADER, *ROWS, line, "000302;;y@kk.example;SOF;Ny enhed;;;;"]))
        texts = [str(e) for e in plan.errors]
        assert any(t.startswith(message) for t in texts), texts
        assert any(t.startswith("Række 7, kolonne 'navn'") for t in texts), "every error is reported, not the first"
        assert count(Employee) == 0 and count(Unit) == units and count(AuditEvent) == 0


@pytest.mark.parametrize("content, message", [
    (b"", "Filen er tom"),
    (b"medarbejdernummer;navn;forvaltning\n1;A;SOF\n", "Række 1: kolonnen 'enhed' mangler"),
    (f"{HEADER}\n".encode(), "Filen har overskrifter, men ingen medarbejdere"),
])
def test_empty_file_and_missing_column(db_app, tmp_path, content, message):
    from klarret.org.models import Employee

    (tmp_path / "hr.csv").write_bytes(content)
    with db_app.app_context():
        plan = do_import(tmp_path / "hr.csv")
        assert any(str(e).startswith(message) for e in plan.errors), [str(e) for e in plan.errors]
        assert count(Employee) == 0


def test_unclosed_quote_is_reported_instead_of_swallowing_the_next_rows(db_app, tmp_path):
    import csv

    from klarret.org.models import Employee

    # Without the check, rows 6-8 became part of row 5's leder_for and their people would be deactivated.
    lines = [HEADER, *ROWS, '000104;Dorte Holm;dorte@kk.example;SOF;Team;;;;"Team Nord',
             "000105;Erik Lund;erik@kk.example;SOF;Team;;;;", "000106;Fie Krogh;fie@kk.example;SOF;Team;;;;"]
    with db_app.app_context():
        plan = do_import(write(tmp_path, lines))
        assert len(plan.errors) == 1, [str(e) for e in plan.errors]
        assert str(plan.errors[0]).startswith("Række 6, kolonne 'leder_for': feltet fortsætter over flere linjer")
        old = csv.field_size_limit(100)  # the same quote in a large file: the csv module gives up on the field
        try:
            plan = do_import(write(tmp_path, lines))
        finally:
            csv.field_size_limit(old)
        assert len(plan.errors) == 1, [str(e) for e in plan.errors]
        assert str(plan.errors[0]).startswith("CSV-filen kan ikke læses: feltet, der begynder på linje 6, er for langt")
        assert count(Employee) == 0


def test_file_over_50_mb_is_refused_before_reading(db_app, tmp_path, monkeypatch):
    from klarret.org import hr_file

    path = tmp_path / "stor.csv"
    with path.open("wb") as fh:
        fh.write((HEADER + "\n").encode())
        fh.truncate(50 * 1024 * 1024 + 1)  # sparse: instant, and no disk used
    monkeypatch.setattr(hr_file, "_read_csv", lambda *a: pytest.fail("a file over 50 MB must not be read"))
    with db_app.app_context():
        plan = do_import(path)
        assert "højst indlæses 50 MB" in str(plan.errors[0]) and len(plan.errors) == 1


def test_failure_while_writing_rolls_everything_back(db_app, tmp_path, monkeypatch):
    from klarret.org import hr_import as staff_import
    from klarret.org.models import Employee, Unit

    def boom(*a, **kw):
        raise RuntimeError("disk full")

    with db_app.app_context():
        units = count(Unit)
        monkeypatch.setattr(staff_import, "insert_rows", boom)
        with pytest.raises(RuntimeError):
            do_import(write(tmp_path, [HEADER, *ROWS]))
        assert count(Employee) == 0 and count(Unit) == units, "units created before the failure are rolled back"


def test_cli_import_dry_run_errors_and_audit(db_app, tmp_path):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.org.models import Employee

    runner = db_app.test_cli_runner()
    good = write(tmp_path, [HEADER, *ROWS])
    r = runner.invoke(args=["staff", "import", str(good), "--dry-run"])
    assert r.exit_code == 0, r.output
    assert "nye: 4" in r.output and "intet er skrevet" in r.output
    with db_app.app_context():
        assert count(Employee) == 0 and count(AuditEvent) == 0
    r = runner.invoke(args=["staff", "import", str(good)])
    assert r.exit_code == 0 and "Importeret" in r.output
    bad = write(tmp_path, [HEADER, "1;A;a@kk.example;SUFF;X;;;;"], "bad.csv")
    r = runner.invoke(args=["staff", "import", str(bad)])
    assert r.exit_code != 0 and "Række 2: ukendt forvaltning 'SUFF'" in r.output and "Intet er ændret" in r.output
    with db_app.app_context():
        events = list(db.session.scalars(select(AuditEvent)))
        assert [(e.action, e.actor, e.target, e.details["added"]) for e in events] == [
            ("staff.import", "cli", "hr.csv", 4)]


def test_generated_hr_file_imports_cleanly(db_app, tmp_path):
    from klarret.demo.org import generate_hr_csv

    path = generate_hr_csv(tmp_path / "hr.csv", employees=900, units=70, seed=3)
    with db_app.app_context():
        plan = do_import(path)
        assert not plan.errors and len(plan.additions) == 900 and len(plan.new_units) >= 60
        assert plan.managers_added and do_import(path).empty


def test_damaged_xlsx_and_a_wrong_mapping_file_are_explained(db_app, tmp_path):
    from klarret import settings

    (tmp_path / "hr.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    mapping = tmp_path / "kolonner.toml"
    mapping.write_text('[kolonner]\nloennummer = "Lønnr"\n', encoding="utf-8")
    with db_app.app_context():
        plan = do_import(tmp_path / "hr.xlsx")
        assert len(plan.errors) == 1 and str(plan.errors[0]).startswith("Excel-filen kan ikke læses")
        settings.override(db_app, {"KLARRET_STAFF_COLUMNS": mapping})
        plan = do_import(write(tmp_path, [HEADER, *ROWS]))
        assert "'loennummer', som ikke er et felt" in str(plan.errors[0])


def test_xlsx_with_a_damaged_sheet_is_explained(db_app, tmp_path):
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    for line in [HEADER, *ROWS]:
        book.active.append(line.split(";"))
    book.save(tmp_path / "ok.xlsx")
    # The workbook opens, but its sheet stops half-way: read_only mode only finds out while reading rows.
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as src, zipfile.ZipFile(tmp_path / "hr.xlsx", "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    with db_app.app_context():
        plan = do_import(tmp_path / "hr.xlsx")
        assert len(plan.errors) == 1 and str(plan.errors[0]).startswith("Excel-filen kan ikke læses")
