"""A streaming XLSX writer for one plain table: the sheet's XML is written row by row into the zip.

Why not a library: the exports must cost at most 3x the CSV of the same rows (bench/report.py), and
XlsxWriter in constant-memory mode (the fastest we measured) spends ~130 µs a row on its per-cell
bookkeeping, 3.3x the CSV at 33,000 rows. Here a row is one formatted string. The workbook has what the
managers asked for: a bold, frozen, filterable header row, column widths, real dates (Excel day numbers
with a dd-mm-yyyy format) and every text as an inline string cell, so text that starts with "=" is
shown as written and never run as a formula.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import IO

EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its 29 February 1900)
ROWS_PER_WRITE = 500
# Characters XML 1.0 does not allow (an HR name could carry one); tab, newline and return are allowed.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>')
# Cell styles: 0 plain, 1 date (dd-mm-yyyy), 2 the header (bold, a line below).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd-mm-yyyy"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '</fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value).translate(_ESCAPE)


def _column(i: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA"."""
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: object) -> str:
    if type(value) is str:  # the common case first: this runs for every cell of up to 75,000 rows
        return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'
    if value is None:
        return ""
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return f'<c r="{ref}" s="1"><v>{(day - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(str(value))}</t></is></c>'


def write_table(target: str | IO[bytes], sheet: str, headers: Sequence[str], widths: Sequence[float],
                rows: Iterable[Sequence[object]]) -> int:
    """Write one sheet (header row, then ``rows`` of str, int, date or None) to ``target``; return the row count."""
    letters = [_column(i) for i in range(len(headers))]
    last = letters[-1]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        n = 0
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
            header = "".join(f'<c r="{c}1" s="2" t="inlineStr"><is><t>{_text(h)}</t></is></c>'
                             for c, h in zip(letters, headers, strict=True))
            f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                     '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                     'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
                     f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
                     f'<row r="1">{header}</row>').encode())
            buf: list[str] = []
            for n, row in enumerate(rows, 2):
                cells = "".join(_cell(f"{c}{n}", v) for c, v in zip(letters, row, strict=True))
                buf.append(f'<row r="{n}">{cells}</row>')
                if len(buf) >= ROWS_PER_WRITE:
                    f.write("".join(buf).encode("utf-8"))
                    buf.clear()
            f.write("".join(buf).encode("utf-8"))
            end = max(n, 2)
            f.write(f'</sheetData><autoFilter ref="A1:{last}{end}"/></worksheet>'.encode())
        quoted = "'" + sheet.replace("'", "''") + "'"  # the sheet as a formula reference
        z.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{_text(sheet)}" sheetId="1" r:id="rId1"/></sheets><definedNames>'
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
            f"{_text(quoted)}!$A$1:${last}${end}</definedName></definedNames></workbook>"))
    return max(n - 1, 0)
