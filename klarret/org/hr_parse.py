"""Reading an HR file (CSV or XLSX) into validated rows; every problem is named by row and column."""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from klarret import settings
from klarret.dates import short_date
from klarret.org import paths as unit_paths
from klarret.org.hr_file import MAX_BYTES, StaffFileError, read_table  # noqa: F401 (the file's limits live there)
from klarret.org.models import ADMINISTRATIONS, admin_code

COLUMNS = ("medarbejdernummer", "navn", "email", "forvaltning", "enhed", "stilling", "startdato", "slutdato",
           "leder_for")
REQUIRED = ("medarbejdernummer", "navn", "forvaltning", "enhed")
_DMY = re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class RowError:
    """One problem, in Danish, with the spreadsheet row (the header is row 1) and column."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if not self.row and not self.column:
            return self.message[:1].upper() + self.message[1:]
        where = f"Række {self.row}" if self.row else "Filen"
        if self.column:
            where += f", kolonne '{self.column}'"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class StaffRow:
    """One employee as the HR file describes them."""

    row: int
    staff_no: str
    name: str
    email: str | None
    administration: str
    unit_path: str
    job_title: str
    start_date: dt.date | None
    end_date: dt.date | None
    manages: list[str] = field(default_factory=list)


@dataclass
class ParsedFile:
    rows: list[StaffRow]
    errors: list[RowError]
    present: set[str]  # which of COLUMNS the file has (absent optional columns leave fields untouched)
    administrations: set[str]


def column_mapping(path: str | os.PathLike | None = None) -> dict[str, list[str]]:
    """Field -> accepted header names, from the TOML file in KLARRET_STAFF_COLUMNS (``[kolonner]``)."""
    mapping = {c: [c] for c in COLUMNS}
    path = path or settings.current().staff_columns
    if not path:
        return mapping
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise StaffFileError(f"Kolonneopsætningen {path} kan ikke læses: {exc}. Ret filen eller "
                             "KLARRET_STAFF_COLUMNS.") from None
    for key, names in data.get("kolonner", {}).items():
        if key not in mapping:
            raise StaffFileError(f"Kolonneopsætningen {path} nævner '{key}', som ikke er et felt. "
                                 f"Brug: {', '.join(COLUMNS)}.")
        mapping[key] = [names] if isinstance(names, str) else [str(n) for n in names]
    return mapping


def _text(value: object) -> str:
    if type(value) is str:  # the common case first: 45,000 rows × 9 cells
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return short_date(value)
    return str(value).strip()


def parse_date(value: object) -> dt.date | None:
    """A date from dd-mm-yyyy (also . or /), ISO, or an Excel date; None if empty; ValueError if wrong."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if m := _DMY.match(text):
        d, mo, y = (int(x) for x in m.groups())
    elif m := _ISO.match(text):
        y, mo, d = (int(x) for x in m.groups())
    else:
        raise ValueError(f"'{text}' er ikke en dato. Skriv den som dd-mm-åååå (fx 01-03-2025) eller åååå-mm-dd.")
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"datoen '{text}' findes ikke. Ret den i HR-udtrækket.") from None


def _header_index(header: list, mapping: dict[str, list[str]], errors: list[RowError]) -> dict[str, int]:
    names = {_text(h).casefold(): i for i, h in reversed(list(enumerate(header)))}
    found: dict[str, int] = {}
    for key, accepted in mapping.items():
        idx = next((names[a.casefold()] for a in accepted if a.casefold() in names), None)
        if idx is not None:
            found[key] = idx
        elif key in REQUIRED:
            label = accepted[0] if accepted[0] == key else f"{accepted[0]}' ('{key}"
            present = ", ".join(_text(h) for h in header if _text(h)) or "ingen"
            errors.append(RowError(1, None, f"kolonnen '{label}' mangler. Overskrifterne skal stå i første række; "
                                            f"filen har: {present}."))
    return found


