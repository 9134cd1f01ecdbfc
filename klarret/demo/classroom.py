"""Demo classroom sessions: past ones with attendance, one still open for marking, coming ones with
bookings and a wait-list, all taught by the demo trainer (underviser@demo.klarret.dk)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from klarret import clock
from klarret.db import db
from klarret.org.models import Employee, UnitManager

TRAINER = "000110"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def load_sessions(rng: random.Random, today: dt.date) -> None:
    """Create the demo sessions once (nothing happens if any session exists)."""
    from quizzes.classroom.booking import book, create_session
    from quizzes.classroom.models import ClassroomBooking, ClassroomSession, State
    from quizzes.courses import catalogue

    courses = catalogue()
    if "ledere" not in courses or "kend-borgerraadgiveren" not in courses:
        return
    if db.session.scalar(select(func.count()).select_from(ClassroomSession)):
        return
    managers = sorted(set(db.session.scalars(select(UnitManager.staff_no).join(
        Employee, Employee.staff_no == UnitManager.staff_no).where(Employee.active.is_(True)))) - {"000103"})
    newcomers = sorted(db.session.scalars(select(Employee.staff_no).where(
        Employee.active.is_(True), Employee.start_date >= today - dt.timedelta(days=90),
        Employee.staff_no.not_like("0001%"))))
    rng.shuffle(managers)
    rng.shuffle(newcomers)
    place = "Rådhuset, Borgerrådgiverens mødelokale"

    def session(course: str, start: dt.datetime, hours: int, capacity: int, **kw) -> ClassroomSession:
        return create_session(course, start, start + dt.timedelta(hours=hours), capacity, "demo",
                              place=kw.pop("place", place), trainers=[TRAINER], **kw)

    def marked(s: ClassroomSession, people: list[str], states: list[str]) -> None:
        """Bookings of a past session, written as they ended up (booking itself is closed by now)."""
        for staff_no, state in zip(people, states, strict=False):
            db.session.add(ClassroomBooking(
                session_id=s.id, staff_no=staff_no, course_id=s.course_id, state=state, booked_by=staff_no,
                booked_at=clock.now() - dt.timedelta(days=40), changed_at=clock.now(), sequence=0,
                attended_on=s.starts_at.date() if state in (State.ATTENDED, State.PARTIAL) else None))
        db.session.commit()

    # Past: a managers' session a month ago, fully marked; an introduction meeting two days ago, not yet marked.
    old = session("ledere", _at(today - dt.timedelta(days=30), 9), 3, 12)
    marked(old, managers[:12], [State.ATTENDED] * 9 + [State.PARTIAL, State.NO_SHOW, State.ATTENDED])
    recent = session("kend-borgerraadgiveren", _at(today - dt.timedelta(days=2), 13), 2, 15)
    marked(recent, ["000102", *newcomers[:9]], [State.BOOKED] * 10)
    # Coming: a full managers' session with a wait-list (Leila has a seat), an open one online, and
    # two introduction meetings (one only for SOF).
    full = session("ledere", _at(today + dt.timedelta(days=12), 9), 3, 8)
    for staff_no in ["000103", *managers[12:21]]:
        book(full.id, staff_no, "demo")
    session("ledere", _at(today + dt.timedelta(days=33), 9), 3, 20, place="",
            online_url="https://teams.microsoft.com/l/meetup-join/klarret-demo")
    intro = session("kend-borgerraadgiveren", _at(today + dt.timedelta(days=16), 10), 2, 25)
    for staff_no in newcomers[9:21]:
        book(intro.id, staff_no, "demo")
    session("kend-borgerraadgiveren", _at(today + dt.timedelta(days=23), 10), 2, 20, administrations=["SOF"],
            place="Socialforvaltningen, Bernstorffsgade 17")
