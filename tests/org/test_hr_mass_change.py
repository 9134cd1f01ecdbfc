"""Issue 10, findings 6 and 7: the mass-change guard, and uploads that never stay behind or end in a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support.hr import count, do_import, employee, login, pending_uploads, token, upload, write

HEADER = "medarbejdernummer;navn;email;forvaltning;enhed"
STAFF = [f"{i:06d};Søren Ørsted {i};p{i}@kk.example;SOF;Team Øst" for i in range(1, 21)]


def mojibake(line: str) -> str:
    """The line as a UTF-8 file read as Windows-1252 shows it: Ø → Ã˜."""
    return line.encode("utf-8").decode("cp1252", errors="replace")


def renamed(n: int) -> list[str]:
    """The staff file with the first ``n`` names garbled, as the damaged file of the finding did."""
    return [HEADER, *(mojibake(line) if i < n else line for i, line in enumerate(STAFF))]


def test_renaming_more_than_10_percent_needs_the_number_typed(db_app, tmp_path):
    from klarret.audit import AuditEvent
    from klarret.db import db

    with db_app.app_context():
        assert not do_import(write(tmp_path, [HEADER, *STAFF], "start.csv")).errors
        path = write(tmp_path, renamed(3))
        preview = do_import(path, dry_run=True)
        assert preview.mass_change is not None and not preview.needs_confirmation
        assert preview.mass_change.affected == 3 and preview.mass_change.lines() == ["SOF: 3 af 20 aktive (15 %)"]
        assert preview.mass_change.warning().startswith("Importen deaktiverer eller omdøber 3 medarbejdere, mere end "
                                                        "10 % af en forvaltning (SOF: 3 af 20 aktive (15 %))")
        for typed in (None, 2, 20):
            plan = do_import(path, confirm=typed)
            assert plan.needs_confirmation and not plan.errors
            assert employee("000001").name == "Søren Ørsted 1", "nothing is written without the right number"
        assert count(AuditEvent) == 1
        plan = do_import(path, confirm=3)
        assert not plan.needs_confirmation and employee("000001").name == mojibake("Søren Ørsted 1")
        event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.details["confirmed_mass_change"] == 3


def test_up_to_the_share_needs_no_number_and_the_share_is_a_setting(db_app, tmp_path):
    from klarret import settings

    with db_app.app_context():
        do_import(write(tmp_path, [HEADER, *STAFF], "start.csv"))
        plan = do_import(write(tmp_path, renamed(2), "to.csv"))  # 2 of 20 is 10 %: not more than the share
        assert plan.mass_change is None and not plan.needs_confirmation
        assert employee("000002").name == mojibake("Søren Ørsted 2")
    settings.override(db_app, {"KLARRET_STAFF_GUARD_PERCENT": "50"})
    with db_app.app_context():
        plan = do_import(write(tmp_path, [HEADER, *STAFF[:12]], "tolv.csv"))  # 8 of 20 leave: 40 %
        assert plan.mass_change is None and len(plan.deactivations) == 8


def test_deactivations_count_too(db_app, tmp_path):
    with db_app.app_context():
        do_import(write(tmp_path, [HEADER, *STAFF], "start.csv"))
        plan = do_import(write(tmp_path, [HEADER, mojibake(STAFF[0]) + "", *STAFF[1:17]], "b.csv"), dry_run=True)
        assert plan.mass_change.affected == 4  # three leave, one is renamed
        assert employee("000020").active


def test_bad_guard_settings_stop_start_up(tmp_path):
    from klarret import settings

    for value in ("-1", "101", "ti", "nan"):
        with pytest.raises(settings.SettingsError, match="KLARRET_STAFF_GUARD_PERCENT skal være en procentsats"):
            settings.load({"KLARRET_INSTANCE_PATH": str(tmp_path), "KLARRET_STAFF_GUARD_PERCENT": value})
    with pytest.raises(settings.SettingsError, match="KLARRET_STAFF_MAX_ROWS skal være et helt antal rækker"):
        settings.load({"KLARRET_INSTANCE_PATH": str(tmp_path), "KLARRET_STAFF_MAX_ROWS": "0"})


def test_the_command_line_asks_for_bekraeft(db_app, tmp_path):
    runner = db_app.test_cli_runner()
    with db_app.app_context():
        do_import(write(tmp_path, [HEADER, *STAFF], "start.csv"))
    path = write(tmp_path, renamed(3))
    r = runner.invoke(args=["staff", "import", str(path), "--dry-run"])
    assert r.exit_code == 0 and "ADVARSEL Importen deaktiverer eller omdøber 3 medarbejdere" in r.output
    r = runner.invoke(args=["staff", "import", str(path)])
    assert r.exit_code != 0 and "Intet er ændret" in r.output and "kør igen med --bekraeft 3" in r.output
    r = runner.invoke(args=["staff", "import", str(path), "--bekraeft", "4"])
    assert r.exit_code != 0 and "--bekraeft 4 passer ikke" in r.output
    with db_app.app_context():
        assert employee("000001").name == "Søren Ørsted 1"
    r = runner.invoke(args=["staff", "import", str(path), "--bekraeft", "3"])
    assert r.exit_code == 0, r.output
    with db_app.app_context():
        assert employee("000001").name == mojibake("Søren Ørsted 1")


def _pending(html: str) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)


def test_the_preview_warns_and_the_confirmation_needs_the_number(people, tmp_path):
    with people.app_context():
        do_import(write(tmp_path, [HEADER, *STAFF], "start.csv"))
    ada = login(people, "ada@kk.example")
    content = ("\n".join(renamed(3)) + "\n").encode("utf-8")
    html = upload(ada, content).get_data(as_text=True)
    assert 'class="danger" id="advarsel-masse" role="alert"' in html and 'name="antal"' in html
    assert "omdøber 3 medarbejdere, mere end 10 % af en forvaltning" in html
    pending = _pending(html)
    for typed in ("", "²", "3" * 40, "2"):
        r = ada.post("/admin/import/bekraeft", data={"csrf_token": token(ada, "/admin/import"), "token": pending,
                                                     "action": "importer", "antal": typed})
        assert r.status_code == 400 and 'id="antal-fejl"' in r.get_data(as_text=True)
        assert pending_uploads(people) == 1, "the upload waits for the right number"
    assert "Du skrev 2, men importen berører 3 medarbejdere" in r.get_data(as_text=True)
    with people.app_context():
        assert employee("000001").name == "Søren Ørsted 1"
    r = ada.post("/admin/import/bekraeft", data={"csrf_token": token(ada, "/admin/import"), "token": pending,
                                                 "action": "importer", "antal": "3"})
    assert r.status_code == 302 and pending_uploads(people) == 0
    with people.app_context():
        assert employee("000001").name == mojibake("Søren Ørsted 1")


def test_an_upload_over_the_row_cap_is_refused_in_danish_and_not_kept(people):
    from klarret import settings

    settings.override(people, {"KLARRET_STAFF_MAX_ROWS": "1000"})
    ada = login(people, "ada@kk.example")
    content = (HEADER + "\n" + "".join(f"{i};N;;SOF;X\n" for i in range(5000))).encode()
    r = upload(ada, content)
    assert r.status_code == 400 and "Filen har over 1.000 rækker" in r.get_data(as_text=True)
    assert pending_uploads(people) == 0


def test_an_xlsx_bomb_upload_is_refused_in_danish_and_not_kept(people, tmp_path):
    from tests.org.hr_bombs import MB, SHEET, padded_sheet, rebuild, small_xlsx

    bomb = rebuild(small_xlsx(tmp_path / "base.xlsx"), tmp_path / "bombe.xlsx", {SHEET: padded_sheet(300 * MB)})
    ada = login(people, "ada@kk.example")
    r = upload(ada, bomb.read_bytes(), name="hr.xlsx")
    assert r.status_code == 400 and "Excel-filen er for stor udpakket" in r.get_data(as_text=True)
    assert pending_uploads(people) == 0


def test_an_upload_is_removed_when_the_worker_is_stopped_mid_import(people, monkeypatch):
    """gunicorn stops a worker over its timeout with SystemExit: the upload must not stay behind."""
    from klarret.org import views

    def stopped(*_a, **_kw):
        raise SystemExit(1)

    ada = login(people, "ada@kk.example")
    monkeypatch.setattr(views, "run_import", stopped)
    with pytest.raises(SystemExit):
        upload(ada, ("\n".join([HEADER, *STAFF]) + "\n").encode())
    assert pending_uploads(people) == 0
