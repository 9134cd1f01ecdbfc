"""The authorization matrix: every role × every report page, export and admin page.

Every URL rule under /min-side, /leder, /kommune and /admin must have a row here, so a new page
without a decision about who may see it fails this test.
"""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.support.report_org import TODAY, login, make_report_app

PREFIXES = ("/min-side", "/leder", "/kommune", "/admin")
ROLES = {  # role -> staff number logged in (None: anonymous)
    "anonymous": None, "employee": "e1", "manager": "m1", "deputy": "d1", "expired_deputy": "d2",
    "editor": "ed", "admin": "adm",
}
LOGIN = 302  # anonymous visitors are sent to the login page
MANAGERS_ONLY = {"anonymous": LOGIN, "employee": 403, "manager": 200, "deputy": 200, "expired_deputy": 403,
                 "editor": 403, "admin": 200}
FOREIGN = {**MANAGERS_ONLY, "manager": 404, "deputy": 404}  # another manager's unit: not found
ADMIN_ONLY = {"anonymous": LOGIN, "employee": 403, "manager": 403, "deputy": 403, "expired_deputy": 403,
              "editor": 403, "admin": 200}
EVERYONE = {role: (LOGIN if role == "anonymous" else 200) for role in ROLES}

# (method, rule) -> list of (url, form data, {role: status})
MATRIX = {
    ("GET", "/min-side"): [("/min-side", None, EVERYONE)],
    ("GET", "/leder"): [("/leder", None, MANAGERS_ONLY), ("/leder?kursus=kursus-a&status=forfalden", None,
                                                         MANAGERS_ONLY)],
    ("GET", "/leder/enhed/<int:unit_id>"): [
        ("/leder/enhed/{team1}", None, MANAGERS_ONLY),
        ("/leder/enhed/{center_b}", None, FOREIGN),
        ("/leder/enhed/{bif_top}", None, FOREIGN),
        ("/leder/enhed/999999", None, {**FOREIGN, "admin": 404}),
    ],
    ("GET", "/leder/eksport.csv"): [
        ("/leder/eksport.csv", None, MANAGERS_ONLY),
        ("/leder/eksport.csv?enhed={team1}", None, MANAGERS_ONLY),
        ("/leder/eksport.csv?enhed={center_b}", None, FOREIGN),
        ("/leder/eksport.csv?enhed=x", None, {**FOREIGN, "admin": 404}),
    ],
    ("GET", "/leder/eksport.xlsx"): [
        ("/leder/eksport.xlsx", None, MANAGERS_ONLY),
        ("/leder/eksport.xlsx?enhed={center_b}", None, FOREIGN),
    ],
    ("POST", "/leder/paamind"): [
        ("/leder/paamind", {"medarbejder": "e2", "kursus": "kursus-a"}, {**MANAGERS_ONLY, "manager": 302,
                                                                       "deputy": 302, "admin": 302}),
        ("/leder/paamind", {"medarbejder": "e6", "kursus": "kursus-a"}, {**FOREIGN, "admin": 302}),
    ],
    ("POST", "/leder/paamind/flere"): [  # step 1, the confirmation page; another manager's people are left out
        ("/leder/paamind/flere", {"valgt": "e2|kursus-a", "hvem": "valgte"}, MANAGERS_ONLY),
        ("/leder/paamind/flere", {"valgt": "e6|kursus-a", "hvem": "valgte"}, {**MANAGERS_ONLY, "manager": 302,
                                                                            "deputy": 302}),
    ],
    ("GET", "/leder/stedfortraedere"): [
        ("/leder/stedfortraedere", None, {**ADMIN_ONLY, "manager": 200, "admin": 403}),  # only managers name deputies
    ],
    ("POST", "/leder/stedfortraedere"): [
        ("/leder/stedfortraedere", {"kollega": "b1", "fra": "2026-12-01", "til": "2026-12-02"},
         {**ADMIN_ONLY, "manager": 302, "admin": 403}),
    ],
    ("POST", "/leder/stedfortraedere/<int:deputy_id>/tilbagekald"): [
        # m2's deputyship: nobody else may end it (not even m1, whose own deputies are tested elsewhere).
        ("/leder/stedfortraedere/{m2_deputy}/tilbagekald", None,
         {role: (LOGIN if role == "anonymous" else 404) for role in ROLES}),
    ],
    ("GET", "/kommune"): [("/kommune", None, ADMIN_ONLY)],
    ("GET", "/kommune/videnshuller"): [("/kommune/videnshuller", None, {**ADMIN_ONLY, "editor": 200})],
    ("GET", "/admin/"): [("/admin/", None, ADMIN_ONLY)],
    ("GET", "/admin/import"): [("/admin/import", None, ADMIN_ONLY)],
    ("POST", "/admin/import/bekraeft"): [("/admin/import/bekraeft", {}, {**ADMIN_ONLY, "admin": 302})],
    ("GET", "/admin/medarbejdere"): [("/admin/medarbejdere?q=e2", None, ADMIN_ONLY)],
    ("GET", "/admin/medarbejdere/<staff_no>"): [
        ("/admin/medarbejdere/e2", None, ADMIN_ONLY),
        ("/admin/medarbejdere/findes-ikke", None, {**ADMIN_ONLY, "admin": 404}),
    ],
    ("POST", "/admin/medarbejdere/<staff_no>"): [  # the roles (none ticked) and statistics flag e2 already has
        ("/admin/medarbejdere/e2", {}, {**ADMIN_ONLY, "admin": 302}),
    ],
    ("POST", "/admin/import"): [("/admin/import", {}, {**ADMIN_ONLY, "admin": 400})],
    ("GET", "/admin/revisionslog"): [("/admin/revisionslog", None, ADMIN_ONLY)],
    ("GET", "/admin/post"): [("/admin/post", None, ADMIN_ONLY)],
}
CENTER_A = {"m1", "e1", "e2", "e3", "ex1", "e4", "e5"}  # active, not excluded
TEAM_1 = {"e1", "e2", "e3", "ex1"}


