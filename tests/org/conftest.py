"""Fixtures shared by the organisation tests."""

from __future__ import annotations

import pytest

from tests.support.hr import PASSWORD


@pytest.fixture
def people(db_app):
    """An administrator and an ordinary employee with passwords (no demo data: it is slow to load)."""
    from klarret.auth import hash_password
    from klarret.db import db
    from klarret.org.models import Employee, ensure_administrations
    from klarret.org.write import unit_by_path
    from klarret.roles import Role

    with db_app.app_context():
        ensure_administrations()
        hashed = hash_password(PASSWORD)
        unit = unit_by_path("ØKF", "Borgerrådgiveren")
        db.session.add_all([
            Employee(staff_no="900001", name="Ada Admin", email="ada@kk.example", unit=unit, roles={Role.ADMINISTRATOR},
                     password_hash=hashed),
            Employee(staff_no="900002", name="Mo Medarbejder", email="mo@kk.example", unit=unit,
                     password_hash=hashed)])
        db.session.commit()
    return db_app
