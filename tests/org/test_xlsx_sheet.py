"""The expat sheet reader gives the values openpyxl's own row reader gave (what the HR import read before)."""

from __future__ import annotations

import datetime as dt

import pytest


def openpyxl_values(path) -> list[list]:
    """The rows as the import read them with openpyxl's read-only cells (the reader before issue 10)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = book.worksheets[0]
    sheet.reset_dimensions()
    out = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            value = getattr(cell, "value", None)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if isinstance(value, int) and not isinstance(value, bool):
                fmt = getattr(cell, "number_format", "") or ""
                value = str(value).zfill(len(fmt)) if fmt and set(fmt) == {"0"} else str(value)
            values.append(value)
        while values and values[-1] is None:
            values.pop()
        out.append(values)
    book.close()
    return out


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_every_kind_of_cell_reads_as_openpyxl_read_it(tmp_path, epoch_1904):
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from klarret.org import xlsx

    book = openpyxl.Workbook()
    if epoch_1904:
        book.epoch = openpyxl.utils.datetime.MAC_EPOCH
    sheet = book.active
    sheet.append(["medarbejdernummer", "navn", "forvaltning", "enhed", "startdato", "slutdato", "tal", "sand"])
    sheet.append([12345, "Søren Ørsted", "SOF", "Team Øst", dt.datetime(2022, 5, 1), dt.date(2030, 1, 31), 2.5, True])
    sheet.append([42.0, CellRichText([TextBlock(InlineFont(b=True), "Fed"), " Tekst"]), "SOF", "", None, None, -3,
                  False])
    sheet.cell(row=3, column=1).number_format = "000000"
    sheet.cell(row=2, column=5).number_format = "dd-mm-yyyy"
    sheet.cell(row=2, column=6).number_format = "yyyy/mm/dd"
    sheet.append([])
    sheet.append(["7", "=1+1", "SOF", "Team", "01-02-2020", "", 1e20, None])
    sheet.cell(row=6, column=30, value="langt ude til højre")
    book.save(tmp_path / "hr.xlsx")
    ours = [row for row in xlsx.read_rows(tmp_path / "hr.xlsx", 100, lambda exc: exc)]
    theirs = openpyxl_values(tmp_path / "hr.xlsx")
    assert ours[:5] == theirs[:5]
    assert ours[1][:6] == ["12345", "Søren Ørsted", "SOF", "Team Øst", dt.datetime(2022, 5, 1),
                           dt.datetime(2030, 1, 31)]
    assert ours[2][:2] == ["000042", "Fed Tekst"] and ours[3] == []
    assert ours[5] == [], "a cell right of the header is not read"
