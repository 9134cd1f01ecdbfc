"""Sessions and bookings: seats, the wait-list (first come, first served), cancellations and promotion.

Every change to a session's bookings first locks the session's row (klarret.db.lock_row), so two
bookings at once cannot both take the last seat and a wait-listed person is promoted only once.
The functions commit; the caller sends the e-mails (quizzes.classroom.notices) afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from klarret import audit, clock
from klarret.dates import long_date
from klarret.db import db, lock_row
from klarret.org.models import Employee
from klarret.org.scope import visible_unit_ids
from klarret.roles import Role
from klarret.workdays import workdays_before
from quizzes.classroom.events import ClassroomEvent, emit
from quizzes.classroom.models import ACTIVE, SEATED, ClassroomBooking, ClassroomSession, SessionTrainer, State
from quizzes.courses import catalogue


class BookingError(ValueError):
    """A booking that is not allowed; the message is Danish and says what to do instead."""


def _check_place(place: str, online_url: str) -> None:
    """A session needs a place or a web link (only http(s): the link is shown to everyone as a link)."""
    if not place.strip() and not online_url.strip():
        raise BookingError("Skriv et sted eller et link til online-undervisningen.")
    if online_url.strip() and not online_url.strip().lower().startswith(("https://", "http://")):
        raise BookingError("Linket til online-undervisningen skal begynde med https://.")


@dataclass
class Outcome:
    """What a booking or cancellation did: the person's booking and anyone promoted from the wait-list."""

    booking: ClassroomBooking
    changed: bool = True  # False: the person already had this place
    promoted: list[ClassroomBooking] = field(default_factory=list)


