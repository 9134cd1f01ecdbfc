"""Administrator pages (import preview → confirm, audit log, roles), the retention purge and the demo data."""

from __future__ import annotations

import datetime as dt
import io
import re

from sqlalchemy import func, select

from tests.support.hr import HEADER, ROWS, login, pending_uploads, token, upload


def db_scalar(stmt):
    from klarret.db import db

    return db.session.scalar(stmt)


def count(model):
    from klarret.db import db

    return db.session.scalar(select(func.count()).select_from(model))


def test_only_administrators_see_the_admin_pages(people):
    anonymous = people.test_client()
    assert anonymous.get("/admin/import").status_code == 302
    mo = login(people, "mo@kk.example")
    for url in ("/admin/", "/admin/import", "/admin/revisionslog", "/admin/medarbejdere", "/admin/medarbejdere/900002"):
        assert mo.get(url).status_code == 403, url
    assert mo.post("/admin/import/bekraeft", data={"csrf_token": token(mo, "/min-side")}).status_code == 403
    ada = login(people, "ada@kk.example")
    for url in ("/admin/", "/admin/import", "/admin/revisionslog", "/admin/medarbejdere?q=mo"):
        assert ada.get(url).status_code == 200, url


def test_preview_writes_nothing_then_confirm_imports_the_same_file(people):
    from klarret.audit import AuditEvent
    from klarret.org.models import Employee

    ada = login(people, "ada@kk.example")
    content = ("\n".join([HEADER, *ROWS]) + "\n").encode("utf-8-sig")
    r = upload(ada, content)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Forhåndsvisning af hr.csv" in html
    assert 'id="tabel-nye"' in html and "Anna Hansen" in html and "Importér hr.csv" in html
    assert pending_uploads(people) == 1
    with people.app_context():
        imports = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("staff.%"))
        assert count(Employee) == 2 and db_scalar(imports) == 0  # the login itself is audited, nothing else
    pending = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    r = ada.post("/admin/import/bekraeft", data={"csrf_token": token(ada, "/admin/import"), "token": pending,
                                                 "action": "importer"})
    assert r.status_code == 302
    assert "4 nye" in ada.get("/admin/import").get_data(as_text=True)
    assert pending_uploads(people) == 0, "the uploaded file is removed after the import"
    with people.app_context():
        assert count(Employee) == 6
        from klarret.db import db

        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action != "login")).all()
        assert (event.actor, event.action, event.target, event.details["added"]) == ("900001", "staff.import",
                                                                                      "hr.csv", 4)
    # The same token cannot be used twice.
    r = ada.post("/admin/import/bekraeft", data={"csrf_token": token(ada, "/admin/import"), "token": pending})
    assert r.status_code == 302 and "findes ikke længere" in ada.get("/admin/import").get_data(as_text=True)


def test_confirm_revalidates_the_file(people):
    from klarret.org.models import Employee

    ada = login(people, "ada@kk.example")
    html = upload(ada, ("\n".join([HEADER, *ROWS]) + "\n").encode()).get_data(as_text=True)
    pending = re.search(r'name="token" value="([0-9a-f]{32})"', html).group(1)
    with people.app_context():  # the stored file changed after the preview
        from klarret.db import db
        from klarret.org.uploads import StaffUpload

        db.session.get(StaffUpload, pending).content = f"{HEADER}\n1;A;a@kk.example;SUFF;X;;;;\n".encode()
        db.session.commit()
    r = ada.post("/admin/import/bekraeft", data={"csrf_token": token(ada, "/admin/import"), "token": pending})
    assert r.status_code == 400 and "Række 2: ukendt forvaltning" in r.get_data(as_text=True)
    with people.app_context():
        assert count(Employee) == 2


