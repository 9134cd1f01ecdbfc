"""Issue 10, findings 6 and 7: hostile or damaged HR files are refused early, cheaply and in Danish."""

from __future__ import annotations

import pytest

from tests.org.hr_bombs import (
    MB,
    SHEET,
    STRINGS,
    TYPES,
    big_shared_string,
    many_rows,
    padded_sheet,
    read_in_subprocess,
    rebuild,
    sheet_of_strings,
    small_xlsx,
    strings_for,
    with_strings_type,
)
from tests.support.hr import HEADER, ROWS, count, do_import, write

MEMORY_MB = 100  # the finding's bound: peak memory of a refused file above the process's baseline


def test_a_200_mb_shared_string_in_a_200_kb_xlsx_is_refused_with_little_memory(tmp_path):
    bomb = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "bombe.xlsx", {STRINGS: big_shared_string(200 * MB),
                                                                                   TYPES: with_strings_type})
    assert bomb.stat().st_size < 1 * MB
    result = read_in_subprocess(bomb)
    assert result["message"] and "sharedStrings.xml fylder 200 MB (højst 24 MB)" in result["message"]
    assert "gem udtrækket som CSV" in result["message"]
    assert result["mb"] < MEMORY_MB, result


def test_a_sheet_that_inflates_to_300_mb_is_refused_with_little_memory(tmp_path):
    bomb = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "bombe.xlsx", {SHEET: padded_sheet(300 * MB)})
    result = read_in_subprocess(bomb)
    assert result["message"] and "sheet1.xml fylder 300 MB (højst 100 MB)" in result["message"]
    assert result["mb"] < MEMORY_MB, result


def test_a_part_compressed_far_beyond_any_spreadsheet_is_refused(tmp_path):
    from klarret.org.hr_parse import StaffFileError, read_staff_file

    bomb = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "bombe.xlsx", {SHEET: padded_sheet(60 * MB)})
    with pytest.raises(StaffFileError, match="pakker sig ud til 60 MB, over 100 gange"):
        read_staff_file(bomb)


def test_a_shared_string_longer_than_excel_allows_is_refused(tmp_path):
    from klarret.org.hr_parse import StaffFileError, read_staff_file

    path = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "lang.xlsx", {STRINGS: big_shared_string(40000),
                                                                                 TYPES: with_strings_type})
    with pytest.raises(StaffFileError, match="en tekst i filen er over 32.767 tegn"):
        read_staff_file(path)


def test_a_row_wider_than_excel_allows_is_refused(tmp_path):
    from klarret.org.hr_parse import StaffFileError, read_staff_file

    path = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "bred.xlsx", {SHEET: many_rows(2, cells=17000)})
    with pytest.raises(StaffFileError, match="række 1 har over 16.384 celler"):
        read_staff_file(path)


def test_850000_rows_in_a_csv_are_refused_by_the_row_cap_with_little_memory(tmp_path):
    path = tmp_path / "mange.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("medarbejdernummer;navn;forvaltning;enhed\n")
        fh.writelines(f"{i};N;SOF;\n" for i in range(850_000))
    assert path.stat().st_size > 7 * MB
    result = read_in_subprocess(path)
    assert result["message"] and result["message"].startswith("Filen har over 100.000 rækker; der kan højst "
                                                               "indlæses 100.000 medarbejdere")
    assert "KLARRET_STAFF_MAX_ROWS" in result["message"] and "Del udtrækket op pr. forvaltning" in result["message"]
    assert result["mb"] < MEMORY_MB, result


def test_850000_rows_in_an_xlsx_are_refused_by_the_row_cap_with_little_memory(tmp_path):
    path = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "mange.xlsx", {SHEET: many_rows(850_000)})
    result = read_in_subprocess(path)
    assert result["message"] and result["message"].startswith("Filen har over 100.000 rækker")
    assert result["mb"] < MEMORY_MB, result


def test_the_largest_xlsx_the_checks_let_through_is_refused_for_one_bad_row_with_little_memory(tmp_path):
    """At the row cap, with as many shared strings as allowed: the worst file that is parsed at all."""
    from klarret.org import xlsx

    rows = 100_000
    path = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "stor.xlsx",
                   {STRINGS: strings_for(rows), TYPES: with_strings_type, SHEET: sheet_of_strings(rows, 500)})
    assert xlsx.STRINGS_PER_ROW == 3, "strings_for writes three texts a row: the most the check lets through"
    result = read_in_subprocess(path)
    assert result["message"].startswith("Række 502: ukendt forvaltning '000000'")
    assert result["mb"] < MEMORY_MB, result


def test_more_shared_strings_than_the_rows_can_use_are_refused(tmp_path, monkeypatch):
    from klarret.org.hr_parse import StaffFileError, read_staff_file

    monkeypatch.setenv("KLARRET_STAFF_MAX_ROWS", "10")
    path = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "tekster.xlsx",
                   {STRINGS: strings_for(11), TYPES: with_strings_type})
    with pytest.raises(StaffFileError, match="Excel-filen har over 30 forskellige tekster"):
        read_staff_file(path)
    monkeypatch.setenv("KLARRET_STAFF_MAX_ROWS", "11")
    assert not read_staff_file(path).errors


