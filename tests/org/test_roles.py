"""A person's set of roles: the stored representation, its migration, and the purge."""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import func, select, text


def test_the_roles_migration_keeps_each_persons_role(basic_build, database_url, tmp_path):
    """employee.role ("employee", "editor", "admin") becomes rows in employee_role, and back."""
    from flask_migrate import downgrade, upgrade

    from klarret.app import create_app
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.roles import Role
    from tests.conftest import _apps

    os.environ["KLARRET_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
                      "KLARRET_BUILD_DIR": basic_build, "KLARRET_HTML_DIR": basic_build / "html",
                      "KLARRET_INDEX_DIR": basic_build / "index"})
    _apps.append(app)
    with app.app_context():
        upgrade(revision="b1report0001")
        for staff_no, role in (("1", "employee"), ("2", "editor"), ("3", "admin")):
            db.session.execute(text("INSERT INTO employee (staff_no, name, job_title, active, excluded_from_stats, "
                                    "role) VALUES (:s, :n, '', :t, :f, :r)"),
                               {"s": staff_no, "n": f"Person {staff_no}", "r": role, "t": True, "f": False})
        db.session.commit()
        upgrade()
        assert sorted(db.session.execute(text("SELECT staff_no, role FROM employee_role")).all()) == [
            ("2", "editor"), ("3", "administrator")]
        assert {e.staff_no: e.roles for e in db.session.scalars(select(Employee))} == {
            "1": {Role.EMPLOYEE}, "2": {Role.EMPLOYEE, Role.EDITOR}, "3": {Role.EMPLOYEE, Role.ADMINISTRATOR}}
        db.session.get(Employee, "1").roles = {Role.TRAINER}
        db.session.commit()
        db.session.remove()
        downgrade(revision="b1report0001")
        assert sorted(db.session.execute(text("SELECT staff_no, role FROM employee")).all()) == [
            ("1", "employee"), ("2", "editor"), ("3", "admin")], "a trainer has no place in one role"
        db.session.remove()
        db.engine.dispose()


def test_roles_are_a_set_and_employee_is_implicit(db_app):
    from klarret.db import db
    from klarret.org.models import Employee, EmployeeRole
    from klarret.roles import Role

    with db_app.app_context():
        db.session.add(Employee(staff_no="7", name="Ib", roles={Role.EDITOR, Role.TRAINER, Role.EMPLOYEE}))
        db.session.commit()
        ib = db.session.get(Employee, "7")
        assert ib.roles == {Role.EMPLOYEE, Role.EDITOR, Role.TRAINER}
        assert sorted(db.session.scalars(select(EmployeeRole.role))) == ["editor", "trainer"], "employee not stored"
        assert ib.has_role(Role.EDITOR) and not ib.has_role(Role.ADMINISTRATOR)
        ib.roles = {Role.ADMINISTRATOR}
        db.session.commit()
        assert db.session.get(Employee, "7").roles == {Role.EMPLOYEE, Role.ADMINISTRATOR}
        assert ib.has_role(Role.TRAINER), "an administrator may do everything"


def test_the_purge_takes_a_leavers_roles(db_app):
    from klarret.db import db
    from klarret.org.models import Employee, EmployeeRole
    from klarret.org.retention import ANONYMOUS_NAME, purge
    from klarret.roles import Role

    with db_app.app_context():
        db.session.add(Employee(staff_no="8", name="Gået", active=False, end_date=dt.date(2015, 1, 31),
                                roles={Role.EDITOR}, emergency_access=True, password_hash="x"))
        db.session.add(Employee(staff_no="9", name="Bliver", roles={Role.EDITOR}))
        db.session.commit()
        assert purge("cli", years=5, today=dt.date(2026, 12, 1)) == 1
        anon = db.session.scalar(select(Employee).where(Employee.name == ANONYMOUS_NAME))
        assert anon.roles == {Role.EMPLOYEE} and db.session.get(Employee, "8") is None
        assert not anon.emergency_access and anon.password_hash is None, "no way to log in as the anonymised row"
        assert db.session.scalar(select(func.count()).select_from(EmployeeRole)) == 1  # "9" keeps the role
