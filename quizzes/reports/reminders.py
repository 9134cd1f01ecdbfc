"""E-mail reminders: a course assigned, due soon, overdue; a weekly digest for managers. Each sent once.

Every message has a key (staff number, course, kind, cycle) in ``reminder_sent``. The key is stored
before the message is sent, so two runs at once cannot both send it; a failed send removes it again.
Messages go out through ``klarret.mail`` (the mail server, or the outbox with KLARRET_MAIL=outbox).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import click
from flask.cli import with_appcontext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from klarret import clock, mail, metrics, settings
from klarret.audit import record
from klarret.dates import long_date
from klarret.db import db
from klarret.mail import SendError
from klarret.org.models import Employee, UnitManager
from quizzes.completion.status import Status, StatusRow, courses_by_title, cycle_key, status_rows, subtree_unit_ids
from quizzes.models import ReminderSent

OVERDUE = (Status.OVERDUE, Status.EXPIRED)
SIGNATURE = "\n\nVenlig hilsen\nKlarRet – Københavns Kommune\n\nDenne e-mail er sendt automatisk og kan ikke besvares."


@dataclass(frozen=True)
class Message:
    """One e-mail and the key that makes it go out once."""

    to: str
    subject: str
    body: str
    key: tuple[str, str, str, str]  # staff_no, course_id ("" for a digest), kind, cycle


def kind_for(row: StatusRow, soon_days: int, today: dt.date) -> str | None:
    """Which reminder a row calls for, if any: overdue, due_soon or assigned."""
    if row.status in OVERDUE:
        return "overdue"
    if row.status == Status.EXPIRING:
        return "due_soon"
    if row.status == Status.MISSING_ATTENDANCE:  # book a seat (once per cycle), unless already booked
        return "classroom" if row.session is None else None
    pending = row.status in (Status.NOT_STARTED, Status.IN_PROGRESS)
    if pending and row.due is not None and (row.due - today).days <= soon_days:
        return "due_soon"
    return "assigned" if row.status == Status.NOT_STARTED else None


def _date(d: dt.date | None) -> str:
    """A date as Danes write it in a letter: 3. marts 2027."""
    return long_date(d) if d else "–"


def employee_message(row: StatusRow, kind: str, email: str, minutes: int, base_url: str,
                     classroom_only: bool = False) -> Message:
    """The Danish plain-text e-mail for one employee and course."""
    url = f"{base_url}/kurser/{row.course_id}"
    title = f"»{row.course_title}«"
    if kind == "classroom" or classroom_only:
        return _classroom_message(row, kind, email, base_url)
    if kind == "overdue" and row.status == Status.EXPIRED:
        subject = f"Dit kursusbevis er udløbet: {row.course_title}"
        text = f"Dit kursusbevis for {title} udløb den {_date(row.expires)}. Tag kurset igen hurtigst muligt."
    elif kind == "overdue":
        subject = f"Fristen er overskredet: {row.course_title}"
        text = f"Fristen for det obligatoriske kursus {title} var den {_date(row.due)}. Tag kurset hurtigst muligt."
    elif kind == "due_soon" and row.status == Status.EXPIRING:
        subject = f"Dit kursusbevis udløber snart: {row.course_title}"
        text = (f"Dit kursusbevis for {title} udløber den {_date(row.expires)}. "
                "Tag kurset igen inden da for at forny det.")
    elif kind == "due_soon":
        subject = f"Påmindelse: {row.course_title} skal tages senest {_date(row.due)}"
        text = f"Husk det obligatoriske kursus {title}. Fristen er den {_date(row.due)}."
    else:
        subject = f"Nyt obligatorisk kursus: {row.course_title}"
        due = f" senest den {_date(row.due)}" if row.due else ""
        text = f"Du skal tage kurset {title} i KlarRet{due}."
    body = (f"Kære {row.name}\n\n{text}\nKurset tager cirka {minutes} minutter. Du finder det her:\n{url}"
            f"{SIGNATURE}")
    return Message(email, subject, body, (row.staff_no, row.course_id, kind, cycle_key(row)))


def _classroom_message(row: StatusRow, kind: str, email: str, base_url: str) -> Message:
    """Tell the person to book a seat on a session (missing classroom part, or a classroom-only course)."""
    title = f"»{row.course_title}«"
    if kind == "classroom":
        subject = f"Tilmeld dig et hold: {row.course_title}"
        text = (f"Du har bestået e-læringen i {title}, men kurset kræver også, at du deltager i "
                "holdundervisningen. Tilmeld dig et hold.")
    else:
        subject = f"Tilmeld dig et hold: {row.course_title}" if kind != "overdue" else \
            f"Fristen er overskredet: {row.course_title}"
        due = f" senest den {_date(row.due)}" if row.due else ""
        text = f"Kurset {title} er holdundervisning, og du skal deltage{due}. Tilmeld dig et hold."
    if row.session is not None:
        text += f" Du er tilmeldt holdet {_date(row.session.date())}."
    body = f"Kære {row.name}\n\n{text}\nSe holdene her:\n{base_url}/kurser/{row.course_id}/hold{SIGNATURE}"
    return Message(email, subject, body, (row.staff_no, row.course_id, kind, cycle_key(row)))


def digest_message(manager: tuple[str, str, str], rows: list[StatusRow], week: str, base_url: str) -> Message:
    """A manager's weekly list of overdue people."""
    staff_no, name, email = manager
    lines = "\n".join(f"- {r.name} ({r.staff_no}), {r.unit_path or r.administration}: {r.course_title} – "
                      f"{r.status}, frist {_date(r.due)}" for r in rows)
    people = len({r.staff_no for r in rows})
    body = (f"Kære {name}\n\n{people} {'medarbejder' if people == 1 else 'medarbejdere'} i dine enheder har "
            f"overskredet fristen for et obligatorisk kursus:\n\n{lines}\n\nSe oversigten og send en påmindelse "
            f"her:\n{base_url}/leder{SIGNATURE}")
    return Message(email, f"Ugeoversigt: {people} med overskredet kursusfrist", body, (staff_no, "", "digest", week))


