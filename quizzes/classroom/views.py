"""The classroom pages: an employee's list of a course's sessions (book, cancel), and the trainers' pages:
all sessions, a new session, and a session's printable roster with attendance marking."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from klarret import clock
from klarret.auth import current_user, login_required, role_required
from klarret.db import db
from klarret.org.models import ADMINISTRATIONS, Employee
from klarret.org.scope import visible_unit_ids
from klarret.roles import Role
from quizzes.classroom import attendance, booking, notices
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


@bp.get("/hold")
@role_required(Role.TRAINER)
def sessions():
    """Every session from a month back, with seats, wait-list and links to the rosters."""
    since = clock.local_now() - dt.timedelta(days=30)
    rows = list(db.session.scalars(select(ClassroomSession).where(ClassroomSession.starts_at >= since)
                                   .order_by(ClassroomSession.starts_at, ClassroomSession.id)))
    return render_template("quizzes/classroom/sessions.html", sessions=rows,
                           counts=booking.counts([s.id for s in rows]),
                           courses=catalogue(), when=notices.when, now=clock.local_now(),
                           is_admin=current_user().has_role(Role.ADMINISTRATOR))


@bp.route("/hold/ny", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def new_session():
    """The form for a new session."""
    courses = sorted((c for c in catalogue().values() if c.classroom), key=lambda c: c.title)
    form, error = request.form, None
    if request.method == "POST":
        try:
            day = dt.date.fromisoformat(form.get("dato", ""))
            start = dt.datetime.combine(day, dt.time.fromisoformat(form.get("start", "")))
            end = dt.datetime.combine(dt.date.fromisoformat(form.get("slutdato") or day.isoformat()),
                                      dt.time.fromisoformat(form.get("slut", "")))
            capacity = int(form.get("pladser", ""))
        except ValueError:
            error = "Skriv dato som ÅÅÅÅ-MM-DD, tidspunkter som TT:MM og antal pladser som et tal."
        else:
            trainers = [t.strip() for t in form.get("undervisere", "").replace(";", ",").split(",") if t.strip()]
            admins = [a for a in form.getlist("forvaltning") if a in ADMINISTRATIONS]
            try:
                s = booking.create_session(form.get("kursus", ""), start, end, capacity, current_user().staff_no,
                                           place=form.get("sted", ""), online_url=form.get("link", ""),
                                           trainers=trainers or [current_user().staff_no], administrations=admins,
                                           note=form.get("note", ""))
            except booking.BookingError as exc:
                error = str(exc)
            else:
                flash(f"Holdet er oprettet. Tilmeldingsfristen er {s.signup_deadline.strftime('%d-%m-%Y')}.", "info")
                return redirect(url_for("classroom.roster", session_id=s.id))
    return render_template("quizzes/classroom/new_session.html", courses=courses, form=form, error=error,
                           administrations=ADMINISTRATIONS), 400 if error else 200


@bp.get("/hold/<int:session_id>")
@role_required(Role.TRAINER)
def roster(session_id: int):
    """The printable roster: seats, wait-list, attendance marking and the CSV upload."""
    session = _session_or_404(session_id)
    rows = db.session.execute(select(ClassroomBooking, Employee).join(Employee).where(
        ClassroomBooking.session_id == session_id).order_by(ClassroomBooking.booked_at, ClassroomBooking.id)).all()
    seated = [(b, e) for b, e in rows if b.state not in (State.WAITLISTED, State.CANCELLED, State.SESSION_CANCELLED)]
    waiting = [(b, e) for b, e in rows if b.state == State.WAITLISTED]
    others = [(b, e) for b, e in rows if b.state in (State.CANCELLED, State.SESSION_CANCELLED)]
    try:
        attendance.check_window(session, current_user().has_role(Role.ADMINISTRATOR))
        can_mark, why = True, ""
    except booking.BookingError as exc:
        can_mark, why = False, str(exc)
    return render_template("quizzes/classroom/roster.html", session=session, course=catalogue().get(session.course_id),
                           seated=seated, waiting=waiting, others=others, labels=STATE_LABELS, can_mark=can_mark,
                           why=why, when=notices.when, closes=attendance.marking_closes(session))


def _mark(session_id: int, marks: dict[str, str]):
    user = current_user()
    try:
        n = attendance.mark(session_id, marks, user.staff_no, is_admin=user.has_role(Role.ADMINISTRATOR))
    except booking.BookingError as exc:
        flash(str(exc), "error")
    else:
        flash(f"Fremmødet er gemt ({n} ændret).", "info")
    return redirect(url_for("classroom.roster", session_id=session_id))


@bp.post("/hold/<int:session_id>/alle-moedt")
@role_required(Role.TRAINER)
def mark_all(session_id: int):
    """One click: everyone with a seat attended."""
    _session_or_404(session_id)
    seated = db.session.scalars(select(ClassroomBooking.staff_no).where(
        ClassroomBooking.session_id == session_id, ClassroomBooking.state == State.BOOKED))
    return _mark(session_id, {s: "attended" for s in seated})


@bp.post("/hold/<int:session_id>/fremmoede")
@role_required(Role.TRAINER)
def mark_roster(session_id: int):
    """The roster's ticks: ticked attended, partial where chosen, unticked no-show."""
    _session_or_404(session_id)
    marks = attendance.roster_marks(session_id, set(request.form.getlist("moedt")),
                                    set(request.form.getlist("delvis")))
    return _mark(session_id, marks)


@bp.post("/hold/<int:session_id>/csv")
@role_required(Role.TRAINER)
def upload_csv(session_id: int):
    """A CSV of the staff numbers who came."""
    _session_or_404(session_id)
    f = request.files.get("fil")
    data = f.read(MAX_CSV_BYTES + 1) if f else b""
    if not data or len(data) > MAX_CSV_BYTES:
        flash("Vælg en CSV-fil under 512 KB med medarbejdernumre i første kolonne.", "error")
        return redirect(url_for("classroom.roster", session_id=session_id))
    try:
        staff_nos = attendance.parse_csv(data.decode("utf-8-sig", errors="replace"))
    except booking.BookingError as exc:
        flash(str(exc), "error")
        return redirect(url_for("classroom.roster", session_id=session_id))
    return _mark(session_id, attendance.csv_marks(session_id, staff_nos))


@bp.post("/hold/<int:session_id>/aflys")
@role_required(Role.TRAINER)
def cancel_whole(session_id: int):
    """Cancel the session; everyone with a seat or wait-list place is told."""
    _session_or_404(session_id)
    affected = booking.cancel_session(session_id, current_user().staff_no)
    notices.notify([("session_cancelled", b) for b in affected])
    flash(f"Holdet er aflyst, og {len(affected)} deltagere har fået besked.", "info")
    return redirect(url_for("classroom.roster", session_id=session_id))