def default_deadlines(course_id: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """The sign-up and cancellation deadlines from the course's working-day rules."""
    course = catalogue().get(course_id)
    part = course.classroom if course else None
    signup = part.signup_workdays if part else 3
    cancel = part.cancel_workdays if part else 2
    return workdays_before(start, signup), workdays_before(start, cancel)


def create_session(course_id: str, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int, actor: str, *,
                   place: str = "", online_url: str = "", trainers: list[str] = (), administrations: list[str] = (),
                   note: str = "", signup_deadline: dt.date | None = None,
                   cancel_deadline: dt.date | None = None) -> ClassroomSession:
    """Create a session (audited); deadlines default to the course's working-day rules."""
    course = catalogue().get(course_id)
    if course is None or course.classroom is None:
        raise BookingError(f"Kurset '{course_id}' har ingen holdundervisning. Vælg et kursus med "
                           "[holdundervisning] i kursusfilen.")
    if ends_at <= starts_at:
        raise BookingError("Holdet skal slutte efter, det begynder. Ret sluttidspunktet.")
    if capacity < 1:
        raise BookingError("Holdet skal have mindst én plads.")
    _check_place(place, online_url)
    for no in trainers:
        if db.session.get(Employee, no) is None:
            raise BookingError(f"Underviseren med medarbejdernummer {no} findes ikke.")
    signup, cancel = default_deadlines(course_id, starts_at.date())
    session = ClassroomSession(course_id=course_id, starts_at=starts_at, ends_at=ends_at, capacity=capacity,
                               place=place.strip(), online_url=online_url.strip(),
                               administrations=",".join(administrations), note=note.strip(), sequence=0,
                               signup_deadline=signup_deadline or signup, cancel_deadline=cancel_deadline or cancel,
                               created_by=actor, trainers=[SessionTrainer(staff_no=n) for n in dict.fromkeys(trainers)])
    db.session.add(session)
    db.session.flush()
    audit.record(actor, "classroom.session.create", str(session.id), course=course_id,
                 start=starts_at.isoformat(), capacity=capacity)
    db.session.commit()
    return session


def counts(session_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per session: how many have each state."""
    out: dict[int, dict[str, int]] = {i: {} for i in session_ids}
    if session_ids:
        for sid, state, n in db.session.execute(
                select(ClassroomBooking.session_id, ClassroomBooking.state, func.count())
                .where(ClassroomBooking.session_id.in_(session_ids))
                .group_by(ClassroomBooking.session_id, ClassroomBooking.state)):
            out[sid][state] = n
    return out


def seats_taken(session_id: int) -> int:
    return db.session.scalar(select(func.count()).where(ClassroomBooking.session_id == session_id,
                                                        ClassroomBooking.state.in_(SEATED))) or 0


def _event(booking: ClassroomBooking, kind: str) -> None:
    emit(ClassroomEvent(kind, booking.staff_no, booking.course_id, booking.session_id, booking.id, clock.now()))


def _locked(session_id: int) -> ClassroomSession:
    session = lock_row(ClassroomSession, session_id)
    if session is None:
        db.session.rollback()
        raise BookingError("Holdet findes ikke.")
    return session


def book(session_id: int, staff_no: str, actor: str, *, late: bool = False) -> Outcome:
    """Give ``staff_no`` a seat, or a wait-list place when the session is full. ``late``: a trainer or
    administrator may add people after the sign-up deadline."""
    session = _locked(session_id)
    try:
        if session.cancelled_at is not None:
            raise BookingError("Holdet er aflyst. Vælg et andet hold.")
        if clock.local_now() >= session.starts_at:
            raise BookingError("Holdet er begyndt. Vælg et senere hold.")
        if not late and clock.today() > session.signup_deadline:
            raise BookingError(f"Tilmeldingsfristen var {long_date(session.signup_deadline)}. Vælg et senere hold, "
                               "eller kontakt underviseren.")
        person = db.session.get(Employee, staff_no)
        if person is None or not person.active:
            raise BookingError(f"Der er ingen aktiv medarbejder med nummeret {staff_no}.")
        other = db.session.scalar(select(ClassroomBooking).join(ClassroomSession).where(
            ClassroomBooking.staff_no == staff_no, ClassroomBooking.course_id == session.course_id,
            ClassroomBooking.session_id != session_id, ClassroomBooking.state.in_(ACTIVE),
            ClassroomSession.starts_at > clock.local_now()))
        if other is not None:
            day = long_date(other.session.starts_at.date())
            raise BookingError(f"{person.name} er allerede tilmeldt holdet {day}. Afmeld det hold først.")
        booking = db.session.scalar(select(ClassroomBooking).where(ClassroomBooking.session_id == session_id,
                                                                   ClassroomBooking.staff_no == staff_no))
        if booking is not None and booking.state in (*ACTIVE, State.ATTENDED, State.PARTIAL):
            db.session.rollback()
            return Outcome(booking, changed=False)
        state = State.BOOKED if seats_taken(session_id) < session.capacity else State.WAITLISTED
        now = clock.now()
        if booking is None:
            booking = ClassroomBooking(session_id=session_id, staff_no=staff_no, course_id=session.course_id,
                                       booked_by=actor, sequence=0)
            db.session.add(booking)
        else:  # booked again after cancelling: to the back of the wait-list, a newer calendar event
            booking.sequence += 1
        booking.state, booking.booked_at, booking.changed_at, booking.booked_by = state, now, now, actor
        db.session.flush()
        _event(booking, "registered" if state == State.BOOKED else "waitlisted")
        audit.record(actor, "classroom.book", f"{session_id}/{staff_no}", state=str(state))
        db.session.commit()
        return Outcome(booking)
    except BookingError:
        db.session.rollback()
        raise


def cancel(session_id: int, staff_no: str, actor: str, *, by_self: bool) -> Outcome:
    """Cancel a seat or wait-list place; a freed seat goes to the first on the wait-list (until the
    sign-up deadline). The person cannot cancel themselves after the cancellation deadline."""
    session = _locked(session_id)
    try:
        booking = db.session.scalar(select(ClassroomBooking).where(ClassroomBooking.session_id == session_id,
                                                                   ClassroomBooking.staff_no == staff_no))
        if booking is None or booking.state not in ACTIVE:
            raise BookingError("Der er ingen tilmelding at afmelde på dette hold.")
        if clock.local_now() >= session.starts_at:
            raise BookingError("Holdet er begyndt; fremmødet registreres af underviseren.")
        if by_self and booking.state == State.BOOKED and clock.today() > session.cancel_deadline:
            raise BookingError(f"Afmeldingsfristen var {long_date(session.cancel_deadline)}. Kontakt underviseren "
                               "eller din leder, hvis du ikke kan komme.")
        freed = booking.state == State.BOOKED
        booking.state, booking.changed_at = State.CANCELLED, clock.now()
        booking.sequence += 1
        _event(booking, "cancelled")
        audit.record(actor, "classroom.cancel", f"{session_id}/{staff_no}")
        promoted = _promote(session) if freed else []
        db.session.commit()
        return Outcome(booking, promoted=promoted)
    except BookingError:
        db.session.rollback()
        raise


def _promote(session: ClassroomSession) -> list[ClassroomBooking]:
    """Fill free seats from the wait-list, first come first served (never after the sign-up deadline)."""
    if clock.today() > session.signup_deadline:
        return []
    free = session.capacity - seats_taken(session.id)
    if free <= 0:
        return []
    waiting = list(db.session.scalars(select(ClassroomBooking).where(
        ClassroomBooking.session_id == session.id, ClassroomBooking.state == State.WAITLISTED)
        .order_by(ClassroomBooking.booked_at, ClassroomBooking.id).limit(free)))
    for b in waiting:
        b.state, b.changed_at = State.BOOKED, clock.now()
        b.sequence += 1
        _event(b, "registered")
        audit.record("system", "classroom.promote", f"{session.id}/{b.staff_no}")
    return waiting


def update_session(session_id: int, actor: str, *, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int,
                   place: str, online_url: str, note: str) -> tuple[list[ClassroomBooking], list[ClassroomBooking]]:
    """Change a session (audited; the calendar SEQUENCE grows). Returns (everyone to tell about the
    change, those promoted from the wait-list because the capacity grew)."""
    session = _locked(session_id)
    try:
        if session.cancelled_at is not None:
            raise BookingError("Holdet er aflyst og kan ikke ændres.")
        if ends_at <= starts_at:
            raise BookingError("Holdet skal slutte efter, det begynder. Ret sluttidspunktet.")
        if capacity < seats_taken(session_id):
            raise BookingError(f"Der er allerede {seats_taken(session_id)} tilmeldte. Sæt antallet af pladser "
                               "mindst så højt, eller afmeld nogen først.")
        _check_place(place, online_url)
    except BookingError:
        db.session.rollback()
        raise
    moved = starts_at != session.starts_at
    session.starts_at, session.ends_at, session.capacity = starts_at, ends_at, capacity
    session.place, session.online_url, session.note = place.strip(), online_url.strip(), note.strip()
    if moved:  # the deadlines follow the new start
        session.signup_deadline, session.cancel_deadline = default_deadlines(session.course_id, starts_at.date())
    session.sequence += 1
    audit.record(actor, "classroom.session.update", str(session_id), start=starts_at.isoformat(), capacity=capacity)
    promoted = _promote(session)
    told = list(db.session.scalars(select(ClassroomBooking).where(
        ClassroomBooking.session_id == session_id, ClassroomBooking.state.in_(ACTIVE),
        ClassroomBooking.id.not_in([b.id for b in promoted] or [0]))))
    db.session.commit()
    return told, promoted


def cancel_session(session_id: int, actor: str) -> list[ClassroomBooking]:
    """Cancel the whole session (audited); returns the bookings that must be told."""
    session = _locked(session_id)
    if session.cancelled_at is not None:
        db.session.rollback()
        return []
    session.cancelled_at, session.sequence = clock.now(), session.sequence + 1
    affected = list(db.session.scalars(select(ClassroomBooking).where(
        ClassroomBooking.session_id == session_id, ClassroomBooking.state.in_(ACTIVE))))
    for b in affected:
        b.state, b.changed_at = State.SESSION_CANCELLED, clock.now()
        _event(b, "session_cancelled")
    audit.record(actor, "classroom.session.cancel", str(session_id), bookings=len(affected))
    db.session.commit()
    return affected


def may_manage(user: Employee | None) -> bool:
    """Trainers and administrators create sessions, add people late and mark attendance."""
    return user is not None and bool({Role.TRAINER, Role.ADMINISTRATOR} & set(user.roles))


def may_book_for(user: Employee | None, person: Employee, session: ClassroomSession) -> bool:
    """Employees book themselves, managers people in their scope, trainers and administrators anyone; a
    session restricted to administrations takes only their people (unless a trainer or administrator books)."""
    if user is None:
        return False
    if may_manage(user):
        return True
    codes = session.admin_codes
    if codes and (person.unit is None or person.unit.administration_code not in codes):
        return False
    return person.staff_no == user.staff_no or (person.unit_id is not None
                                                and person.unit_id in visible_unit_ids(user))
