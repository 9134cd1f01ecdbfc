"""The trainers' pages: all sessions, a new or changed session, and a session's printable roster with
attendance marking and the CSV upload."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from klarret import clock
from klarret.auth import current_user, role_required
from klarret.dates import long_date
from klarret.db import db
from klarret.org.models import ADMINISTRATIONS, Employee
from klarret.roles import Role
from quizzes.classroom import attendance, booking, notices
from quizzes.classroom.models import STATE_LABELS, ClassroomBooking, ClassroomSession, State
from quizzes.classroom.views import _session_or_404, bp
from quizzes.courses import catalogue

MAX_CSV_BYTES = 512 * 1024


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
        trainers = [t.strip() for t in form.get("undervisere", "").replace(";", ",").split(",") if t.strip()]
        admins = [a for a in form.getlist("forvaltning") if a in ADMINISTRATIONS]
        try:
            start, end, capacity = _times(form)
            s = booking.create_session(form.get("kursus", ""), start, end, capacity, current_user().staff_no,
                                       place=form.get("sted", ""), online_url=form.get("link", ""),
                                       trainers=trainers or [current_user().staff_no], administrations=admins,
                                       note=form.get("note", ""))
        except booking.BookingError as exc:
            error = str(exc)
        else:
            flash(f"Holdet er oprettet. Tilmeldingsfristen er {long_date(s.signup_deadline)}.", "info")
            return redirect(url_for("classroom.roster", session_id=s.id))
    return render_template("quizzes/classroom/new_session.html", courses=courses, form=form, error=error,
                           administrations=ADMINISTRATIONS, session=None), 400 if error else 200


BAD_TIMES = "Skriv dato som ÅÅÅÅ-MM-DD, tidspunkter som TT:MM og antal pladser som et tal."


def _times(form) -> tuple[dt.datetime, dt.datetime, int]:
    """Start, end and capacity from the session form (BookingError in Danish if unreadable)."""
    try:
        day = dt.date.fromisoformat(form.get("dato", ""))
        start = dt.datetime.combine(day, dt.time.fromisoformat(form.get("start", "")))
        end = dt.datetime.combine(dt.date.fromisoformat(form.get("slutdato") or day.isoformat()),
                                  dt.time.fromisoformat(form.get("slut", "")))
        return start, end, int(form.get("pladser", ""))
    except ValueError:
        raise booking.BookingError(BAD_TIMES) from None


@bp.route("/hold/<int:session_id>/rediger", methods=["GET", "POST"])
@role_required(Role.TRAINER)
def edit_session(session_id: int):
    """Change time, place or capacity; everyone booked gets the updated calendar event."""
    session = _session_or_404(session_id)
    form, error = request.form, None
    if request.method == "POST":
        try:
            start, end, capacity = _times(form)
            told, promoted = booking.update_session(
                session_id, current_user().staff_no, starts_at=start, ends_at=end, capacity=capacity,
                place=form.get("sted", ""), online_url=form.get("link", ""), note=form.get("note", ""))
        except booking.BookingError as exc:
            error = str(exc)
        else:
            notices.notify([("updated", b) for b in told] + [("promoted", b) for b in promoted])
            flash(f"Holdet er ændret, og {len(told) + len(promoted)} deltagere har fået besked.", "info")
            return redirect(url_for("classroom.roster", session_id=session_id))
    else:
        form = {"dato": session.starts_at.date().isoformat(), "start": f"{session.starts_at:%H:%M}",
                "slut": f"{session.ends_at:%H:%M}", "sted": session.place, "link": session.online_url,
                "pladser": str(session.capacity), "note": session.note,
                "slutdato": "" if session.ends_at.date() == session.starts_at.date()
                else session.ends_at.date().isoformat()}
    return render_template("quizzes/classroom/new_session.html", courses=[], form=form, error=error,
                           administrations=ADMINISTRATIONS, session=session), 400 if error else 200


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
