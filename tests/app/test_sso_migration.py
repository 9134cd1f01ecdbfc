"""The emergency-access migration adds a column in place: roles and sessions survive it, both ways."""

from __future__ import annotations

import os

from sqlalchemy import text


def test_roles_and_sessions_survive_the_emergency_access_migration(basic_build, database_url, tmp_path):
    """A batch (copy-the-table) migration on SQLite emptied employee_role through its ON DELETE CASCADE."""
    from flask_migrate import downgrade, upgrade

    from klarret.app import create_app
    from klarret.db import db
    from tests.conftest import _apps

    os.environ["KLARRET_INSTANCE_PATH"] = str(tmp_path / "instance")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test",
                      "KLARRET_BUILD_DIR": basic_build, "KLARRET_HTML_DIR": basic_build / "html",
                      "KLARRET_INDEX_DIR": basic_build / "index"})
    _apps.append(app)
    rows = lambda sql: sorted(tuple(r) for r in db.session.execute(text(sql)).all())  # noqa: E731
    with app.app_context():
        upgrade(revision="e1auth000001")
        db.session.execute(text("INSERT INTO employee (staff_no, name, job_title, active, excluded_from_stats) "
                                "VALUES ('1', 'Person 1', '', :t, :f), ('2', 'Person 2', '', :t, :f)"),
                           {"t": True, "f": False})
        db.session.execute(text("INSERT INTO employee_role (staff_no, role) VALUES ('1', 'administrator'), "
                                "('2', 'editor')"))
        db.session.execute(text("INSERT INTO user_session (id, staff_no, created_at, seen_at) VALUES "
                                "('s1', '1', '2026-12-03 07:00:00', '2026-12-03 07:00:00')"))
        db.session.commit()
        upgrade(revision="e2sso0000001")
        assert rows("SELECT staff_no, role FROM employee_role") == [("1", "administrator"), ("2", "editor")]
        assert rows("SELECT id FROM user_session") == [("s1",)]
        assert rows("SELECT staff_no, emergency_access FROM employee") == [("1", False), ("2", False)]
        db.session.commit()
        downgrade(revision="e1auth000001")
        assert rows("SELECT staff_no, role FROM employee_role") == [("1", "administrator"), ("2", "editor")]
        assert rows("SELECT id FROM user_session") == [("s1",)]
        db.session.remove()
        db.engine.dispose()