@pytest.fixture
def matrix_app(basic_build, database_url, tmp_path, monkeypatch):
    """The report organisation, CSRF off (the matrix is about roles), reminders recorded not e-mailed."""
    import quizzes.reports.reminders
    from klarret.db import db
    from klarret.org.models import Deputy
    from klarret.org.write import unit_by_path

    monkeypatch.setattr(quizzes.reports.reminders, "send_reminder_now", lambda *a, **k: None)
    app = make_report_app(basic_build, database_url, tmp_path, WTF_CSRF_ENABLED=False)
    with app.app_context():
        row = Deputy(manager_staff_no="m2", deputy_staff_no="b1", valid_from=TODAY, valid_to=TODAY)
        db.session.add(row)
        db.session.commit()
        app.config["MATRIX_IDS"] = {
            "team1": unit_by_path("SOF", "Center A / Team 1").id, "center_b": unit_by_path("SOF", "Center B").id,
            "bif_top": unit_by_path("BIF", "").id, "m2_deputy": row.id}
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_every_report_and_admin_rule_is_in_the_matrix(matrix_app):
    rules = {(method, r.rule) for r in matrix_app.url_map.iter_rules() if r.rule.startswith(PREFIXES)
             for method in r.methods - {"HEAD", "OPTIONS"}}
    missing = rules - set(MATRIX)
    assert not missing, f"add these rules to MATRIX in tests/app/test_authorization.py: {sorted(missing)}"
    assert ("GET", "/leder") in rules and ("GET", "/kommune/videnshuller") in rules
    stale = set(MATRIX) - rules
    assert not stale, f"these MATRIX rows name no route any more; update or remove them: {sorted(stale)}"


def _staff_numbers(response, kind: str) -> set[str]:
    body = response.get_data()
    if kind == "csv":
        text = body.decode("utf-8-sig")
        return {row[0] for row in list(csv.reader(io.StringIO(text), delimiter=";"))[1:]}
    ws = load_workbook(io.BytesIO(body), read_only=True).active
    return {str(row[0]) for row in list(ws.iter_rows(values_only=True))[1:]}


@pytest.mark.parametrize("role", list(ROLES))
def test_authorization_matrix(matrix_app, role):
    client = matrix_app.test_client()
    if ROLES[role]:
        login(client, ROLES[role])
    ids = matrix_app.config["MATRIX_IDS"]
    failures = []
    for (method, _rule), cases in MATRIX.items():  # a stale row fails the test above
        for url, data, expected in cases:
            url = url.format(**ids)
            r = client.post(url, data=data or {}) if method == "POST" else client.get(url)
            r.get_data()  # run a streamed export to its end, inside its request
            r.close()
            want = expected[role]
            if r.status_code != want:
                failures.append(f"{method} {url}: {r.status_code}, expected {want}")
            elif want == LOGIN and role == "anonymous" and "/login" not in r.headers.get("Location", ""):
                failures.append(f"{method} {url}: redirected to {r.headers.get('Location')}, not the login page")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role,kind,unit,expected", [
    ("manager", "csv", None, CENTER_A),
    ("manager", "xlsx", None, CENTER_A),
    ("deputy", "csv", None, CENTER_A),
    ("manager", "csv", "team1", TEAM_1),
    ("admin", "csv", "center_b", {"m2", "e6"}),
])
def test_exports_contain_only_the_scope(matrix_app, role, kind, unit, expected):
    client = matrix_app.test_client()
    login(client, ROLES[role])
    query = f"?enhed={matrix_app.config['MATRIX_IDS'][unit]}" if unit else ""
    r = client.get(f"/leder/eksport.{kind}{query}")
    assert r.status_code == 200
    assert _staff_numbers(r, kind) == expected


def test_admin_export_contains_everyone_counted(matrix_app):
    client = matrix_app.test_client()
    login(client, "adm")
    got = _staff_numbers(client.get("/leder/eksport.csv"), "csv")
    assert got == {"m1", "e1", "e2", "e3", "ex1", "e4", "e5", "m2", "e6", "z1", "boss", "b1", "b2", "d1", "d2",
                   "ed", "adm"}  # not x1 (excluded from statistics), not the leaver
