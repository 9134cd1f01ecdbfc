"""Demo data for `make run`: the organisation, 2,000 employees, attempts, classroom sessions and the demo
accounts (demo only)."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from klarret import clock
from klarret.auth import hash_password
from klarret.db import db
from klarret.demo.org import people, unit_trees
from klarret.org.models import Employee, Unit, UnitManager, ensure_administrations
from klarret.org.write import unit_by_path
from klarret.roles import Role

DEMO_UNITS = {
    "SOF": ["Center for Udsatte Voksne / Team Nord", "Center for Udsatte Voksne / Team Syd",
            "Borgercenter Handicap / Rådgivning"],
    "BIF": ["Jobcenter København / Ydelsesservice", "Jobcenter København / Team Kontanthjælp"],
    "TMF": ["Byggeri / Byggesager City", "Byggeri / Byggesager Amager"],
    "BUF": ["Skoler / Skoleafdelingen", "Familie og Dagtilbud / Pladsanvisningen"],
    "SUF": ["Hjemmepleje / Område Vest", "Visitation / Team Plejebolig"],
    "KFF": ["Borgerservice / Borgerservice Nørrebro", "Biblioteker / Hovedbiblioteket"],
    "ØKF": ["Koncernservice / Løn", "Borgerrådgiveren / Sekretariatet"],
}
# Demo mode only: every demo account has this password (see README).
DEMO_PASSWORD = "klarret-demo"
# (staff number, name, e-mail, administration, unit path, job title, roles, manages unit path)
DEMO_PEOPLE = [
    ("000101", "Anna Demo", "anna@demo.klarret.dk", "SOF", "Center for Udsatte Voksne / Team Nord",
     "Socialrådgiver", set(), None),
    ("000102", "Bo Demo", "bo@demo.klarret.dk", "BIF", "Jobcenter København / Ydelsesservice",
     "Sagsbehandler", set(), None),
    ("000103", "Leila Demo", "leila@demo.klarret.dk", "SOF", "Center for Udsatte Voksne",
     "Centerchef", set(), "Center for Udsatte Voksne"),
    ("000104", "Erik Demo", "erik@demo.klarret.dk", "ØKF", "Borgerrådgiveren / Sekretariatet",
     "Jurist", {Role.EDITOR}, None),
    ("000105", "Admin Demo", "admin@demo.klarret.dk", "ØKF", "Borgerrådgiveren / Sekretariatet",
     "Chefkonsulent", {Role.ADMINISTRATOR}, None),
    ("000110", "Ulla Underviser", "underviser@demo.klarret.dk", "ØKF", "Borgerrådgiveren / Sekretariatet",
     "Underviser", {Role.TRAINER}, None),
]
STAFF = 2000  # employees in the demo organisation, the demo accounts included
SEED = 2026
FIRST_STAFF_NO = 100000  # generated staff numbers: "0100000" and up (the demo accounts are 0001xx)


def load_demo_data(today: dt.date | None = None, population: bool = True) -> dict[str, int]:
    """Create the demo organisation, people and course activity unless they exist; return table counts.

    ``population=False`` creates only the demo accounts and their units (tests that count rows)."""
    today = today or clock.today()
    ensure_administrations()
    for code, paths in DEMO_UNITS.items():
        for path in paths:
            unit_by_path(code, path)
    hashed = None  # one argon2 hash for every demo account: hashing is slow on purpose
    for staff_no, name, email, code, path, title, roles, manages in DEMO_PEOPLE:
        if db.session.get(Employee, staff_no) is None:
            hashed = hashed or hash_password(DEMO_PASSWORD)
            db.session.add(Employee(staff_no=staff_no, name=name, email=email,
                                    unit=unit_by_path(code, path), job_title=title, roles=roles,
                                    password_hash=hashed,
                                    start_date=today - dt.timedelta(days=30 if staff_no == "000102" else 800)))
            db.session.flush()
            if manages:
                db.session.add(UnitManager(unit_id=unit_by_path(code, manages).id, staff_no=staff_no))
    db.session.flush()
    if population and db.session.get(Employee, f"{FIRST_STAFF_NO:07d}") is None:
        _load_staff(today)
    db.session.commit()
    if population:  # so the editors' search statistics show what they are for
        from klarret.demo.searches import load_search_history

        load_search_history(today)
    from quizzes.models import Attempt, Completion

    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    return {"forvaltninger": 7, "enheder": count(Unit), "medarbejdere": count(Employee),
            "forsøg": count(Attempt), "gennemførte": count(Completion)}


def _load_staff(today: dt.date) -> None:
    """The generated organisation: units, ~2,000 people, managers, and their course activity (bulk inserts)."""
    from klarret.org.write import create_units, insert_rows

    rng = random.Random(SEED)
    trees = unit_trees(rng, 280)
    for code, paths in DEMO_UNITS.items():  # people work in the demo accounts' units too
        trees[code] += [p for p in paths if p not in trees[code]]
    staff = people(rng, STAFF - len(DEMO_PEOPLE), trees, today, first_staff_no=FIRST_STAFF_NO)
    units = create_units({(p.administration, p.unit_path) for p in staff}
                         | {(p.administration, p.manages) for p in staff if p.manages})
    insert_rows(Employee, [{
        "staff_no": p.staff_no, "name": p.name, "email": p.email, "unit_id": units[(p.administration, p.unit_path)],
        "job_title": p.job_title, "start_date": p.start_date, "end_date": p.end_date,
        "active": p.end_date is None or p.end_date >= today, "password_hash": None,
        # Long-term leave and test accounts are kept out of the statistics.
        "excluded_from_stats": rng.random() < 0.012, "anonymised_at": None} for p in staff])
    managed = set(db.session.scalars(select(UnitManager.unit_id)))
    rows = []
    for p in staff:
        unit = units.get((p.administration, p.manages)) if p.manages is not None else None
        if unit is not None and unit not in managed and (p.end_date is None or p.end_date >= today):
            managed.add(unit)
            rows.append({"staff_no": p.staff_no, "unit_id": unit})
    insert_rows(UnitManager, rows)
    from quizzes.courses import catalogue

    courses = catalogue()
    if courses:
        from klarret.demo.activity import load_activity

        load_activity(rng, staff, units, courses, today)
        from klarret.demo.classroom import load_sessions

        load_sessions(rng, today)