def test_errors_are_summarised_in_danish_and_nothing_is_kept(people):
    ada = login(people, "ada@kk.example")
    bad = f"{HEADER}\n1;A;a@kk.example;SUFF;X;;;;\n1;B;b@kk.example;SOF;X;;31-02-2025;;\n".encode()
    r = upload(ada, bad)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'class="error-summary" role="alert"' in html
    assert "Række 2: ukendt forvaltning &#39;SUFF&#39;" in html
    assert "Række 3, kolonne &#39;medarbejdernummer&#39;" in html and "datoen &#39;31-02-2025&#39; findes ikke" in html
    assert 'id="fejlopsummering" data-autofocus' in html  # klarret/static/app.js focuses it (no inline script)
    assert pending_uploads(people) == 0
    r = upload(ada, b"x", name="hr.pdf")
    assert r.status_code == 400 and "hverken CSV eller XLSX" in r.get_data(as_text=True)


def test_preview_warns_an_administrator_who_would_deactivate_themselves(people):
    ada = login(people, "ada@kk.example")
    html = upload(ada, f"{HEADER}\n1;Ny;ny@kk.example;ØKF;Borgerrådgiveren;;;;\n".encode()).get_data(as_text=True)
    assert 'id="advarsel-selv"' in html and "deaktiverer også dig" in html
    html = upload(ada, ("\n".join([HEADER, *ROWS]) + "\n").encode()).get_data(as_text=True)
    assert 'id="advarsel-selv"' not in html, "a file without ØKF leaves the administrator alone"


def test_an_oversized_upload_is_refused_before_it_is_read(people, monkeypatch):
    from klarret.org import views

    ada = login(people, "ada@kk.example")
    monkeypatch.setattr(views, "UPLOAD_LIMIT", 4000)  # the real limit is 51 MB; the rule is the same
    r = upload(ada, b"x" * 5000)
    assert r.status_code == 413 and "højst indlæses 50 MB" in r.get_data(as_text=True)
    assert pending_uploads(people) == 0
    assert upload(ada, ("\n".join([HEADER, *ROWS]) + "\n").encode()).status_code == 200


def test_import_form_requires_csrf(people):
    ada = login(people, "ada@kk.example")
    r = ada.post("/admin/import", data={"fil": (io.BytesIO(b"x"), "hr.csv")}, content_type="multipart/form-data")
    assert r.status_code == 400


def test_role_change_and_statistics_flag_are_audited(people):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.roles import Role

    ada = login(people, "ada@kk.example")
    url = "/admin/medarbejdere/900002"
    page = ada.get(url).get_data(as_text=True)
    assert 'type="checkbox" id="rolle-editor" name="rolle" value="editor"' in page
    assert 'id="rolle-trainer"' in page and 'id="rolle-administrator"' in page
    r = ada.post(url, data={"csrf_token": token(ada, url), "rolle": ["editor", "trainer"], "undtaget": "ja"})
    assert r.status_code == 302
    assert 'value="editor" checked' in ada.get(url).get_data(as_text=True)
    r = ada.post("/admin/medarbejdere/900001", data={"csrf_token": token(ada, url), "rolle": "editor"})
    assert r.status_code == 400 and "egen administratorrolle" in r.get_data(as_text=True)
    r = ada.post(url, data={"csrf_token": token(ada, url), "rolle": "admin"})
    assert r.status_code == 400 and "Vælg kun blandt rollerne" in r.get_data(as_text=True)
    with people.app_context():
        mo = db.session.get(Employee, "900002")
        assert mo.roles == {Role.EMPLOYEE, Role.EDITOR, Role.TRAINER} and mo.excluded_from_stats
        assert db.session.get(Employee, "900001").roles == {Role.EMPLOYEE, Role.ADMINISTRATOR}
        events = [(e.actor, e.action, e.target, e.details) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action != "login").order_by(AuditEvent.id))]
        assert events == [("900001", "employee.role", "900002",
                           {"old": ["employee"], "new": ["editor", "employee", "trainer"]}),
                          ("900001", "employee.stats", "900002", {"excluded": True})]
    r = ada.post(url, data={"csrf_token": token(ada, url), "rolle": "trainer", "undtaget": "ja"})
    assert r.status_code == 302
    with people.app_context():
        assert db.session.get(Employee, "900002").roles == {Role.EMPLOYEE, Role.TRAINER}, "editor taken away"
    log = ada.get("/admin/revisionslog?handling=employee.role").get_data(as_text=True)
    assert "Rolle ændret" in log and "før: medarbejder; efter: redaktør, medarbejder, underviser" in log
    assert "Statistik til/fra</td>" not in log
    assert "900001 (Ada Admin)" in log and "900002 (Mo Medarbejder)" in log


