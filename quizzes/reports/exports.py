"""Completion exports (CSV as Danish Excel opens it, XLSX, JSON), streamed so 45,000 rows use bounded memory."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator

import click
from flask import Response, stream_with_context
from flask.cli import AppGroup

from klarret.audit import record
from klarret.db import db
from klarret.org.models import ADMINISTRATIONS, admin_code
from quizzes.completion.status import StatusRow

HEADERS = ("Medarbejdernummer", "Navn", "Forvaltning", "Enhed", "Kursus", "Status", "Frist", "Gennemført",
           "Udløber", "Score", "Tilmeldt hold")
# A spreadsheet reads a cell starting with one of these as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
CHUNK_ROWS = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(text: str) -> str:
    """Prefix a cell that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cells(row: StatusRow) -> list:
    """The export's columns for one row: text neutralised, dates as dates, score as a number."""
    # The top unit has no path below the administration: show its name, the administration's.
    unit = row.unit_path or ADMINISTRATIONS.get(row.administration, "")
    return [neutralise(row.staff_no), neutralise(row.name), row.administration, neutralise(unit),
            neutralise(row.course_title), row.status, row.due, row.completed, row.expires, row.score,
            row.session.replace(second=0, microsecond=0) if row.session else None]


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # a session's start: to the minute
        return value.isoformat(timespec="minutes")
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def csv_chunks(rows: Iterable[StatusRow]) -> Iterator[str]:
    """The CSV text in chunks: BOM, Danish headers, semicolons, ISO dates."""
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    buf.write(BOM)
    out.writerow(HEADERS)
    for i, row in enumerate(rows, 1):
        out.writerow([_iso(c) for c in _cells(row)])
        if i % CHUNK_ROWS == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def json_chunks(rows: Iterable[StatusRow]) -> Iterator[str]:
    """A JSON array of objects (the StatusRow fields, dates in ISO), in chunks."""
    yield "["
    for i, row in enumerate(rows):
        item = {f: _iso(getattr(row, f)) if isinstance(getattr(row, f), dt.date) else getattr(row, f)
                for f in StatusRow.__slots__}
        yield ("," if i else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


# Column widths in characters (staff number, name, administration, unit, course, status, three dates, score,
# the booked session's day).
XLSX_WIDTHS = (18, 28, 12, 40, 32, 14, 12, 12, 12, 8, 14)


def write_xlsx(rows: Iterable[StatusRow], target) -> int:
    """Write the rows to ``target`` (a path or binary file), streamed (quizzes/reports/xlsx.py); return the count.

    A frozen, filterable header, column widths and real date cells; text goes in as string cells, so a
    value that looks like a formula stays text, without the CSV's apostrophe.
    """
    from quizzes.reports.xlsx import write_table

    def cells(row: StatusRow) -> tuple:
        unit = row.unit_path or ADMINISTRATIONS.get(row.administration, "")
        return (row.staff_no, row.name, row.administration, unit, row.course_title, str(row.status), row.due,
                row.completed, row.expires, row.score, row.session)

    return write_table(target, "Gennemførelse", HEADERS, XLSX_WIDTHS, (cells(r) for r in rows))


def xlsx_chunks(rows: Iterable[StatusRow], chunk: int = 64 * 1024) -> Iterator[bytes]:
    """The XLSX file in chunks (built in a temporary file, so memory stays bounded)."""
    fd, name = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        write_xlsx(rows, name)
        with open(name, "rb") as f:
            while data := f.read(chunk):
                yield data
    finally:
        os.unlink(name)


def audit_export(actor: str, filename: str, fmt: str, **scope) -> None:
    """Record an export in the audit log (who, what file, which filters) and commit it."""
    record(actor, "export", filename, format=fmt, **{k: v for k, v in scope.items() if v is not None})
    db.session.commit()


def _actor(actor: str | None) -> str:
    if actor is not None:
        return actor
    from klarret.auth import current_user

    user = current_user()
    return user.staff_no if user is not None else "anonym"


def _download(body: Iterator, filename: str, mimetype: str) -> Response:
    resp = Response(stream_with_context(body), mimetype=mimetype)
    resp.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "no-store"
    return resp


def csv_response(rows: Iterable[StatusRow], filename: str, actor: str | None = None, **scope) -> Response:
    """A streamed CSV download of ``rows`` (audited as an export by ``actor``, default the logged-in user)."""
    audit_export(_actor(actor), filename, "csv", **scope)
    return _download((c.encode("utf-8") for c in csv_chunks(rows)), filename, "text/csv; charset=utf-8")


def xlsx_response(rows: Iterable[StatusRow], filename: str, actor: str | None = None, **scope) -> Response:
    """A streamed XLSX download of ``rows`` (audited)."""
    audit_export(_actor(actor), filename, "xlsx", **scope)
    return _download(xlsx_chunks(rows), filename, XLSX_TYPE)


def json_response(rows: Iterable[StatusRow], filename: str, actor: str | None = None, **scope) -> Response:
    """A streamed JSON download of ``rows`` (audited)."""
    audit_export(_actor(actor), filename, "json", **scope)
    return _download((c.encode("utf-8") for c in json_chunks(rows)), filename, "application/json")


@click.group("report", cls=AppGroup)
def report_group() -> None:
    """Rapporter over e-læringen."""


@report_group.command("completion")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True,
              help="Filformat: csv (som dansk Excel åbner det), xlsx eller json.")
@click.option("--administration", metavar="KODE", help="Kun én forvaltning, fx SOF.")
@click.option("--course", "course_id", metavar="ID", help="Kun ét kursus, fx grundkursus.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Skriv til en fil i stedet "
              "for standard output.")
def completion_command(fmt: str, administration: str | None, course_id: str | None, output: str | None) -> None:
    """Én række pr. medarbejder og obligatorisk kursus: status, frist, gennemført, udløber og score."""
    from quizzes.completion.status import courses_by_title, status_rows

    if administration is not None:
        code = admin_code(administration)
        if code is None:
            raise click.UsageError(f"Ukendt forvaltning '{administration}'. Brug en af koderne "
                                   f"{', '.join(ADMINISTRATIONS)}.")
        administration = code
    known = [c.id for c in courses_by_title()]
    if course_id is not None and course_id not in known:
        raise click.UsageError(f"Ukendt kursus '{course_id}'. Brug et af kursus-id'erne {', '.join(known)}.")
    if fmt == "xlsx" and not output and sys.stdout.isatty():
        raise click.UsageError("XLSX er en binær fil. Angiv en fil med -o, fx -o rapport.xlsx.")
    rows = status_rows(administration=administration, course_id=course_id)
    audit_export("cli", output or "-", fmt, administration=administration, course=course_id)
    if output:
        with open(output, "wb") as f:
            _write(rows, fmt, f)
        click.echo(f"Skrev rapporten til {output}.", err=True)
    else:
        with click.open_file("-", "wb") as out:  # standard output, left open
            _write(rows, fmt, out)
            out.flush()


def _write(rows: Iterable[StatusRow], fmt: str, f) -> None:
    """Write the report to the binary file ``f`` (CSV line ends stay CRLF on every platform)."""
    if fmt == "xlsx":
        write_xlsx(rows, f)
        return
    for chunk in csv_chunks(rows) if fmt == "csv" else json_chunks(rows):
        f.write(chunk.encode("utf-8"))
