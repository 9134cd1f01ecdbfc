"""The demo data (`make run`): its course activity follows the real assignment rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

TODAY = dt.date(2026, 12, 2)


@pytest.mark.slow
def test_demo_assignments_are_the_status_engines(db_app):
    from klarret.db import db
    from klarret.demo import load_demo_data
    from klarret.demo.activity import assignments
    from klarret.org.models import Employee, Unit
    from quizzes.completion.status import status_rows
    from quizzes.courses import catalogue
    from quizzes.models import Attempt

    with db_app.app_context():
        load_demo_data(TODAY)
        courses = catalogue(db_app)
        people = db.session.execute(select(Employee.staff_no, Unit.administration_code, Employee.unit_id,
                                           Employee.start_date).outerjoin(Unit, Unit.id == Employee.unit_id)
                                    .where(Employee.active.is_(True))).all()
        engine = {(r.staff_no, r.course_id) for r in status_rows(today=TODAY, include_excluded=True)}
        assert set(assignments(people, courses, TODAY)) == engine
        # The attempts follow them: nobody took a mandatory course that is not theirs (the demo once
        # counted "nye" as 365 days where kend-borgerraadgiveren says nye_dage = 90).
        mandatory = {cid for cid, c in courses.items() if c.rules}
        taken = set(db.session.execute(select(Attempt.staff_no, Attempt.course_id).join(
            Employee, Employee.staff_no == Attempt.staff_no).where(Employee.active.is_(True))).all())
        strays = {(s, c) for s, c in taken if c in mandatory} - engine
        assert not strays, sorted(strays)[:10]
        assert {c for _, c in taken} >= mandatory, "every mandatory course has demo activity"
        assert len(engine) > 2000
