"""Hostile HR files built on the fly (nothing large is committed): zip bombs, huge row counts, wide rows."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def small_xlsx(path: Path, rows: int = 3) -> Path:
    """A real workbook (openpyxl writes shared strings) with a header and ``rows`` people."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["medarbejdernummer", "navn", "forvaltning", "enhed"])
    for i in range(rows):
        sheet.append([f"{i + 1:06d}", f"Person {i + 1}", "SOF", "Team Nord"])
    book.save(path)
    return path


def rebuild(src: Path, dst: Path, parts: dict[str, Callable[[bytes, IO[bytes]], None]]) -> Path:
    """Copy an XLSX, writing the named parts with ``write(original, out)`` (streamed: the zip stays small)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename in parts:
                with zout.open(info.filename, "w", force_zip64=True) as out:
                    parts[info.filename](data, out)
            else:
                zout.writestr(info, data)
        for name in set(parts) - set(zin.namelist()):  # a part the base lacks (openpyxl writes inline strings)
            with zout.open(name, "w", force_zip64=True) as out:
                parts[name](b"", out)
    return dst


def repeat(out: IO[bytes], piece: bytes, total: int) -> None:
    """Write ``piece`` over and over, ``total`` bytes in all, a megabyte at a time."""
    block = piece * max(1, MB // len(piece))
    written = 0
    while written < total:
        chunk = block[:total - written]
        out.write(chunk)
        written += len(chunk)


def big_shared_string(size: int) -> Callable[[bytes, IO[bytes]], None]:
    """sharedStrings.xml with one extra string of ``size`` characters (the 200 KB file of the finding)."""
    def write(original: bytes, out: IO[bytes]) -> None:
        original = original or b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></sst>'
        head, tail = original.rsplit(b"</sst>", 1)
        out.write(head + b"<si><t>")
        repeat(out, b"A", size)
        out.write(b"</t></si></sst>" + tail)
    return write


def with_strings_type(original: bytes, out: IO[bytes]) -> None:
    """[Content_Types].xml that names a sharedStrings.xml part (so openpyxl reads it)."""
    out.write(original.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                               b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))


def padded_sheet(size: int) -> Callable[[bytes, IO[bytes]], None]:
    """The sheet with ``size`` bytes of white space inside sheetData (valid XML, compresses ~1000 times)."""
    def write(original: bytes, out: IO[bytes]) -> None:
        head, tail = original.split(b"<sheetData>", 1)
        out.write(head + b"<sheetData>")
        repeat(out, b" ", size)
        out.write(tail)
    return write


def many_rows(count: int, cells: int = 1) -> Callable[[bytes, IO[bytes]], None]:
    """A sheet of ``count`` rows of ``cells`` inline-string cells each."""
    def write(original: bytes, out: IO[bytes]) -> None:
        head, tail = original.split(b"<sheetData>", 1)
        out.write(head + b"<sheetData>")
        batch = []
        for r in range(1, count + 1):
            row = "".join(f'<c t="inlineStr"><is><t>{r}.{j}</t></is></c>' for j in range(cells))
            batch.append(f'<row r="{r}">{row}</row>')
            if len(batch) == 10000:
                out.write("".join(batch).encode())
                batch = []
        out.write("".join(batch).encode())
        out.write(b"</sheetData>" + tail.split(b"</sheetData>", 1)[1])
    return write


def strings_for(rows: int) -> Callable[[bytes, IO[bytes]], None]:
    """sharedStrings.xml with three distinct texts a row (staff number, name, administration)."""
    def write(_original: bytes, out: IO[bytes]) -> None:
        out.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        for r in range(rows):
            out.write(f"<si><t>{r:06d}</t></si><si><t>Person Personsen {r}</t></si><si><t>SOF</t></si>".encode())
        out.write(b"</sst>")
    return write


def sheet_of_strings(rows: int, bad_row: int) -> Callable[[bytes, IO[bytes]], None]:
    """A sheet of ``rows`` people using ``strings_for(rows)``; ``bad_row`` has an unknown administration."""
    def write(original: bytes, out: IO[bytes]) -> None:
        head, tail = original.split(b"<sheetData>", 1)
        out.write(head + b'<sheetData><row r="1">' + b"".join(
            f'<c t="inlineStr"><is><t>{h}</t></is></c>'.encode()
            for h in ("medarbejdernummer", "navn", "forvaltning", "enhed")) + b"</row>")
        for r in range(rows):
            i = 3 * r
            admin = 0 if r == bad_row else i + 2
            out.write(f'<row r="{r + 2}"><c t="s"><v>{i}</v></c><c t="s"><v>{i + 1}</v></c><c t="s"><v>{admin}</v>'
                      f'</c><c t="inlineStr"><is><t>Center {r % 97} / Team {r}</t></is></c></row>'.encode())
        out.write(b"</sheetData>" + tail.split(b"</sheetData>", 1)[1])
    return write


SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
TYPES = "[Content_Types].xml"

PEAK = """
import json, resource, sys
import openpyxl, openpyxl.reader.excel  # the readers' own code belongs to the baseline
from klarret.org.hr_parse import StaffFileError, read_staff_file
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    parsed = read_staff_file(sys.argv[1])
    message = "; ".join(str(e) for e in parsed.errors) or None
except StaffFileError as exc:
    message = str(exc)
print(json.dumps({"message": message, "mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024}))
"""


def read_in_subprocess(path: Path, **env: str) -> dict:
    """Read the file in a fresh Python; the message (or None) and the peak memory above the baseline in MB."""
    import os

    environ = {**os.environ, **env}
    done = subprocess.run([sys.executable, "-c", PEAK, str(path)], cwd=ROOT, env=environ, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
