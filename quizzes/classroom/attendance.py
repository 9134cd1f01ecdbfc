"""Attendance: the trainer marks everyone present, unticks the absent (or partial), or uploads a CSV.

Marking is open from the session's start until the course's ``fremmoede_dage`` days after it; later
only administrators may change it. Every change is audited and announced as an event.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from sqlalchemy import select

from klarret import audit, clock
from klarret.dates import long_date
from klarret.db import db, lock_row
from klarret.org.models import Employee
from quizzes.classroom.booking import BookingError, _event
from quizzes.classroom.models import MARKED, ClassroomBooking, ClassroomSession, State
from quizzes.courses import catalogue

# The stored states, and the Danish words the error message offers (a caller may use either).
MARKS = {"attended": State.ATTENDED, "partial": State.PARTIAL, "no_show": State.NO_SHOW,
         "deltog": State.ATTENDED, "delvist": State.PARTIAL, "udeblev": State.NO_SHOW}
MAX_CSV_ROWS = 5000
_STAFF_NO = re.compile(r"^[0-9A-Za-z-]{1,32}$")


def marking_closes(session: ClassroomSession) -> dt.date:
    """The last day a trainer may mark attendance."""
    course = catalogue().get(session.course_id)
    days = course.classroom.attendance_days if course and course.classroom else 7
    return session.starts_at.date() + dt.timedelta(days=days)


def check_window(session: ClassroomSession, is_admin: bool) -> None:
    """Raise unless attendance may be marked now by this user."""
    if session.cancelled_at is not None:
        raise BookingError("Holdet er aflyst; der er intet fremmøde at registrere.")
    if clock.local_now() < session.starts_at:
        raise BookingError("Fremmødet kan registreres, når holdet er begyndt.")
    if not is_admin and clock.today() > marking_closes(session):
        raise BookingError(f"Fremmødet kunne registreres til og med {long_date(marking_closes(session))}. "
                           "Bed en administrator om at rette det.")


def mark(session_id: int, marks: dict[str, str], actor: str, *, is_admin: bool = False) -> int:
    """Set each staff number's attendance (attended, partial or no_show); people without a booking
    are added (walk-ins). Returns how many bookings changed."""
    session = lock_row(ClassroomSession, session_id)
    if session is None:
        db.session.rollback()
        raise BookingError("Holdet findes ikke.")
    try:
        check_window(session, is_admin)
        bookings = {b.staff_no: b for b in db.session.scalars(
            select(ClassroomBooking).where(ClassroomBooking.session_id == session_id))}
        changed = 0
        for staff_no, value in marks.items():
            state = MARKS.get(value)
            if state is None:
                raise BookingError(f"Ukendt fremmøde '{value}'; brug deltog, delvist eller udeblev.")
            b = bookings.get(staff_no)
            if b is None:
                if db.session.get(Employee, staff_no) is None:
                    raise BookingError(f"Der er ingen medarbejder med nummeret {staff_no}. Ret nummeret.")
                b = ClassroomBooking(session_id=session_id, staff_no=staff_no, course_id=session.course_id,
                                     booked_by=actor, state=State.BOOKED, sequence=0)
                db.session.add(b)
            elif b.state == State.CANCELLED and state == State.NO_SHOW:
                continue  # cancelled in time: not a no-show
            if b.state == state:
                continue
            b.state, b.changed_at = state, clock.now()
            b.attended_on = session.starts_at.date() if state in (State.ATTENDED, State.PARTIAL) else None
            db.session.flush()
            _event(b, str(state))
            changed += 1
        audit.record(actor, "classroom.attendance", str(session_id), changed=changed,
                     late=clock.today() > marking_closes(session))
        db.session.commit()
        return changed
    except BookingError:
        db.session.rollback()
        raise


def mark_all_present(session_id: int, actor: str, *, is_admin: bool = False) -> int:
    """Everyone with a seat (not yet marked) attended: the one click before unticking the absent."""
    seated = db.session.scalars(select(ClassroomBooking.staff_no).where(
        ClassroomBooking.session_id == session_id, ClassroomBooking.state == State.BOOKED))
    return mark(session_id, {s: "attended" for s in seated}, actor, is_admin=is_admin)


def roster_marks(session_id: int, present: set[str], partial: set[str]) -> dict[str, str]:
    """The roster form: each seated person is attended, partial, or (unticked) a no-show."""
    people = db.session.scalars(select(ClassroomBooking.staff_no).where(
        ClassroomBooking.session_id == session_id, ClassroomBooking.state.in_((State.BOOKED, *MARKED))))
    return {s: "partial" if s in partial else "attended" if s in present else "no_show" for s in people}


def parse_csv(text: str) -> list[str]:
    """Staff numbers from the first column of a CSV (a header line and blank lines are skipped)."""
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    out = []
    for i, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if i >= MAX_CSV_ROWS:
            raise BookingError(f"Filen har over {MAX_CSV_ROWS} linjer. Del den op.")
        value = (row[0] if row else "").strip().strip("\ufeff")
        if not value or (i == 0 and not any(ch.isdigit() for ch in value)):
            continue
        if not _STAFF_NO.match(value):
            raise BookingError(f"Linje {i + 1}: '{value[:40]}' er ikke et medarbejdernummer. Første kolonne skal "
                               "være medarbejdernumre.")
        out.append(value)
    return list(dict.fromkeys(out))


def csv_marks(session_id: int, staff_nos: list[str]) -> dict[str, str]:
    """The CSV lists who came: they attended; everyone else with a seat is a no-show."""
    marks = roster_marks(session_id, set(staff_nos), set())
    marks.update({s: "attended" for s in staff_nos})
    return marks
