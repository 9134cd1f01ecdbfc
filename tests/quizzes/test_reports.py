"""Report figures (dashboard, municipality, knowledge gaps) against a small, hand-computed organisation."""

from __future__ import annotations

import datetime as dt
import re

from quizzes.completion.status import Status
from tests.support.report_org import TODAY, email, login
from tests.support.web import token


def unit_id(code: str, path: str) -> int:
    from klarret.org.write import unit_by_path

    return unit_by_path(code, path).id


# --- scope -----------------------------------------------------------------------------------------
def test_visible_units_per_role(report_org_app):
    from klarret.db import db
    from klarret.org.models import Employee, Unit
    from klarret.org.scope import visible_unit_ids

    with report_org_app.app_context():
        def names(staff_no: str) -> set[str]:
            ids = visible_unit_ids(db.session.get(Employee, staff_no), TODAY)
            return {f"{u.administration_code}:{u.path}" for u in db.session.query(Unit).filter(Unit.id.in_(ids))}

        center_a = {"SOF:Center A", "SOF:Center A / Team 1", "SOF:Center A / Team 2"}
        assert names("m1") == center_a  # not the sibling "Center AB"
        assert names("d1") == center_a  # an active deputy sees the manager's units
        assert names("d2") == set()  # an expired deputyship gives nothing
        assert names("e1") == set()
        assert names("boss") == {"BIF:", "BIF:Jobcenter"}
        assert len(names("adm")) == db.session.query(Unit).count()
        assert names("ed") == set()
        assert visible_unit_ids(db.session.get(Employee, "d1"), dt.date(2027, 1, 1)) == frozenset()
        # LIKE wildcards in a unit's name are literal: "Hold_1" is not a prefix of "HoldX1".
        from klarret.org.models import UnitManager
        from klarret.org.write import unit_by_path

        for path in ("Hold_1 / Under", "HoldX1 / Under", "Hold%2 / Under", "Hold%2x / Under"):
            unit_by_path("SOF", path)
        db.session.add(UnitManager(unit_id=unit_by_path("SOF", "Hold_1").id, staff_no="e1"))
        db.session.add(UnitManager(unit_id=unit_by_path("SOF", "Hold%2").id, staff_no="e1"))
        db.session.commit()
        assert names("e1") == {"SOF:Hold_1", "SOF:Hold_1 / Under", "SOF:Hold%2", "SOF:Hold%2 / Under"}


# --- the dashboard ---------------------------------------------------------------------------------
def test_dashboard_figures_for_a_manager(report_org_app):
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.org.scope import scope_roots, visible_unit_ids
    from quizzes.reports import figures as reports

    with report_org_app.app_context():
        scope = visible_unit_ids(db.session.get(Employee, "m1"), TODAY)
        roots = scope_roots(scope)
        assert [u.path for u in roots] == ["Center A"]
        d = reports.dashboard(scope, reports.shown_units(roots, scope), today=TODAY, course_id="kursus-a")
        by_path = {line.unit.path: line.tally for line in d.units}
        assert list(by_path) == ["Center A", "Center A / Team 1", "Center A / Team 2"]
        a = by_path["Center A"]  # m1, e1, e3 done; e2 overdue; e4, e5 pending; ex1 exempt; x1, gone left out
        assert (a.done, a.late, a.pending, a.assigned, a.counts[Status.EXEMPT]) == (3, 1, 2, 6, 1)
        assert (a.done_pct, a.late_pct, a.pending_pct) == (50, 17, 33)
        t1, t2 = by_path["Center A / Team 1"], by_path["Center A / Team 2"]
        assert (t1.done, t1.late, t1.assigned, t1.done_pct) == (2, 1, 3, 67)
        assert (t2.pending, t2.assigned, t2.done_pct) == (2, 2, 0)
        assert [r.staff_no for r in d.overdue] == ["e2"]
        assert [r.staff_no for r in d.due_soon] == ["e3"]
        assert [r.staff_no for r in d.new_not_started] == ["e5"]  # e4 has started
        # Without the course filter kursus-b counts too: e1 failed twice (ikke bestået), the rest overdue.
        d = reports.dashboard(scope, reports.shown_units(roots, scope), today=TODAY)
        a = d.units[0].tally
        assert a.counts[Status.FAILED] == 1 and a.counts[Status.OVERDUE] == 1 + 4 and a.assigned == 6 + 7
        assert {(r.staff_no, r.course_id) for r in d.overdue} == {
            ("e2", "kursus-a"), ("m1", "kursus-b"), ("e2", "kursus-b"), ("e3", "kursus-b"), ("ex1", "kursus-b")}
        # A status filter keeps only those rows.
        d = reports.dashboard(scope, reports.shown_units(roots, scope), today=TODAY, status="bestået")
        assert d.units[0].tally.assigned == 2 and d.units[0].tally.done == 2


