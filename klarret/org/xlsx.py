"""The first sheet of an XLSX file as rows of values, after checking that it cannot exhaust memory or time.

An XLSX file is a zip of XML parts: a 200 KB file can inflate to gigabytes. Before openpyxl parses
anything, the zip's declared sizes and compression ratios are checked (zipfile enforces the declared
size while inflating), then the shared strings and the sheet are scanned with expat, which keeps no tree,
for strings longer than Excel allows, rows wider than Excel allows and more rows than the row cap.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.parsers import expat

MB = 1024 * 1024
MAX_PART = 100 * MB  # one sheet's XML: ~400 bytes a row, so 100,000 rows of 9 columns fit four times over
MAX_STRINGS_PART = 24 * MB  # sharedStrings.xml is parsed whole by openpyxl: its size bounds the memory
MAX_TOTAL = 150 * MB
MAX_RATIO = 100  # real sheets compress 5-30 times; a bomb compresses a thousand times
RATIO_FROM = 1 * MB  # small parts (styles, a sheet of ten rows) may compress as well as they like
STRINGS_PER_ROW = 3  # 300,000 distinct texts at the default cap: a 45,000-row file may bring 6 a row
CELLS_PER_ROW = 15  # 1,500,000 cells at the default cap (about 10 s to read); 33 columns for 45,000 rows
MAX_CELL_TEXT = 32767  # Excel's own limit for the text of a cell
MAX_COLUMNS = 16384  # Excel's own limit (column XFD)
CHUNK = 1 << 16


class XlsxLimitError(Exception):
    """The file breaks a limit; the message is Danish."""


def thousands(n: int) -> str:
    """A whole number as Danes write it: 100.000."""
    return f"{n:,}".replace(",", ".")


def _damaged(reason: str) -> XlsxLimitError:
    return XlsxLimitError(f"Excel-filen kan ikke læses: {reason}. Gem den igen som .xlsx fra Excel, eller gem "
                          "udtrækket som CSV.")


def check_archive(path: Path) -> None:
    """Refuse a zip whose parts would inflate past the limits (no part is inflated here)."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _damaged(f"filen er ikke en gyldig zip-fil ({exc.__class__.__name__})") from None
    total = 0
    for info in infos:
        limit = MAX_STRINGS_PART if info.filename.lower().endswith("sharedstrings.xml") else MAX_PART
        total += info.file_size
        if info.file_size > limit:
            raise XlsxLimitError(f"Excel-filen er for stor udpakket: delen {info.filename[:80]} fylder "
                                 f"{info.file_size / MB:.0f} MB (højst {limit // MB} MB). Slet kolonner, som "
                                 "importen ikke bruger, eller gem udtrækket som CSV, og indlæs det igen.")
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _damaged(f"delen {info.filename[:80]} pakker sig ud til {info.file_size / MB:.0f} MB, over "
                           f"{MAX_RATIO} gange sin størrelse i filen, hvilket et regneark ikke gør")
    if total > MAX_TOTAL:
        raise XlsxLimitError(f"Excel-filen fylder {total / MB:.0f} MB udpakket (højst {MAX_TOTAL // MB} MB). "
                             "Slet kolonner og ark, som importen ikke bruger, eller gem udtrækket som CSV.")


def _scan(archive: zipfile.ZipFile, name: str, start: Callable, end: Callable, text: Callable | None) -> None:
    """Feed one part to expat chunk by chunk (no tree is kept)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    if text is not None:
        parser.CharacterDataHandler = text
    try:
        with archive.open(name) as fh:
            while chunk := fh.read(CHUNK):
                parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except XlsxLimitError:
        raise
    except Exception as exc:  # expat, zlib, zipfile (CRC, a missing part) and the OS raise many types
        raise _damaged(f"delen {name[:80]} er beskadiget ({exc.__class__.__name__})") from None


def check_strings(archive: zipfile.ZipFile, name: str, max_rows: int) -> None:
    """Refuse a shared string longer than Excel allows in a cell, or more strings than the rows can use."""
    length = count = 0
    most = STRINGS_PER_ROW * max_rows  # openpyxl keeps every string (~150 bytes each while it reads them)

    def start(tag: str, _attrs: dict) -> None:
        nonlocal length, count
        if tag.endswith(" si"):
            length, count = 0, count + 1
            if count > most:
                raise XlsxLimitError(f"Excel-filen har over {thousands(most)} forskellige tekster. Slet kolonner, "
                                     "som importen ikke bruger, eller gem udtrækket som CSV, og indlæs det igen.")

    def text(data: str) -> None:
        nonlocal length
        length += len(data)
        if length > MAX_CELL_TEXT:
            raise _damaged(f"en tekst i filen er over {thousands(MAX_CELL_TEXT)} tegn, mere end Excel tillader "
                           "i en celle")

    _scan(archive, name, start, lambda _tag: None, text)


def check_sheet(archive: zipfile.ZipFile, name: str, max_rows: int) -> None:
    """Refuse a sheet with rows wider than Excel allows, more rows than the row cap, or too many cells to read."""
    rows = cells = total = 0
    most = CELLS_PER_ROW * max_rows  # every cell is parsed (~7 µs each on two shared cores)

    def start(tag: str, _attrs: dict) -> None:
        nonlocal rows, cells, total
        if tag.endswith(" c"):
            cells, total = cells + 1, total + 1
            if total > most:
                raise XlsxLimitError(f"Excel-filen har over {thousands(most)} celler; så mange kan ikke læses, "
                                     "før siden giver op. Slet kolonner, som importen ikke bruger, eller gem "
                                     "udtrækket som CSV, og indlæs det igen.")
            if cells > MAX_COLUMNS:
                raise _damaged(f"række {rows} har over {thousands(MAX_COLUMNS)} celler")
        elif tag.endswith(" row"):
            rows, cells = rows + 1, 0
            if rows > max_rows + 1:  # the header is a row too
                raise too_many_rows(max_rows)

    _scan(archive, name, start, lambda _tag: None, None)


def too_many_rows(max_rows: int) -> XlsxLimitError:
    """The row cap's message (CSV and XLSX)."""
    cap = thousands(max_rows)
    return XlsxLimitError(f"Filen har over {cap} rækker; der kan højst indlæses {cap} medarbejdere ad gangen "
                          "(KLARRET_STAFF_MAX_ROWS). Del udtrækket op pr. forvaltning, og indlæs filerne én ad gangen.")


def read_rows(path: Path, max_rows: int, on_error: Callable[[Exception], Exception]) -> Iterator[list]:
    """The first sheet's rows as lists of values (header first), checked before anything is parsed."""
    import openpyxl

    from klarret.org import xlsx_sheet  # openpyxl is imported only when an XLSX file is read

    check_archive(path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.lower().endswith("sharedstrings.xml"):
                check_strings(archive, name, max_rows)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise on_error(exc) from None
    try:
        sheet = book.worksheets[0]
        check_sheet(book._archive, sheet._worksheet_path, max_rows)
    except Exception as exc:  # IndexError: no worksheet (a workbook of charts only)
        book.close()
        raise exc if isinstance(exc, XlsxLimitError) else on_error(exc) from None

    def read() -> Iterator[list]:
        try:
            yield from xlsx_sheet.rows(book._archive, sheet._worksheet_path,
                                       xlsx_sheet.Book(book, sheet._shared_strings), MAX_COLUMNS)
        except Exception as exc:  # a damaged sheet fails only while it is read
            raise on_error(exc) from None
        finally:
            book.close()

    return read()