def plan(today: dt.date | None = None, base_url: str | None = None) -> list[Message]:
    """Every reminder due today that has not been sent: employees' first, then the managers' digests."""
    today = today or clock.today()
    base_url = base_url or settings.current().base_url
    courses = {c.id: c for c in courses_by_title()}
    people = {s: (n, e) for s, n, e in db.session.execute(
        select(Employee.staff_no, Employee.name, Employee.email).where(Employee.active.is_(True)))}
    sent = {tuple(k) for k in db.session.execute(
        select(ReminderSent.staff_no, ReminderSent.course_id, ReminderSent.kind, ReminderSent.cycle))}
    out, overdue = [], defaultdict(list)
    for row in status_rows(today=today):
        course = courses[row.course_id]
        kind = kind_for(row, course.soon_days, today)
        if row.status in OVERDUE:
            overdue[row.unit_id].append(row)
        email = people.get(row.staff_no, ("", ""))[1]
        if kind and email:
            msg = employee_message(row, kind, email, course.minutes, base_url, not course.has_elearning)
            if msg.key not in sent:
                out.append(msg)
    year, week, _ = today.isocalendar()
    week_key = f"{year}-W{week:02d}"
    units_of = defaultdict(set)
    for unit_id, staff_no in db.session.execute(select(UnitManager.unit_id, UnitManager.staff_no)):
        units_of[staff_no].add(unit_id)
    for staff_no, units in sorted(units_of.items()):
        name, email = people.get(staff_no, ("", ""))
        if not email or (staff_no, "", "digest", week_key) in sent:
            continue
        rows = [r for u in sorted(subtree_unit_ids(units)) for r in overdue.get(u, []) if r.staff_no != staff_no]
        if rows:
            out.append(digest_message((staff_no, name, email), rows, week_key, base_url))
    return out


def _claim(key: tuple[str, str, str, str]) -> bool:
    """Store the key before sending; False if another run already has it."""
    try:
        db.session.add(ReminderSent(staff_no=key[0], course_id=key[1], kind=key[2], cycle=key[3]))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def _release(key: tuple[str, str, str, str]) -> None:
    """Forget a claimed key whose message did not go out, so the next run sends it."""
    db.session.execute(delete(ReminderSent).where(ReminderSent.staff_no == key[0], ReminderSent.course_id == key[1],
                                                  ReminderSent.kind == key[2], ReminderSent.cycle == key[3]))
    db.session.commit()