def test_audit_log_is_newest_first_and_paged(people):
    from klarret import audit
    from klarret.db import db

    with people.app_context():
        for i in range(60):
            audit.record("cli", "staff.import", f"fil-{i:02d}.csv", added=i)
        db.session.commit()
    ada = login(people, "ada@kk.example")
    first = ada.get("/admin/revisionslog").get_data(as_text=True)
    assert "fil-59.csv" in first and "fil-09.csv" not in first and "Side 1 af 2" in first
    second = ada.get("/admin/revisionslog?side=2").get_data(as_text=True)
    assert "fil-09.csv" in second and "fil-59.csv" not in second


def _leaver(db, staff_no, end, unit):
    from klarret.org.models import Employee
    from quizzes.models import Attempt, Completion, CourseVersion

    db.session.add(Employee(staff_no=staff_no, name=f"Person {staff_no}", email=f"{staff_no}@kk.example",
                            unit=unit, job_title="Jurist", start_date=dt.date(2010, 1, 1), end_date=end,
                            active=False, password_hash="x"))
    version = db.session.scalar(select(CourseVersion)) or CourseVersion(course_id="k", version="v1", content={})
    db.session.add(version)
    db.session.flush()
    attempt = Attempt(staff_no=staff_no, course_id="k", version_id=version.id, seed=1,
                      submitted_at=dt.datetime(2015, 1, 1), correct=9, total=10, score=90, passed=True)
    db.session.add(attempt)
    db.session.flush()
    db.session.add(Completion(staff_no=staff_no, course_id="k", attempt_id=attempt.id,
                              completed_at=dt.datetime(2015, 1, 1), score=90, code=f"C{staff_no}"))


def test_purge_anonymises_old_leavers_and_keeps_their_results(people):
    from klarret import settings
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.org.models import Employee, UnitManager
    from klarret.org.write import unit_by_path
    from quizzes.models import Attempt, Completion

    today = dt.date.today()
    with people.app_context():
        unit = unit_by_path("SOF", "Center for Udsatte Voksne")
        _leaver(db, "700001", today - dt.timedelta(days=6 * 366), unit)
        _leaver(db, "700002", today - dt.timedelta(days=2 * 365), unit)
        db.session.add(UnitManager(unit_id=unit.id, staff_no="700001"))
        db.session.commit()
    runner = people.test_cli_runner()
    r = runner.invoke(args=["staff", "purge", "--dry-run"])
    assert r.exit_code == 0 and "1 medarbejdere" in r.output
    with people.app_context():
        assert db.session.get(Employee, "700001") is not None and count(AuditEvent) == 0
    settings.override(people, {"KLARRET_RETENTION_YEARS": "1"})
    assert "2 medarbejdere" in runner.invoke(args=["staff", "purge", "--dry-run"]).output
    settings.override(people, {"KLARRET_RETENTION_YEARS": None})  # unset: five years again
    r = runner.invoke(args=["staff", "purge"])
    assert r.exit_code == 0 and "1 medarbejdere" in r.output and "anonymiseret" in r.output
    with people.app_context():
        assert db.session.get(Employee, "700001") is None and db.session.get(Employee, "700002") is not None
        (anon,) = db.session.scalars(select(Employee).where(Employee.anonymised_at.is_not(None))).all()
        assert anon.staff_no.startswith("anon-") and anon.name == "Anonymiseret"
        assert anon.email is None and anon.password_hash is None and anon.job_title == ""
        assert anon.unit.path == "Center for Udsatte Voksne", "the statistics still count them in their unit"
        (completion,) = db.session.scalars(select(Completion).where(Completion.staff_no == anon.staff_no)).all()
        assert completion.score == 90 and db.session.get(Attempt, completion.attempt_id).staff_no == anon.staff_no
        assert count(Completion) == 2 and count(UnitManager) == 0
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action != "login")).all()
        assert event.action == "staff.purge" and event.details["anonymised"] == 1
        assert "700001" not in str(event.details) + event.target, "the audit event must not name the person"
    assert "0 medarbejdere" in runner.invoke(args=["staff", "purge"]).output
    # A bad KLARRET_RETENTION_YEARS now stops start-up: tests/app/test_settings.py.


