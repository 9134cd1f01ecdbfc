"""Demo data for `make run`: the organisation and a few demo accounts (demo mode only)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from klarret.auth import hash_password
from klarret.db import db
from klarret.people import Employee, Unit, UnitManager, ensure_administrations, unit_by_path

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
# (staff number, name, e-mail, administration, unit path, job title, role, manages unit path)
DEMO_PEOPLE = [
    ("000101", "Anna Demo", "anna@demo.klarret.dk", "SOF", "Center for Udsatte Voksne / Team Nord",
     "Socialrådgiver", "employee", None),
    ("000102", "Bo Demo", "bo@demo.klarret.dk", "BIF", "Jobcenter København / Ydelsesservice",
     "Sagsbehandler", "employee", None),
    ("000103", "Leila Demo", "leila@demo.klarret.dk", "SOF", "Center for Udsatte Voksne",
     "Centerchef", "employee", "Center for Udsatte Voksne"),
    ("000104", "Erik Demo", "erik@demo.klarret.dk", "ØKF", "Borgerrådgiveren / Sekretariatet",
     "Jurist", "editor", None),
    ("000105", "Admin Demo", "admin@demo.klarret.dk", "ØKF", "Borgerrådgiveren / Sekretariatet",
     "Chefkonsulent", "admin", None),
]


def load_demo_data(today: dt.date | None = None) -> dict[str, int]:
    """Create the demo organisation and people unless they exist; return table counts."""
    today = today or dt.date.today()
    ensure_administrations()
    for code, paths in DEMO_UNITS.items():
        for path in paths:
            unit_by_path(code, path)
    for staff_no, name, email, code, path, title, role, manages in DEMO_PEOPLE:
        if db.session.get(Employee, staff_no) is None:
            db.session.add(Employee(staff_no=staff_no, name=name, email=email,
                                    unit=unit_by_path(code, path), job_title=title, role=role,
                                    password_hash=hash_password(DEMO_PASSWORD),
                                    start_date=today - dt.timedelta(days=30 if staff_no == "000102" else 800)))
            db.session.flush()
            if manages:
                db.session.add(UnitManager(unit_id=unit_by_path(code, manages).id, staff_no=staff_no))
    db.session.commit()
    return {
        "forvaltninger": 7,
        "enheder": db.session.scalar(select(func.count()).select_from(Unit)),
        "medarbejdere": db.session.scalar(select(func.count()).select_from(Employee)),
    }
