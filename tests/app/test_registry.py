"""The registry: the menu each person sees, features' audit labels and health checks, and that the
order of the parts in create_app does not matter."""

from __future__ import annotations

import re

import pytest

from tests.conftest import make_app
from tests.support.report_org import PASSWORD, email, login

GUIDE, COURSES = ("/", "Vejledning"), ("/min-side", "Mine kurser")
BASE = [GUIDE, COURSES]  # the search is the header's box, not a menu link
MENUS = {  # who (staff number, None = anonymous) -> the menu links in order (Log ind/ud aside)
    "anonymous": (None, BASE),
    "employee": ("e1", BASE),
    "manager": ("m1", [*BASE, ("/leder", "Mine medarbejdere")]),
    "deputy": ("d1", [*BASE, ("/leder", "Mine medarbejdere")]),
    "expired_deputy": ("d2", BASE),
    "editor": ("ed", [*BASE, ("/kommune/videnshuller", "Videnshuller"), ("/soeg/statistik", "Søgestatistik")]),
    "admin": ("adm", [*BASE, ("/leder", "Medarbejdernes kurser"), ("/kommune", "Hele kommunen"), ("/hold", "Hold"),
                      ("/admin/", "Administration")]),
}


def menu(client) -> list[tuple[str, str]]:
    """The main menu's links (href, text) on the login page, which every visitor can open."""
    html = client.get("/login").get_data(as_text=True)
    nav = re.search(r'<nav [^>]*aria-label="Hovedmenu">(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', nav)


@pytest.mark.parametrize("who", list(MENUS))
def test_the_menu_each_person_sees(report_org_app, who):
    staff_no, expected = MENUS[who]
    client = report_org_app.test_client()
    if staff_no:
        login(client, staff_no)
    assert menu(client) == expected
    html = client.get("/login").get_data(as_text=True)
    assert ('href="/login">Log ind</a>' in html) if staff_no is None else (">Log ud</button>" in html)


def test_an_administrator_who_is_also_editor_sees_both(report_org_app):
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.roles import Role

    with report_org_app.app_context():
        db.session.get(Employee, "adm").roles = {Role.ADMINISTRATOR, Role.EDITOR}
        db.session.commit()
    client = report_org_app.test_client()
    login(client, "adm")
    assert [label for _, label in menu(client)][2:] == ["Medarbejdernes kurser", "Hele kommunen", "Videnshuller",
                                                         "Søgestatistik", "Hold", "Administration"]


def test_login_goes_to_the_page_a_feature_registered(report_org_app):
    client = report_org_app.test_client()
    html = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    r = client.post("/login", data={"email": email("e1"), "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"] == "/min-side"


def test_a_features_audit_label_appears_on_the_audit_log(report_org_app):
    from klarret import audit
    from klarret.db import db
    from klarret.registry import registry

    registry(report_org_app).add_audit_labels({"test.thing": "Testhandling udført"})
    with report_org_app.app_context():
        audit.record("adm", "test.thing", "e1")
        audit.record("adm", "exemption.grant", "e1/kursus-a")  # registered by quizzes
        audit.record("adm", "employee.role", "e1")  # registered by the organisation (core)
        db.session.commit()
    client = report_org_app.test_client()
    login(client, "adm")
    html = client.get("/admin/revisionslog").get_data(as_text=True)
    assert "Testhandling udført" in html and "Fritagelse givet" in html and "Rolle ændret" in html
    assert '<option value="test.thing"' in html, "a registered action can be chosen in the filter"


def test_a_registered_health_check_shows_in_readyz(report_org_app):
    from klarret.registry import registry

    registry(report_org_app).add_health_check("kalender", lambda: {"ok": True, "bookings": 3})
    body = report_org_app.test_client().get("/readyz").get_json()
    assert body["ok"] and body["checks"]["kalender"] == {"ok": True, "bookings": 3}
    assert set(body["checks"]) == {"database", "search", "kalender"}

    def broken() -> dict:
        raise RuntimeError("kalenderen svarer ikke")

    registry(report_org_app).add_health_check("kalender", broken)
    r = report_org_app.test_client().get("/readyz")
    assert r.status_code == 503 and r.get_json()["checks"]["kalender"] == {"ok": False,
                                                                          "error": "kalenderen svarer ikke"}


def test_role_required_refuses_bare_strings():
    from klarret.auth import role_required

    with pytest.raises(TypeError, match="Role members"):
        role_required("admin")


def test_the_order_of_the_parts_does_not_matter(basic_build, tmp_path, monkeypatch):
    from klarret import app as composition
    from klarret.registry import registry

    def summary(app) -> tuple:
        reg = registry(app)
        return (sorted((r.rule, r.endpoint, tuple(sorted(r.methods))) for r in app.url_map.iter_rules()),
                sorted(reg.nav, key=lambda n: (n.order, n.label)), reg.audit_labels, sorted(reg.health_checks),
                sorted(name for name, _ in reg.build_steps), len(reg.content_report_hooks),
                len(reg.cites_report_hooks), reg.pages, sorted(app.cli.commands))

    forward = make_app(basic_build, f"sqlite:///{tmp_path / 'a.db'}", tmp_path / "a")
    monkeypatch.setattr(composition, "PARTS", tuple(reversed(composition.PARTS)))
    backward = make_app(basic_build, f"sqlite:///{tmp_path / 'b.db'}", tmp_path / "b")
    assert summary(forward) == summary(backward)
    # search exempts its link ping from CSRF before the CSRF part is set up: the exemption still holds.
    assert backward.test_client().post("/soeg/klik?u=/&s=abc1&r=1").status_code == 204
