"""The classroom pages for everyone: a course's coming sessions, booking and cancelling (managers, trainers
and administrators also for others). The trainers' pages are in trainer_views."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from klarret import clock
from klarret.auth import current_user, login_required
from klarret.db import db
from klarret.org.models import Employee
from klarret.org.scope import visible_unit_ids
from quizzes.classroom import booking, notices
from quizzes.classroom.models import ACTIVE, STATE_LABELS, ClassroomBooking, ClassroomSession, State
from quizzes.courses import catalogue

bp = Blueprint("classroom", "quizzes", template_folder="templates")
MAX_CSV_BYTES = 512 * 1024


def _session_or_404(session_id: int | None) -> ClassroomSession:
    if session_id is None or not 1 <= session_id < 2**31:  # a form value beyond the database's integer
        abort(404)
    session = db.session.get(ClassroomSession, session_id)
    if session is None:
        abort(404)
    return session


def _course_or_404(course_id: str):
    course = catalogue().get(course_id)
    if course is None or course.classroom is None:
        abort(404)
    return course


@bp.get("/kurser/<course_id>/hold")
@login_required
def course_sessions(course_id: str):
    """The course's coming sessions, with the user's own booking and a button to book or cancel."""
    course = _course_or_404(course_id)
    user = current_user()
    sessions = list(db.session.scalars(select(ClassroomSession).where(
        ClassroomSession.course_id == course_id, ClassroomSession.cancelled_at.is_(None),
        ClassroomSession.starts_at > clock.local_now()).order_by(ClassroomSession.starts_at)))
    mine = {b.session_id: b for b in db.session.scalars(select(ClassroomBooking).where(
        ClassroomBooking.staff_no == user.staff_no, ClassroomBooking.course_id == course_id))}
    counts = booking.counts([s.id for s in sessions])
    leads = booking.may_manage(user) or bool(visible_unit_ids(user))
    return render_template("quizzes/classroom/course_sessions.html", course=course, sessions=sessions, mine=mine,
                           counts=counts, user=user, leads=leads, today=clock.today(), labels=STATE_LABELS,
                           when=notices.when, active=ACTIVE)


def _person(value: str | None) -> Employee:
    user = current_user()
    if not value or value.strip() == user.staff_no:
        return user
    person = db.session.get(Employee, value.strip())
    if person is None:
        raise booking.BookingError(f"Der er ingen medarbejder med nummeret {value.strip()[:32]}.")
    return person


def _back(session: ClassroomSession) -> str:
    target = request.form.get("tilbage")
    if target == "hold" and booking.may_manage(current_user()):
        return url_for("classroom.roster", session_id=session.id)
    return url_for("classroom.course_sessions", course_id=session.course_id)


@bp.post("/hold/<int:session_id>/tilmeld")
@login_required
def book_seat(session_id: int):
    """Book the user (or, for managers, trainers and administrators, someone else) onto a session."""
    return _book(_session_or_404(session_id))


@bp.post("/kurser/<course_id>/hold/tilmeld")
@login_required
def book_other(course_id: str):
    """A manager's form: book someone onto the session chosen in the list."""
    session = _session_or_404(request.form.get("hold", 0, type=int))
    if session.course_id != course_id:
        abort(404)
    return _book(session)


def _book(session: ClassroomSession):
    session_id, user = session.id, current_user()
    try:
        person = _person(request.form.get("medarbejder"))
        if not booking.may_book_for(user, person, session):
            raise booking.BookingError(f"Du kan ikke tilmelde {person.name} dette hold. Ledere kan tilmelde "
                                       "medarbejdere i deres enheder; holdet kan være forbeholdt en forvaltning.")
        out = booking.book(session_id, person.staff_no, user.staff_no, late=booking.may_manage(user))
    except booking.BookingError as exc:
        flash(str(exc), "error")
        return redirect(_back(session))
    notices.notify(notices.outcome_items(out, "booked"))
    who = "Du" if person.staff_no == user.staff_no else person.name
    if not out.changed:
        flash(f"{who} var allerede tilmeldt.", "info")
    elif out.booking.state == State.BOOKED:
        flash(f"{who} har fået en plads på holdet {notices.when(session)}. En kalenderinvitation er sendt.", "info")
    else:
        flash(f"Holdet er fuldt. {who} står på ventelisten og får en e-mail, hvis der bliver en plads.", "info")
    return redirect(_back(session))


@bp.post("/hold/<int:session_id>/afmeld")
@login_required
def cancel_seat(session_id: int):
    """Cancel the user's (or someone else's) seat; the first on the wait-list gets it."""
    session, user = _session_or_404(session_id), current_user()
    try:
        person = _person(request.form.get("medarbejder"))
        by_self = not booking.may_manage(user)
        if person.staff_no != user.staff_no and not booking.may_book_for(user, person, session):
            raise booking.BookingError(f"Du kan ikke afmelde {person.name}.")
        out = booking.cancel(session_id, person.staff_no, user.staff_no, by_self=by_self)
    except booking.BookingError as exc:
        flash(str(exc), "error")
        return redirect(_back(session))
    notices.notify(notices.outcome_items(out, "cancelled"))
    flash("Tilmeldingen er afmeldt." + (" Den første på ventelisten har fået pladsen." if out.promoted else ""),
          "info")
    return redirect(_back(session))