def test_dashboard_page_drill_down_and_filters(report_org_app):
    client = report_org_app.test_client()
    login(client, "m1")
    html = client.get("/leder?kursus=kursus-a").get_data(as_text=True)
    assert html.index("Nøgletal") < html.index("Gennemførelse pr. enhed") < html.index("Det skal du handle på")
    assert "Person E2" in html and "Person E3" in html and "Person E5" in html
    assert "Person E6" not in html and "Person Z1" not in html  # Center B and Center AB are not hers
    with report_org_app.app_context():
        team1, center_b = unit_id("SOF", "Center A / Team 1"), unit_id("SOF", "Center B")
    assert re.search(r'data-label="Center A" data-value="50"', html)
    assert re.search(r'data-label="– Team 1" data-value="67"', html)
    assert f'href="/leder/enhed/{team1}?kursus=kursus-a"' in html
    page = client.get(f"/leder/enhed/{team1}?kursus=kursus-a")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Person E1" in text and "Person EX1" in text and "Person X1" not in text
    assert "Person E4" not in text  # Team 2
    assert f"/leder/eksport.xlsx?kursus=kursus-a&amp;status=&amp;enhed={team1}" in text  # the unit's export
    assert client.get(f"/leder/enhed/{center_b}").status_code == 404
    filtered = client.get("/leder?kursus=kursus-a&status=forfalden").get_data(as_text=True)
    assert 'data-label="Center A" data-value="0"' in filtered and "Person E3" not in filtered


def test_menu_links_follow_the_role(report_org_app):
    def menu(staff_no: str) -> str:
        client = report_org_app.test_client()
        login(client, staff_no)
        html = client.get("/min-side").get_data(as_text=True)
        return html[html.index('aria-label="Hovedmenu"'):html.index("</nav>")]

    assert "Mine medarbejdere" in menu("m1") and "Mine medarbejdere" in menu("d1")
    assert "/leder" not in menu("e1") and "/leder" not in menu("d2")
    assert "Videnshuller" in menu("ed") and "/leder" not in menu("ed")
    assert "Hele kommunen" in menu("adm")


