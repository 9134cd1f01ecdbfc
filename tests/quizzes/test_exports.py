"""Completion exports: CSV as Danish Excel opens it, XLSX read back, JSON, the responses and the CLI report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json

from sqlalchemy import select

from quizzes.completion.status import StatusRow
from quizzes.reports.exports import HEADERS, csv_chunks, json_chunks, write_xlsx
from tests.support.status_org import attempt, person

D = dt.date


def row(name="Anna Hansen", staff_no="000123", unit="Center A / Team 1", score=None, completed=None, session=None):
    return StatusRow(staff_no, name, "SOF", 1, unit, "basis", "Basis", "forfalden", D(2026, 1, 31), completed,
                     None, score, D(2026, 1, 1), session)


def test_csv_is_what_danish_excel_opens():
    text = "".join(csv_chunks([row(), row(name="Hansen; Anna \"A\"", score=85, completed=D(2026, 2, 3))]))
    assert text.startswith("\ufeffMedarbejdernummer;Navn;Forvaltning;Enhed;Kursus;Status;Frist;Gennemført;"
                           "Udløber;Score;Tilmeldt hold\r\n")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0] == list(HEADERS)
    assert lines[1] == ["000123", "Anna Hansen", "SOF", "Center A / Team 1", "Basis", "forfalden", "2026-01-31",
                        "", "", "", ""], "leading zeros kept, ISO dates, empty cells for nothing"
    assert lines[2][1] == 'Hansen; Anna "A"' and lines[2][7] == "2026-02-03" and lines[2][9] == "85"
    top = list(csv.reader(io.StringIO("".join(csv_chunks([row(unit="")]))), delimiter=";"))[1]
    assert top[3] == "Socialforvaltningen", "the top unit is named after its administration"


def test_csv_and_xlsx_neutralise_formulas(tmp_path):
    from openpyxl import load_workbook

    evil = [row(name="=HYPERLINK(\"http://x\",\"klik\")"), row(name="+45 1234"), row(name="-1+1"),
            row(name="@SUM(A1)"), row(unit="=cmd|' /C calc'!A0"), row(name="Bo = Bo")]
    lines = list(csv.reader(io.StringIO("".join(csv_chunks(evil)).lstrip("\ufeff")), delimiter=";"))[1:]
    assert [ln[1] for ln in lines] == ["'=HYPERLINK(\"http://x\",\"klik\")", "'+45 1234", "'-1+1", "'@SUM(A1)",
                                       "Anna Hansen", "Bo = Bo"]
    assert lines[4][3] == "'=cmd|' /C calc'!A0"
    path = tmp_path / "x.xlsx"
    assert write_xlsx(evil, path) == 6
    ws = load_workbook(path).active
    names = [c.value for c in ws["B"]][1:]
    assert names[:4] == ["=HYPERLINK(\"http://x\",\"klik\")", "+45 1234", "-1+1", "@SUM(A1)"], \
        "stored as text cells, without the CSV's stray apostrophe"
    assert ws["D6"].value == "=cmd|' /C calc'!A0"
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r), "no formula cells"


def test_xlsx_has_a_frozen_filterable_header_widths_and_date_cells(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "f.xlsx"
    write_xlsx([row(completed=D(2026, 2, 3), session=dt.datetime(2026, 3, 2, 9)) for _ in range(3)], path)
    ws = load_workbook(path).active
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:K4"
    assert ws["K1"].value == "Tilmeldt hold" and ws["K2"].is_date and ws["K2"].value.date() == D(2026, 3, 2)
    assert ws.column_dimensions["B"].width > 20 and ws.column_dimensions["J"].width < 10
    assert ws["G2"].is_date and ws["G2"].number_format == "dd-mm-yyyy" and ws["H2"].is_date


def test_xlsx_reads_back_with_headers_dates_and_numbers(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    write_xlsx([row(score=85, completed=D(2026, 2, 3)), row(staff_no="007")], path)
    ws = load_workbook(path).active  # read_only would trim the empty cells at the end of a row
    data = [list(r) for r in ws.iter_rows(values_only=True)]
    assert tuple(data[0]) == HEADERS
    assert data[1][0] == "000123" and data[2][0] == "007", "staff numbers stay text"
    assert data[1][6].date() == D(2026, 1, 31) and data[1][7].date() == D(2026, 2, 3) and data[1][9] == 85
    assert data[2][7] is None and data[2][9] is None


def test_exports_stream_without_reading_every_row_first():
    endless = (row(staff_no=str(i)) for i in itertools.count())
    first = next(csv_chunks(endless))
    assert first.count("\r\n") >= 2, "the first chunk arrives while rows are still coming"
    chunks = json_chunks(row(staff_no=str(i)) for i in itertools.count())
    assert next(chunks) == "[" and json.loads(next(chunks).lstrip(",\n"))["staff_no"] == "0"


def test_json_is_valid_with_iso_dates():
    data = json.loads("".join(json_chunks([row(score=90, completed=D(2026, 2, 3)), row()])))
    assert data[0]["due"] == "2026-01-31" and data[0]["completed"] == "2026-02-03" and data[0]["score"] == 90
    assert data[1]["completed"] is None and set(data[0]) == set(StatusRow.__slots__)
    assert json.loads("".join(json_chunks([]))) == []


def test_responses_stream_and_are_audited(rules_app):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from quizzes.completion.status import status_rows
    from quizzes.reports.exports import csv_response, xlsx_response

    with rules_app.app_context():
        person("000777", name="=Farlig", start=D(2026, 1, 1))
    with rules_app.test_request_context("/leder/eksport.csv"):
        resp = csv_response(status_rows(today=D(2026, 3, 1)), "gennemfoerelse.csv", actor="000001",
                            administration="SOF")
        assert resp.is_streamed and resp.headers["Content-Disposition"] == 'attachment; filename="gennemfoerelse.csv"'
        body = b"".join(resp.response).decode("utf-8")
        assert body.startswith("\ufeffMedarbejdernummer;") and "000777;'=Farlig;SOF;" in body
        resp = xlsx_response(status_rows(today=D(2026, 3, 1)), "g.xlsx", actor="000001")
        assert b"".join(resp.response)[:2] == b"PK"
    with rules_app.app_context():
        events = db.session.execute(select(AuditEvent.actor, AuditEvent.action, AuditEvent.target,
                                           AuditEvent.details).order_by(AuditEvent.id)).all()
        assert [tuple(e) for e in events] == [("000001", "export", "gennemfoerelse.csv",
                                               {"format": "csv", "administration": "SOF"}),
                                              ("000001", "export", "g.xlsx", {"format": "xlsx"})]


def test_cli_report_completion(rules_app, tmp_path):
    from openpyxl import load_workbook

    from klarret.audit import AuditEvent
    from klarret.db import db

    with rules_app.app_context():
        person("1", "SOF", start=D(2026, 1, 1))
        person("2", "BIF", "Jobcenter", start=D(2026, 1, 1))
        attempt("1", "basis", dt.date.today() - dt.timedelta(days=5), passed=True, score=90)  # not near expiry
    runner = rules_app.test_cli_runner()
    r = runner.invoke(args=["report", "completion", "--administration", "sof", "--course", "basis"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Medarbejdernummer;") and len(lines) == 2 and lines[1].startswith("1;Person 1;SOF;")
    assert ";bestået;" in lines[1] and lines[1].endswith(";90;")
    r = runner.invoke(args=["report", "completion", "--format", "json"])
    assert r.exit_code == 0 and {d["staff_no"] for d in json.loads(r.stdout)} == {"1", "2"}
    out = tmp_path / "rapport.xlsx"
    r = runner.invoke(args=["report", "completion", "--format", "xlsx", "-o", str(out)])
    assert r.exit_code == 0 and load_workbook(out).active.max_row == 1 + len(json.loads(
        runner.invoke(args=["report", "completion", "--format", "json"]).stdout))
    r = runner.invoke(args=["report", "completion", "--administration", "SUFF"])
    assert r.exit_code == 2 and "Ukendt forvaltning 'SUFF'" in r.output and "ØKF" in r.output
    r = runner.invoke(args=["report", "completion", "--course", "findes-ikke"])
    assert r.exit_code == 2 and "Ukendt kursus 'findes-ikke'" in r.output
    r = runner.invoke(args=["report", "completion", "--help"])
    assert r.exit_code == 0 and "Én række pr. medarbejder" in r.output
    with rules_app.app_context():
        assert db.session.scalar(select(AuditEvent.actor).where(AuditEvent.action == "export")) == "cli"


def test_xlsx_writer_escapes_text_drops_illegal_characters_and_handles_no_rows(tmp_path):
    from openpyxl import load_workbook

    from quizzes.reports.xlsx import _column, write_table

    assert [_column(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]
    path = tmp_path / "t.xlsx"
    assert write_table(path, "Ark 'A'", ("Navn", "Dato"), (20, 12),
                       [("<b>Bo & Co</b>\x07", D(2026, 12, 2)), (" Ida ", None)]) == 2
    ws = load_workbook(path).active
    assert ws.title == "Ark 'A'"
    assert ws["A2"].value == "<b>Bo & Co</b>" and ws["B2"].value.date() == D(2026, 12, 2)
    assert ws["A3"].value == " Ida " and ws["B3"].value is None, "spaces kept, empty cells empty"
    empty = tmp_path / "e.xlsx"
    assert write_table(empty, "Tom", ("A", "B"), (5, 5), []) == 0
    assert [list(r) for r in load_workbook(empty).active.iter_rows(values_only=True)] == [["A", "B"]]
