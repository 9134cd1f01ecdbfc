"""`klarret sessions`: list, create, book, cancel, attend and remind from the command line (audited as "cli")."""

from __future__ import annotations

import datetime as dt
import json

import click
from flask.cli import AppGroup
from sqlalchemy import select

from klarret.db import db
from quizzes.classroom import attendance, booking, notices
from quizzes.classroom.models import ClassroomSession, State

ACTOR = "cli"


@click.group("sessions", cls=AppGroup)
def sessions_group() -> None:
    """Holdundervisning: hold, tilmeldinger og fremmøde."""


def _when(value: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' er ikke et tidspunkt; skriv fx 2026-12-10T09:00.") from None


def session_rows(course: str | None = None) -> list[dict]:
    """Every session (or one course's) with its counts, by start."""
    stmt = select(ClassroomSession).order_by(ClassroomSession.starts_at, ClassroomSession.id)
    if course:
        stmt = stmt.where(ClassroomSession.course_id == course)
    sessions = list(db.session.scalars(stmt))
    counts = booking.counts([s.id for s in sessions])
    return [{"id": s.id, "course": s.course_id, "start": s.starts_at.isoformat(timespec="minutes"),
             "end": s.ends_at.isoformat(timespec="minutes"), "place": s.place, "online_url": s.online_url,
             "capacity": s.capacity, "booked": sum(counts[s.id].get(x, 0) for x in (State.BOOKED, State.ATTENDED,
                                                                                   State.PARTIAL, State.NO_SHOW)),
             "waitlisted": counts[s.id].get(State.WAITLISTED, 0),
             "attended": counts[s.id].get(State.ATTENDED, 0), "signup_deadline": s.signup_deadline.isoformat(),
             "cancel_deadline": s.cancel_deadline.isoformat(), "cancelled": s.cancelled_at is not None,
             "trainers": s.trainer_nos, "administrations": s.admin_codes} for s in sessions]


@sessions_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Skriv holdene som JSON.")
@click.option("--course", help="Kun holdene i dette kursus (kursus-id).")
def list_command(as_json: bool, course: str | None) -> None:
    """Vis holdene med pladser, tilmeldte og venteliste."""
    rows = session_rows(course)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        flag = " AFLYST" if r["cancelled"] else ""
        click.echo(f"{r['id']:>5} {r['course']:24} {r['start']} {r['booked']:>3}/{r['capacity']:<3} "
                   f"venteliste {r['waitlisted']}{flag}")
    click.echo(f"{len(rows)} hold.")


@sessions_group.command("create")
@click.option("--course", required=True, help="Kursus-id, fx ledere.")
@click.option("--start", required=True, help="Start, fx 2026-12-10T09:00 (dansk tid).")
@click.option("--end", required=True, help="Slut, fx 2026-12-10T12:00.")
@click.option("--capacity", required=True, type=int, help="Antal pladser.")
@click.option("--place", default="", help="Sted, fx Rådhuset, lokale 12.")
@click.option("--online-url", default="", help="Link til online-undervisning.")
@click.option("--trainer", "trainers", multiple=True, help="Underviserens medarbejdernummer (kan gentages).")
@click.option("--administration", "administrations", multiple=True, help="Kun for denne forvaltning (kode).")
def create_command(course, start, end, capacity, place, online_url, trainers, administrations) -> None:
    """Opret et hold."""
    try:
        s = booking.create_session(course, _when(start), _when(end), capacity, ACTOR, place=place,
                                   online_url=online_url, trainers=list(trainers),
                                   administrations=list(administrations))
    except booking.BookingError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Hold {s.id} oprettet: {course} {s.starts_at.isoformat(timespec='minutes')}, {capacity} pladser, "
               f"tilmeldingsfrist {s.signup_deadline.isoformat()}, afmeldingsfrist {s.cancel_deadline.isoformat()}.")


@sessions_group.command("book")
@click.argument("session_id", type=int)
@click.argument("staff_nos", nargs=-1, required=True)
def book_command(session_id: int, staff_nos: tuple[str, ...]) -> None:
    """Tilmeld medarbejdere; hver får en plads eller en plads på ventelisten."""
    failed = 0
    for no in staff_nos:
        try:
            out = booking.book(session_id, no, ACTOR, late=True)
        except booking.BookingError as exc:
            click.echo(f"{no}: FEJL {exc}", err=True)
            failed += 1
            continue
        place = "plads" if out.booking.state == State.BOOKED else "venteliste"
        click.echo(f"{no}: {place}" + ("" if out.changed else " (var allerede tilmeldt)"))
        notices.notify(notices.outcome_items(out, "booked"))
    if failed:
        raise SystemExit(1)


@sessions_group.command("cancel")
@click.argument("session_id", type=int)
@click.argument("staff_no")
def cancel_command(session_id: int, staff_no: str) -> None:
    """Afmeld en medarbejder; den første på ventelisten får pladsen."""
    try:
        out = booking.cancel(session_id, staff_no, ACTOR, by_self=False)
    except booking.BookingError as exc:
        raise click.ClickException(str(exc)) from None
    notices.notify(notices.outcome_items(out, "cancelled"))
    click.echo(f"{staff_no}: afmeldt." + "".join(f" {b.staff_no} fik pladsen fra ventelisten." for b in out.promoted))


@sessions_group.command("attend")
@click.argument("session_id", type=int)
@click.argument("staff_nos", nargs=-1, required=True)
@click.option("--partial", "mode", flag_value="partial", help="Deltog delvist.")
@click.option("--absent", "mode", flag_value="no_show", help="Udeblev.")
def attend_command(session_id: int, staff_nos: tuple[str, ...], mode: str | None) -> None:
    """Registrér fremmøde (deltog, eller --partial / --absent)."""
    try:
        n = attendance.mark(session_id, {no: mode or "attended" for no in staff_nos}, ACTOR, is_admin=True)
    except booking.BookingError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Fremmøde registreret: {n} ændret.")


@sessions_group.command("remind")
def remind_command() -> None:
    """Send påmindelser om hold, der begynder om to arbejdsdage (hver én gang)."""
    click.echo(f"Sendte {notices.send_reminders()} påmindelser om holdundervisning.")