def parse_rows(table: Iterable[list], mapping: dict[str, list[str]] | None = None,
               progress: Callable[[str], None] | None = None) -> ParsedFile:
    """Validate every row; all errors are collected (nothing is written by this module)."""
    mapping = mapping or column_mapping()
    errors: list[RowError] = []
    it = iter(table)
    header = next((r for r in it if any(_text(c) for c in r)), None)
    if header is None:
        raise StaffFileError("Filen indeholder ingen rækker. Vælg udtrækket fra HR-systemet igen.")
    idx = _header_index(header, mapping, errors)
    if errors:
        return ParsedFile([], errors, set(idx), set())
    label = {k: mapping[k][0] for k in idx}
    rows: list[StaffRow] = []
    seen: dict[str, int] = {}
    emails: dict[str, int] = {}
    dates: dict[str, dt.date | None] = {}
    for rownum, raw in enumerate(it, start=2):
        n = len(raw)
        cells = {k: (_text(raw[i]) if i < n else "") for k, i in idx.items()}
        if not any(cells.values()):
            continue
        err = lambda col, msg, row=rownum: errors.append(RowError(row, label.get(col, col), msg))  # noqa: E731
        # A line break inside a cell is, in an HR extract, an unclosed quote that swallowed the next rows.
        if broken := next((k for k, v in cells.items() if "\n" in v or "\r" in v), None):
            err(broken, "feltet fortsætter over flere linjer. Oftest mangler et anførselstegn (\") sin afslutning, "
                        "så de følgende rækker er læst ind i feltet. Ret feltet, og indlæs filen igen.")
        staff_no, name = cells["medarbejdernummer"], cells["navn"]
        if not staff_no:
            err("medarbejdernummer", "medarbejdernummeret mangler.")
        elif len(staff_no) > 32:
            err("medarbejdernummer", f"'{staff_no[:40]}' er for langt (højst 32 tegn).")
        elif staff_no in seen:
            err("medarbejdernummer", f"medarbejdernummeret '{staff_no}' står også i række {seen[staff_no]}. "
                                     "Hver medarbejder må kun stå én gang.")
        else:
            seen[staff_no] = rownum
        if not name:
            err("navn", "navnet mangler.")
        admin_text = cells["forvaltning"]
        admin = admin_code(admin_text)
        if admin is None:
            errors.append(RowError(rownum, None, f"ukendt forvaltning '{admin_text}'. Brug en af koderne "
                                                 f"{', '.join(ADMINISTRATIONS)} eller forvaltningens fulde navn."))
        email = cells.get("email", "").lower() or None
        if email and (len(email) > 320 or not _EMAIL.match(email)):
            err("email", f"'{email}' er ikke en e-mailadresse.")
        elif email and email in emails:
            err("email", f"e-mailadressen '{email}' står også i række {emails[email]}.")
        elif email:
            emails[email] = rownum
        parsed_dates = []
        for col in ("startdato", "slutdato"):
            value = cells.get(col, "")
            try:
                if value not in dates:
                    dates[value] = parse_date(value)
                parsed_dates.append(dates[value])
            except ValueError as exc:
                err(col, str(exc))
                parsed_dates.append(None)
        start, end = parsed_dates
        if start and end and end < start:
            err("slutdato", f"slutdatoen {short_date(end)} ligger før startdatoen {short_date(start)}.")
        unit_path = unit_paths.normalise(cells["enhed"])
        manages = [unit_paths.normalise(t) for t in cells.get("leder_for", "").split(";") if t.strip()]
        if not all(map(unit_paths.fits, (unit_path, *manages))):
            err("enhed", "enhedens sti er for lang (højst 200 tegn pr. enhed og 1000 i alt).")
        if admin is not None and staff_no and name:
            rows.append(StaffRow(rownum, staff_no, name[:200], email, admin, unit_path,
                                 cells.get("stilling", "")[:200], start, end, manages))
        if progress and (rownum - 1) % 10000 == 0:
            progress(f"  {rownum - 1:,} rækker læst".replace(",", "."))
    if not rows and not errors:
        errors.append(RowError(None, None, "filen har overskrifter, men ingen medarbejdere. Et tomt udtræk ville "
                                           "deaktivere alle; vælg udtrækket fra HR-systemet igen."))
    return ParsedFile(rows, errors, set(idx), {r.administration for r in rows})


def read_staff_file(path: str | os.PathLike, mapping: dict[str, list[str]] | None = None,
                    progress: Callable[[str], None] | None = None) -> ParsedFile:
    """Read and validate an HR file; raises StaffFileError when the file as a whole is unusable."""
    return parse_rows(read_table(Path(path), settings.current().staff_max_rows), mapping, progress)