def test_more_cells_than_can_be_read_in_time_are_refused(tmp_path, monkeypatch):
    """Every cell is parsed (~7 µs each): 15 a row of the cap is about 10 s, well within the worker's timeout."""
    from klarret.org.hr_parse import StaffFileError, read_staff_file

    monkeypatch.setenv("KLARRET_STAFF_MAX_ROWS", "10")
    path = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "celler.xlsx", {SHEET: many_rows(8, cells=19)})
    with pytest.raises(StaffFileError, match="Excel-filen har over 150 celler"):
        read_staff_file(path)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_row_cap_is_a_setting(db_app, tmp_path, kind):
    from klarret import settings
    from klarret.org.models import Employee

    settings.override(db_app, {"KLARRET_STAFF_MAX_ROWS": "3"})
    files = {n: (write(tmp_path, [HEADER, *ROWS[:n]], f"hr{n}.csv") if kind == "csv"
                 else small_xlsx(tmp_path / f"hr{n}.xlsx", rows=n)) for n in (3, 4)}
    with db_app.app_context():
        plan = do_import(files[4])
        assert [str(e) for e in plan.errors] == [
            "Filen har over 3 rækker; der kan højst indlæses 3 medarbejdere ad gangen (KLARRET_STAFF_MAX_ROWS). "
            "Del udtrækket op pr. forvaltning, og indlæs filerne én ad gangen."]
        assert count(Employee) == 0
        plan = do_import(files[3])
        assert not plan.errors and count(Employee) == 3


def test_cells_right_of_the_header_are_never_converted(db_app, tmp_path, monkeypatch):
    """A value in column XFD of every row made the old reader convert 16,384 cells a row (18 s for 1 MB)."""
    import openpyxl

    from klarret.org import xlsx_sheet

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["medarbejdernummer", "navn", "forvaltning", "enhed"])
    for i in range(1, 201):
        sheet.append([str(i), f"Person {i}", "SOF", "Team"])
        sheet.cell(row=i + 1, column=16384, value="x")
    book.save(tmp_path / "bred.xlsx")
    calls = 0
    convert = xlsx_sheet.cell_value

    def counting(*args):
        nonlocal calls
        calls += 1
        return convert(*args)

    monkeypatch.setattr(xlsx_sheet, "cell_value", counting)
    with db_app.app_context():
        plan = do_import(tmp_path / "bred.xlsx", dry_run=True)
        assert not plan.errors and len(plan.additions) == 200
    assert calls <= 201 * 4, calls


def test_utf8_with_one_invalid_byte_is_refused_naming_row_and_column(db_app, tmp_path):
    from klarret.org.models import Employee

    rows = [HEADER, *ROWS, "000301;Ørnulf Østergaard;oe@kk.example;SOF;Team Øst;;;;"]
    path = tmp_path / "hr.csv"
    raw = "\n".join(rows).encode("utf-8").replace(b"Bo Jensen", b"Bo J\xf8nsen") + b"\n"
    path.write_bytes(raw)
    with db_app.app_context():
        plan = do_import(path)
        (error,) = [str(e) for e in plan.errors]
        assert error.startswith("Række 3, kolonne 'navn': filen er gemt som UTF-8, men her står et tegn, som ikke "
                                "er gyldigt UTF-8 (byte 0xF8 i 'Bo J\ufffdnsen')"), error
        assert "gem filen som CSV UTF-8 igen" in error
        assert count(Employee) == 0


def test_windows_1252_is_still_read_when_no_utf8_character_occurs(db_app, tmp_path):
    from klarret.org.models import Employee

    path = write(tmp_path, [HEADER, "1;Søren Ærø;s@kk.example;SOF;Team Øst;;;;", "2;Bo;b@kk.example;SOF;Team;;;;"],
                 encoding="cp1252")
    with db_app.app_context():
        plan = do_import(path)
        assert not plan.errors and count(Employee) == 2
        assert {e.name for e in plan.additions} == {"Søren Ærø", "Bo"}


def test_a_csv_line_too_long_for_an_hr_row_is_refused(db_app, tmp_path):
    path = tmp_path / "lang.csv"
    path.write_text(HEADER + "\n" + ";" * 200_000 + "\n", encoding="utf-8")
    with db_app.app_context():
        (error,) = do_import(path).errors
        assert "en linje er over 65.536 tegn lang" in str(error)


def test_a_damaged_utf16_file_is_refused(db_app, tmp_path):
    path = tmp_path / "hr.txt"
    path.write_bytes("\n".join([HEADER, *ROWS]).replace(";", "\t").encode("utf-16") + b"\x00\xd8" + b"a\x00")
    with db_app.app_context():
        (error,) = do_import(path).errors
        assert str(error).startswith("Filen er beskadiget: den indeholder tegn, som ikke kan læses.")


def _truncated(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def _garbled_sheet(path):
    import zipfile

    data = path.read_bytes()
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(SHEET)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2  # corrupt the deflate stream itself
    path.write_bytes(data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 20]) + data[middle + 20:])


def _no_sheet_xml(path):
    rebuild(small_xlsx(path.with_name("b.xlsx")), path, {SHEET: lambda _o, out: out.write(b"<worksheet><sheetData>")})


@pytest.mark.parametrize("damage", [_truncated, _garbled_sheet, _no_sheet_xml])
def test_a_damaged_xlsx_gives_a_danish_message_never_a_crash(tmp_path, damage):
    from klarret.org.hr_parse import StaffFileError, read_staff_file

    path = small_xlsx(tmp_path / "hr.xlsx", rows=2000)
    damage(path)
    with pytest.raises(StaffFileError, match="Excel-filen kan ikke læses") as caught:
        read_staff_file(path)
    assert "Gem den igen som .xlsx" in str(caught.value)
