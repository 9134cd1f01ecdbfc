"""Single sign-on settings and the emergency password command."""

from __future__ import annotations

import pytest

from klarret.settings import SettingsError, load


def test_the_role_map_is_parsed_and_checked():
    assert load({}).oidc_role_map == (("KlarRet.Administrator", "administrator"), ("KlarRet.Redaktoer", "editor"))
    assert load({"KLARRET_OIDC_ROLE_MAP": " A.B = trainer , C=editor,"}).oidc_role_map == (
        ("A.B", "trainer"), ("C", "editor"))
    for bad in ("KlarRet.Admin=superuser", "KlarRet.Admin", "=editor", "X=employee"):
        with pytest.raises(SettingsError, match="KLARRET_OIDC_ROLE_MAP skal være en liste"):
            load({"KLARRET_OIDC_ROLE_MAP": bad})


def test_single_sign_on_needs_the_issuer_and_the_client_id_together():
    assert not load({}).sso
    assert load({"KLARRET_OIDC_ISSUER": "https://login.example/t/v2.0/", "KLARRET_OIDC_CLIENT_ID": "c"}).sso
    assert load({"KLARRET_OIDC_ISSUER": "https://login.example/t/v2.0/",
                 "KLARRET_OIDC_CLIENT_ID": "c"}).oidc_issuer == "https://login.example/t/v2.0"
    for half in ({"KLARRET_OIDC_ISSUER": "https://login.example"}, {"KLARRET_OIDC_CLIENT_ID": "c"}):
        with pytest.raises(SettingsError, match="skal sættes sammen"):
            load(half)
    with pytest.raises(SettingsError, match="KLARRET_OIDC_ISSUER"):
        load({"KLARRET_OIDC_ISSUER": "login.example", "KLARRET_OIDC_CLIENT_ID": "c"})


def test_the_password_command_sets_an_emergency_password(sso_app):
    """`klarret staff password` sets the hash, can grant emergency access, audits both, ends old sessions."""
    from sqlalchemy import select

    from klarret.audit import AuditEvent
    from klarret.db import db
    from tests.support.web import login

    runner = sso_app.test_cli_runner()
    result = runner.invoke(args=["staff", "password", "000104"], input="kort\nkort\n")
    assert result.exit_code == 1 and "mindst 12 tegn" in result.output
    result = runner.invoke(args=["staff", "password", "999"], input="x" * 12 + "\n" + "x" * 12 + "\n")
    assert result.exit_code == 1 and "ingen aktiv medarbejder" in result.output
    result = runner.invoke(args=["staff", "password", "000104"], input="nød-adgang-2026\nnød-adgang-2026\n")
    assert result.exit_code == 0 and "virker ikke endnu" in result.output
    result = runner.invoke(args=["staff", "password", "000104", "--noedadgang", "--password", "nød-adgang-2026"])
    assert result.exit_code == 0 and "virker ikke" not in result.output
    login(sso_app.test_client(), "erik@demo.klarret.dk", "nød-adgang-2026")
    with sso_app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "cli")).all()
    assert actions == ["employee.password", "employee.password", "employee.emergency"]
