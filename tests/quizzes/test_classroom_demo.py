"""The demo's classroom sessions: past and coming, bookings, a wait-list, attendance and the trainer account."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select


@pytest.mark.slow
def test_demo_has_sessions_for_every_page(db_app):
    from klarret.db import db
    from klarret.demo import load_demo_data
    from klarret.org.models import Employee
    from klarret.roles import Role
    from quizzes.classroom.cli import session_rows
    from quizzes.classroom.models import ClassroomBooking

    with db_app.app_context():
        load_demo_data()
        assert load_demo_data()["medarbejdere"] == 2000  # idempotent, and the population stays 2,000
        rows = session_rows()
        now = dt.datetime.now()
        assert sum(dt.datetime.fromisoformat(r["start"]) < now for r in rows) == 2
        assert sum(dt.datetime.fromisoformat(r["start"]) > now for r in rows) == 4
        assert any(r["waitlisted"] == 2 and r["booked"] == r["capacity"] for r in rows)
        states = dict(db.session.execute(select(ClassroomBooking.state, func.count())
                                         .group_by(ClassroomBooking.state)).all())
        assert states["attended"] >= 9 and states["partial"] == 1 and states["no_show"] == 1
        trainer = db.session.scalar(select(Employee).where(Employee.email == "underviser@demo.klarret.dk"))
        assert Role.TRAINER in trainer.roles and trainer.password_hash