def test_demo_data_is_idempotent_with_2000_employees_and_consistent_attempts(db_app):
    from klarret.db import db
    from klarret.demo import load_demo_data
    from klarret.org.models import Employee, Unit, UnitManager
    from quizzes.models import Answer, Attempt, Completion

    with db_app.app_context():
        assert load_demo_data(population=False)["medarbejdere"] == 6  # the accounts alone (with the trainer)
        first = load_demo_data()
        assert first == load_demo_data()
        assert first["medarbejdere"] == 2000 and first["enheder"] > 200
        assert db.session.get(Employee, "000101").unit.path == "Center for Udsatte Voksne / Team Nord"
        per_admin = dict(db.session.execute(
            select(Unit.administration_code, func.count()).select_from(Employee)
            .join(Unit, Employee.unit_id == Unit.id).group_by(Unit.administration_code)).all())
        assert len(per_admin) == 7 and min(per_admin.values()) >= 50
        today = dt.date.today()
        assert db.session.scalar(select(func.count()).select_from(Employee).where(
            Employee.start_date >= today - dt.timedelta(days=90))) >= 20, "some new hires"
        assert db.session.scalar(select(func.count()).select_from(Employee).where(Employee.active.is_(False))) >= 20
        assert db.session.scalar(select(func.count()).select_from(Employee).where(Employee.excluded_from_stats)) >= 5
        assert count(UnitManager) > 200
        # Every completion is the first passing attempt, with the attempt's score.
        firsts = dict(db.session.execute(
            select(Attempt.staff_no + "|" + Attempt.course_id, func.min(Attempt.id))
            .where(Attempt.passed.is_(True)).group_by(Attempt.staff_no, Attempt.course_id)).all())
        completions = db.session.scalars(select(Completion)).all()
        assert len(completions) == len(firsts) > 500
        for c in completions:
            assert firsts[f"{c.staff_no}|{c.course_id}"] == c.attempt_id and c.score == c.attempt.score
        failed = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.passed.is_(False)))
        open_ = db.session.scalar(select(func.count()).select_from(Attempt).where(Attempt.submitted_at.is_(None)))
        assert failed > 100 and open_ > 50
        # The demo's explicit attempt ids leave the id sequence ready for the next real attempt.
        version_id = db.session.scalar(select(Attempt.version_id))
        later = Attempt(staff_no="000101", course_id="grundkursus", version_id=version_id, seed=1)
        db.session.add(later)
        db.session.flush()
        assert later.id > max(c.attempt_id for c in completions)
        db.session.rollback()
        # Graded answers agree with the attempt's score.
        sample = db.session.scalars(select(Attempt).where(Attempt.submitted_at.is_not(None)).limit(50)).all()
        for a in sample:
            right = db.session.scalar(select(func.count()).select_from(Answer).where(
                Answer.attempt_id == a.id, Answer.correct.is_(True)))
            assert right == a.correct and a.score == 100 * a.correct // a.total