def send(messages: list[Message]) -> int:
    """Send the messages through the mail layer (one connection), each once; return how many went out.

    A refused recipient does not stop the others; they are reported together at the end."""
    if not messages:
        return 0
    n, refused = 0, []
    try:
        with mail.connection() as conn:
            for msg in messages:
                if not _claim(msg.key):
                    continue
                try:
                    conn.send(msg.to, msg.subject, msg.body)
                    n += 1
                    metrics.count("reminders_sent")
                except mail.RecipientRefused:
                    _release(msg.key)
                    refused.append(msg.to)
                    metrics.count("reminders_failed")
                except SendError as exc:
                    _release(msg.key)
                    raise SendError(f"{exc} {n} e-mails blev sendt; kør 'klarret remind' igen, når fejlen er "
                                    "rettet.") from exc
    except SendError:
        metrics.count("reminders_failed")  # the message the run stopped at (also when no server answered)
        raise
    if refused:
        shown = ", ".join(sorted(set(refused))[:10])
        raise SendError(f"{n} e-mails blev sendt, men mailserveren afviste {len(refused)}: {shown}. Ret "
                        "adresserne i HR-systemet; de får påmindelsen ved næste kørsel.")
    return n


def send_reminder_now(staff_no: str, course_id: str, actor: str, today: dt.date | None = None) -> Message:
    """Send one employee a reminder about one course at once (the dashboard's button); audited.

    Allowed once a day per person and course, so a double click sends one e-mail."""
    today = today or clock.today()
    row = next(status_rows(staff_nos=[staff_no], course_id=course_id, today=today, include_excluded=True), None)
    if row is None:
        raise ValueError("Medarbejderen skal ikke tage dette kursus, så der er intet at minde om.")
    if row.status in (Status.PASSED, Status.EXEMPT, Status.FAILED):
        raise ValueError(f"Kurset har status '{row.status}', så en påmindelse giver ikke mening.")
    email = db.session.scalar(select(Employee.email).where(Employee.staff_no == staff_no))
    if not email:
        raise ValueError("Medarbejderen har ingen e-mailadresse i KlarRet. Ret den i HR-systemet.")
    course = {c.id: c for c in courses_by_title()}[course_id]
    kind = "overdue" if row.status in OVERDUE else "due_soon"
    msg = employee_message(row, kind, email, course.minutes, settings.current().base_url, not course.has_elearning)
    msg = Message(msg.to, msg.subject, msg.body, (staff_no, course_id, "manual", today.isoformat()))
    if send([msg]) == 0:
        raise ValueError("Der er allerede sendt en påmindelse om dette kursus i dag.")
    record(actor, "reminder.send", f"{staff_no}/{course_id}", status=row.status)
    db.session.commit()
    return msg


@click.command("remind")
@with_appcontext
@click.option("--dry-run", is_flag=True, help="Vis, hvem der ville få en e-mail, uden at sende noget.")
def remind_command(dry_run: bool) -> None:
    """Send påmindelser om obligatoriske kurser og ledernes ugeoversigt (hver e-mail én gang)."""
    from quizzes.completion.assignments import record_assignments

    if not dry_run:
        record_assignments()
    messages = plan()
    if dry_run:
        for m in messages:
            click.echo(f"{m.key[2]:9} {m.to:40} {m.subject}")
        click.echo(f"{len(messages)} e-mails ville blive sendt (prøvekørsel: intet er sendt).")
        return
    try:
        n = send(messages)
    except SendError as exc:
        raise click.ClickException(str(exc)) from None
    record("cli", "reminders.send", count=n)
    db.session.commit()
    click.echo(f"Sendte {n} e-mails ({sum(m.key[2] == 'digest' for m in messages)} ugeoversigter til ledere).")
    from quizzes.classroom.notices import send_reminders

    click.echo(f"Sendte {send_reminders()} påmindelser om hold, der begynder om to arbejdsdage.")
