"""Deputy rules (klarret.org.deputies) without the pages: who may be named, which periods, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def org(db_app):
    """A manager, an active colleague and a colleague who has left."""
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.org.write import unit_by_path

    with db_app.app_context():
        unit = unit_by_path("SOF", "Center X / Team 24/7")
        for staff_no, active in (("m1", True), ("c1", True), ("gone", False)):
            db.session.add(Employee(staff_no=staff_no, name=f"Person {staff_no}", email=f"{staff_no}@kk.example",
                                    unit=unit, active=active))
        db.session.commit()
        yield db_app


def test_period_rules(org):
    from klarret.org import deputies

    def til_error(start: str, end: str) -> str | None:
        return deputies.check("m1", "c1", start, end, TODAY).errors.get("til")

    assert til_error("2026-12-01", "2027-12-02") is None  # 366 days: a leap-proof year
    assert til_error("2026-12-01", "2027-12-03") == "En stedfortræder kan højst udpeges for et år ad gangen."
    assert til_error("2026-12-01", "2026-11-30") == "Slutdatoen skal ligge efter startdatoen."
    assert til_error("2026-11-01", "2026-11-29") == "Slutdatoen er passeret. Vælg en dato fra i dag og frem."
    assert til_error("2026-11-01", "30-11-2026") == "Skriv slutdatoen som en dato, fx 2026-12-31."
    assert deputies.check("m1", "c1", "i morgen", "2026-12-01", TODAY).errors == {
        "fra": "Skriv startdatoen som en dato, fx 2026-12-01."}


def test_who_may_be_named(org):
    from klarret.org import deputies

    def who_error(key: str) -> str | None:
        return deputies.check("m1", key, "2026-12-01", "2026-12-31", TODAY).errors.get("kollega")

    ok = deputies.check("m1", " C1@KK.example ", "2026-12-01", "2026-12-31", TODAY)
    assert ok.errors == {} and ok.deputy.staff_no == "c1"
    assert who_error("") == "Skriv kollegaens navn, medarbejdernummer eller e-mailadresse."
    assert who_error("gone").startswith("Vi fandt ingen aktiv medarbejder med »gone«")
    assert who_error("m1") == "Du kan ikke være stedfortræder for dig selv. Vælg en kollega."


def test_a_colleague_can_be_found_by_name(org):
    from klarret.org import deputies

    def nominate(key: str):
        return deputies.check("m1", key, "2026-12-01", "2026-12-31", TODAY)

    assert nominate("person C1").deputy.staff_no == "c1", "the whole name, any case"
    assert nominate("son c").deputy.staff_no == "c1", "part of a name that fits one person"
    ambiguous = nominate("Person").errors["kollega"]
    assert ambiguous.startswith("Flere medarbejdere passer på »Person«: Person c1 (medarbejdernummer c1, Team 24/7); "
                                "Person m1 (medarbejdernummer m1, Team 24/7).")
    assert "Skriv hele navnet eller medarbejdernummeret" in ambiguous
    assert nominate("Person gone").errors["kollega"].startswith("Vi fandt ingen aktiv medarbejder"), "leavers never"
    assert nominate("100%_").errors["kollega"].startswith("Vi fandt ingen"), "% and _ are letters, not wildcards"


def test_grant_and_revoke_are_audited_and_only_the_manager_revokes(org):
    from klarret.audit import AuditEvent
    from klarret.db import db
    from klarret.org import deputies
    from klarret.org.scope import delegating_managers

    with pytest.raises(ValueError):
        deputies.grant("m1", deputies.check("m1", "m1", "2026-12-01", "2026-12-31", TODAY))
    row = deputies.grant("m1", deputies.check("m1", "c1", "2026-11-30", "2026-12-31", TODAY))
    assert delegating_managers("c1", TODAY) == ["m1"]
    assert [(d.deputy_staff_no, name) for d, name in deputies.named_by("m1", TODAY)] == [("c1", "Person c1")]
    assert [tuple(r) for r in deputies.serving("c1", TODAY)] == [("Person m1", dt.date(2026, 12, 31))]
    assert deputies.revoke("c1", row.id) is False  # not the deputy's own to end
    assert deputies.revoke("m1", row.id) is True and delegating_managers("c1", TODAY) == []
    actions = [(e.action, e.actor, e.target) for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions == [("deputy.grant", "m1", "c1"), ("deputy.revoke", "m1", "c1")]