def test_reminder_button_only_for_overdue_people_in_scope(report_org_app, monkeypatch):
    import quizzes.reports.reminders

    sent = []
    monkeypatch.setattr(quizzes.reports.reminders, "send_reminder_now",
                        lambda s, c, actor, today=None: sent.append((s, c, actor)))
    client = report_org_app.test_client()
    login(client, "m1")
    csrf = token(client, "/leder")
    r = client.post("/leder/paamind", data={"medarbejder": "e2", "kursus": "kursus-a", "csrf_token": csrf,
                                            "next": "/leder?kursus=kursus-a"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/leder?kursus=kursus-a")
    assert sent == [("e2", "kursus-a", "m1")]
    client.post("/leder/paamind", data={"medarbejder": "e1", "kursus": "kursus-a", "csrf_token": csrf})
    assert len(sent) == 1  # e1 has passed: nothing to remind about
    r = client.post("/leder/paamind", data={"medarbejder": "e6", "kursus": "kursus-a", "csrf_token": csrf})
    assert r.status_code == 404 and len(sent) == 1  # Center B is not hers
    r = client.post("/leder/paamind", data={"medarbejder": "e2", "kursus": "kursus-a"})
    assert r.status_code == 400 and len(sent) == 1  # no CSRF token


def test_reminder_failure_is_explained(report_org_app, monkeypatch):
    import quizzes.reports.reminders
    from quizzes.reports.reminders import SendError

    def refuse(*args, **kwargs):
        raise SendError("Mailserveren svarer ikke. Prøv igen om lidt.")

    monkeypatch.setattr(quizzes.reports.reminders, "send_reminder_now", refuse)
    client = report_org_app.test_client()
    login(client, "m1")
    r = client.post("/leder/paamind", data={"medarbejder": "e2", "kursus": "kursus-a",
                                            "csrf_token": token(client, "/leder")}, follow_redirects=True)
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "Påmindelsen til Person E2 kunne ikke sendes lige nu" in text and "IT har fået besked" in text
    assert "Mailserveren" not in text, "the technical reason goes to the operator's log, not to the manager"


def test_deputy_form_grants_validates_and_revokes(report_org_app):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.org.models import Deputy

    client = report_org_app.test_client()
    login(client, "m1")
    url = "/leder/stedfortraedere"
    csrf = token(client, url)
    bad = client.post(url, data={"kollega": "ukendt@x.dk", "fra": "2026-12-01", "til": "2026-11-01",
                                 "csrf_token": csrf})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Vi fandt ingen aktiv medarbejder" in text and "Slutdatoen skal ligge efter startdatoen" in text
    assert client.post(url, data={"kollega": "m1", "fra": "2026-12-01", "til": "2026-12-02",
                                  "csrf_token": csrf}).status_code == 400
    ok = client.post(url, data={"kollega": email("e1").upper(), "fra": "2026-11-29", "til": "2026-12-05",
                                "csrf_token": csrf})
    assert ok.status_code == 302
    other = report_org_app.test_client()
    login(other, "e1")
    assert other.get("/leder").status_code == 200  # e1 now sees m1's view
    with report_org_app.app_context():
        row = db.session.query(Deputy).filter_by(deputy_staff_no="e1").one()
        assert db.session.query(AuditEvent).filter_by(action="deputy.grant", target="e1").count() == 1
    r = client.post(f"{url}/{row.id}/tilbagekald", data={"csrf_token": csrf})
    assert r.status_code == 302
    assert other.get("/leder").status_code == 403
    # Another manager cannot revoke m1's deputies; an ordinary employee has no deputy page.
    with report_org_app.app_context():
        d1 = db.session.query(Deputy).filter_by(deputy_staff_no="d1").one().id
    boss = report_org_app.test_client()
    login(boss, "boss")
    assert boss.post(f"{url}/{d1}/tilbagekald", data={"csrf_token": token(boss, url)}).status_code == 404
    assert other.get(url).status_code == 403


# --- the municipality view -------------------------------------------------------------------------
def test_municipality_figures_and_monthly_trend(report_org_app):
    from quizzes.courses import catalogue
    from quizzes.reports import figures as reports

    with report_org_app.app_context():
        m = reports.municipality(TODAY, catalogue())
        assert m.months[0] == dt.date(2025, 11, 30) and m.months[-1] == dt.date(2026, 10, 31)
        sof_a = m.by_admin_course[("SOF", "kursus-a")]
        assert (sof_a.done, sof_a.assigned, sof_a.done_pct) == (4, 9, 44)  # m1, e1, e3, m2 of 9 (ex1 exempt)
        assert sof_a.counts[Status.EXPIRED] == 1  # z1
        bif_a = m.by_admin_course[("BIF", "kursus-a")]
        assert (bif_a.done, bif_a.assigned) == (1, 5)
        assert ("BIF", "kursus-b") not in m.by_admin_course
        # SOF, kursus-a and kursus-b together; 7 kursus-a people employed throughout (e4, e5 started in
        # November 2026), 8 kursus-b people; valid: z1 until May 2026, e3 from Dec, m2 from Jan, m1 from
        # Mar, e1 from Jun. Nobody passed kursus-b.
        valid = [v for v, _ in m.trend["SOF"]]
        assigned = {n for _, n in m.trend["SOF"]}
        assert valid == [1, 2, 3, 3, 4, 4, 3, 4, 4, 4, 4, 4]
        assert assigned == {7 + 8}
        assert m.trend["BIF"] == [(0, 5), (0, 5), (0, 5), (1, 5)] + [(1, 5)] * 8
        assert m.trend[""][-1] == (5, 7 + 8 + 5 + 2)  # plus ØKF's two (editor, admin), none passed


def test_municipality_page_shows_charts_with_tables(report_org_app):
    client = report_org_app.test_client()
    login(client, "adm")
    html = client.get("/kommune").get_data(as_text=True)
    assert 'data-label="31. oktober 2026" data-value="23"' in html  # 5 of 22
    assert "44 % (4 af 9)" in html
    assert "gyldig gennemførelse" in html  # the definition is on the page


# --- knowledge gaps --------------------------------------------------------------------------------
def test_knowledge_gaps_count_first_answers_and_hide_small_groups(report_org_app):
    from quizzes.reports.gaps import knowledge_gaps

    with report_org_app.app_context():
        admins, gaps = knowledge_gaps()
    assert "SOF" in admins and "BIF" in admins
    sof = gaps["partshoering"]["SOF"]  # m1, e1, e3, m2, e6 on qa1; e1's first kursus-b attempt on qb1
    assert (sof.people, sof.answers, sof.wrong, sof.hidden, sof.wrong_pct) == (5, 6, 4, False, 67)
    assert gaps["begrundelse"]["SOF"].wrong_pct == 40
    bif = gaps["partshoering"]["BIF"]
    assert (bif.people, bif.hidden, bif.wrong_pct) == (2, True, None)


def test_knowledge_gap_page(report_org_app):
    client = report_org_app.test_client()
    login(client, "ed")
    html = client.get("/kommune/videnshuller").get_data(as_text=True)
    assert "færre end 5 – skjult" in html
    assert 'data-value="63"' in html  # partshøring, whole municipality: 5 of 8
    assert html.index("partshoering") < html.index("begrundelse")  # the biggest gap first
