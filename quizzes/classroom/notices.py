"""The classroom e-mails (Danish), each with an .ics so the session lands in the calendar: booking,
wait-list, promotion, cancellation, session cancelled and the reminder two working days before."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from klarret import clock, mail, settings
from klarret.dates import long_date
from klarret.db import db
from klarret.mail import Attachment, SendError
from klarret.org.models import Employee
from klarret.workdays import add_workdays, is_workday
from quizzes.classroom.ics import invitation
from quizzes.classroom.models import ClassroomBooking, ClassroomSession, State
from quizzes.courses import catalogue
from quizzes.models import ReminderSent

log = logging.getLogger(__name__)
SIGNATURE = "\n\nVenlig hilsen\nKlarRet – Københavns Kommune\n\nDenne e-mail er sendt automatisk og kan ikke besvares."
REMIND_WORKDAYS = 2
SUBJECTS = {"booked": "Du er tilmeldt", "waitlisted": "Du er på venteliste til", "promoted": "Du har fået plads på",
            "cancelled": "Du er afmeldt", "session_cancelled": "Holdet er aflyst:", "reminder": "Påmindelse:",
            "updated": "Holdet er ændret:"}


def when(session: ClassroomSession) -> str:
    """"3. marts 2027 kl. 9.00–12.00" (or across days)."""
    start, end = session.starts_at, session.ends_at
    if start.date() == end.date():
        return f"{long_date(start.date())} kl. {start:%H.%M}–{end:%H.%M}"
    return f"{long_date(start.date())} kl. {start:%H.%M} til {long_date(end.date())} kl. {end:%H.%M}"


def message(kind: str, session: ClassroomSession, booking: ClassroomBooking, person: Employee) -> tuple:
    """(subject, body, attachment) for one person."""
    course = catalogue().get(session.course_id)
    title = course.title if course else session.course_id
    url = f"{settings.current().base_url}/kurser/{session.course_id}/hold"
    where = session.place or "online"
    link = f"\nLink: {session.online_url}" if session.online_url else ""
    text = {
        "booked": f"Du er tilmeldt holdundervisningen i »{title}«.",
        "waitlisted": f"Holdet i »{title}« er fuldt, så du er skrevet på ventelisten. Får du en plads, får du "
                      "en ny e-mail. Du kan også vælge et andet hold.",
        "promoted": f"Der er blevet en plads ledig, og du har fået den: du er nu tilmeldt holdundervisningen i "
                    f"»{title}«.",
        "cancelled": f"Du er afmeldt holdundervisningen i »{title}«. Husk at tilmelde dig et andet hold, hvis "
                     "kurset er obligatorisk for dig.",
        "session_cancelled": f"Holdet i »{title}« er aflyst. Vælg et andet hold.",
        "reminder": f"Husk holdundervisningen i »{title}«.",
        "updated": f"Holdet i »{title}«, som du er tilmeldt, er ændret. Se tid og sted nedenfor; "
                   "kalenderinvitationen er opdateret.",
    }[kind]
    deadline = (f"\nKan du ikke komme, så afmeld dig senest {long_date(session.cancel_deadline)}."
                if kind in ("booked", "promoted", "reminder", "updated") else "")
    body = (f"Kære {person.name}\n\n{text}\n\nTid: {when(session)}\nSted: {where}{link}{deadline}\n\n"
            f"Se holdene og din tilmelding her:\n{url}{SIGNATURE}")
    cancel = kind in ("cancelled", "session_cancelled")
    tentative = kind == "waitlisted" or (kind == "updated" and booking.state == State.WAITLISTED)
    ics = invitation(session, booking, title, person.email or "", cancel=cancel, tentative=tentative)
    method = "CANCEL" if cancel else "REQUEST"
    return (f"{SUBJECTS[kind]} {title} {long_date(session.starts_at.date())}", body,
            Attachment("holdundervisning.ics", f"text/calendar; method={method}", ics))


def notify(items: list[tuple[str, ClassroomBooking]]) -> int:
    """Send each (kind, booking) its e-mail; a failed send is logged, never undoes the booking."""
    sent = 0
    try:
        with mail.connection() as conn:
            for kind, booking in items:
                person = db.session.get(Employee, booking.staff_no)
                if person is None or not person.email:
                    continue
                subject, body, att = message(kind, booking.session, booking, person)
                conn.send(person.email, subject, body, [att])
                sent += 1
    except SendError as exc:
        log.warning("Holdundervisning: e-mail ikke sendt: %s", exc)
    return sent


def outcome_items(outcome, kind_if_changed: str) -> list[tuple[str, ClassroomBooking]]:
    """The e-mails a booking or cancellation calls for: the person's own, and each promotion."""
    items = []
    if outcome.changed:
        kind = kind_if_changed
        if kind == "booked" and outcome.booking.state == State.WAITLISTED:
            kind = "waitlisted"
        items.append((kind, outcome.booking))
    items += [("promoted", b) for b in outcome.promoted]
    return items


def due_reminders(today: dt.date | None = None) -> list[ClassroomBooking]:
    """Seats in sessions that start in two working days (or fewer, if a run was missed), not yet reminded."""
    today = today or clock.today()
    if not is_workday(today):
        return []
    horizon = add_workdays(today, REMIND_WORKDAYS)
    rows = db.session.scalars(select(ClassroomBooking).join(ClassroomSession).where(
        ClassroomBooking.state == State.BOOKED, ClassroomSession.cancelled_at.is_(None),
        ClassroomSession.starts_at >= dt.datetime.combine(today + dt.timedelta(days=1), dt.time()),
        ClassroomSession.starts_at < dt.datetime.combine(horizon + dt.timedelta(days=1), dt.time())))
    sent = {(s, c) for s, c in db.session.execute(select(ReminderSent.staff_no, ReminderSent.cycle)
                                                  .where(ReminderSent.kind == "session"))}
    return [b for b in rows if (b.staff_no, f"hold-{b.session_id}") not in sent]


def send_reminders(today: dt.date | None = None) -> int:
    """The reminder two working days before, once per person and session (claimed before sending)."""
    n = 0
    for b in due_reminders(today):
        try:
            db.session.add(ReminderSent(staff_no=b.staff_no, course_id=b.course_id, kind="session",
                                        cycle=f"hold-{b.session_id}"))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        if notify([("reminder", b)]):
            n += 1
        else:  # not sent (no address, or the mail server failed): the next run tries again
            db.session.execute(ReminderSent.__table__.delete().where(
                ReminderSent.staff_no == b.staff_no, ReminderSent.kind == "session",
                ReminderSent.cycle == f"hold-{b.session_id}"))
            db.session.commit()
    return n
