"""Opening an HR file as a table of cells: its size, its type and encoding, and the row cap, all checked first.

Every check streams the file, so a refused file costs little memory: CSV is decoded and parsed line by
line (never read whole), XLSX is checked by ``klarret.org.xlsx`` before openpyxl parses it.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from klarret.org import xlsx

MAX_BYTES = 50 * 1024 * 1024
MAX_LINE = 64 * 1024  # characters in one line of a CSV file; an HR row of 50 columns is under 2,000
CHUNK = 1 << 20
_INVALID = re.compile("[\udc80-\udcff]")  # undecodable bytes, kept by errors="surrogateescape"
_MULTIBYTE = re.compile("[^\x00-\x7f\udc80-\udcff]")  # a character UTF-8 wrote with several bytes


class StaffFileError(Exception):
    """The file as a whole cannot be read (too large, empty, wrong type); the message is Danish."""


def read_table(path: Path, max_rows: int) -> Iterator[list]:
    """The file's rows as lists of cells (header first): XLSX by its signature, otherwise CSV."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise StaffFileError(f"Filen er {size / 1024 / 1024:.0f} MB; der kan højst indlæses 50 MB. Del filen op "
                             "pr. forvaltning (hver fil er et fuldt udtræk af de forvaltninger, den indeholder).")
    if size == 0:
        raise StaffFileError("Filen er tom. Vælg udtrækket fra HR-systemet igen.")
    with path.open("rb") as fh:
        head = fh.read(4)
    if head == b"PK\x03\x04":
        try:
            return xlsx.read_rows(path, max_rows, _damaged_xlsx)
        except xlsx.XlsxLimitError as exc:
            raise StaffFileError(str(exc)) from None
    return _read_csv(path, max_rows)


def _damaged_xlsx(exc: Exception) -> StaffFileError:
    if isinstance(exc, xlsx.XlsxLimitError):
        return StaffFileError(str(exc))
    return StaffFileError(f"Excel-filen kan ikke læses ({exc.__class__.__name__}). Gem den igen som .xlsx "
                          "eller som CSV.")


def encoding_of(path: Path) -> str:
    """UTF-16 by its byte order mark; UTF-8 if every byte decodes; Windows-1252 only if no UTF-8 character occurs.

    A UTF-8 file with a stray invalid byte is "mixed": read as Windows-1252 as a whole it would rename
    everyone with an æ, ø or å, so it is refused instead (``_refuse_mixed`` names the row and column).
    """
    with path.open("rb") as fh:
        if fh.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            return "utf-16"  # Excel's "Unicode-tekst (.txt)"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="surrogateescape")
        invalid = multibyte = False
        while True:
            chunk = fh.read(CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            invalid = invalid or bool(_INVALID.search(text))
            multibyte = multibyte or bool(_MULTIBYTE.search(text))
            if not chunk:
                break
    if not invalid:
        return "utf-8-sig"
    # Danish Excel saves "CSV (semikolonsepareret)" as Windows-1252.
    return "mixed" if multibyte else "cp1252"


def _lines(fh: IO[str]) -> Iterator[str]:
    """The file's lines, refusing one so long that it is no HR row (it would fill the memory)."""
    while line := fh.readline(MAX_LINE + 1):
        if len(line) > MAX_LINE and not line.endswith("\n"):
            raise StaffFileError(f"CSV-filen kan ikke læses: en linje er over {xlsx.thousands(MAX_LINE)} tegn lang. "
                                 "Kontrollér, at filen er et HR-udtræk gemt som CSV, og indlæs den igen.")
        yield line


def _records(path: Path, encoding: str, errors: str = "strict") -> Iterator[list]:
    with path.open("r", encoding=encoding, errors=errors, newline="") as fh:
        done = 0  # lines read by the complete rows so far: the broken row starts on the next one
        try:
            first = fh.readline(MAX_LINE)
            delimiter = max(";,\t", key=first.count)
            fh.seek(0)
            reader = csv.reader(_lines(fh), delimiter=delimiter)
            for row in reader:
                done = reader.line_num
                yield row
        except csv.Error:  # a field over the csv module's limit: an unclosed quote swallowed the rest
            raise StaffFileError(f"CSV-filen kan ikke læses: feltet, der begynder på linje {done + 1}, er for "
                                 "langt. Oftest mangler et anførselstegn (\") sin afslutning. Ret linjen i "
                                 "udtrækket, og indlæs filen igen.") from None
        except UnicodeDecodeError:  # UTF-16 with a broken pair, or a file changed between two readings
            raise StaffFileError("Filen er beskadiget: den indeholder tegn, som ikke kan læses. Gem udtrækket "
                                 "igen, og indlæs det.") from None


def _refuse_mixed(path: Path) -> None:
    """Name the row and column of the first byte that is not UTF-8 in an otherwise UTF-8 file."""
    header: list = []
    for rownum, row in enumerate(_records(path, "utf-8-sig", "surrogateescape"), start=1):
        header = header or row
        for i, cell in enumerate(row):
            if m := _INVALID.search(cell):
                column = header[i].strip() if i < len(header) and rownum > 1 else f"nr. {i + 1}"
                shown = _INVALID.sub("\ufffd", cell)[:80]
                raise StaffFileError(
                    f"Række {rownum}, kolonne '{column}': filen er gemt som UTF-8, men her står et tegn, som ikke "
                    f"er gyldigt UTF-8 (byte 0x{ord(m.group()) - 0xDC00:02X} i '{shown}'). Ret tegnet i "
                    "udtrækket, gem filen som CSV UTF-8 igen, og indlæs den. Filen læses ikke som Windows-1252, "
                    "for så ville alle navne med æ, ø og å blive ændret.")
    raise StaffFileError("Filen er gemt som UTF-8, men indeholder tegn, som ikke er gyldigt UTF-8. Gem den som "
                         "CSV UTF-8 igen, og indlæs den.")


def _read_csv(path: Path, max_rows: int) -> Iterator[list]:
    encoding = encoding_of(path)
    if encoding == "mixed":
        _refuse_mixed(path)
    errors = "replace" if encoding == "cp1252" else "strict"  # five bytes have no Windows-1252 character
    # Count the rows first (nothing is kept), so a file over the cap is refused before any row is built.
    for n, _row in enumerate(_records(path, encoding, errors), start=1):
        if n > max_rows + 1:  # the header is a row too
            raise StaffFileError(str(xlsx.too_many_rows(max_rows)))
    return _records(path, encoding, errors)
