"""iCalendar (.ics) invitations for a session, so it lands in Outlook; one UID per session and person.

Each person's copy keeps its UID; SEQUENCE grows with every change of the session (its ``sequence``)
and of the person's booking (the booking's ``sequence``), so a later message updates or cancels the
same calendar event (METHOD:CANCEL with STATUS:CANCELLED).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress

from klarret import clock, settings
from quizzes.classroom.models import ClassroomBooking, ClassroomSession

PRODID = "-//Koebenhavns Kommune//KlarRet//DA"


def uid(session: ClassroomSession) -> str:
    """The calendar event's UID: the same in every message about this session."""
    host = urlsplit(settings.current().base_url).hostname or "klarret"
    return f"klarret-hold-{session.id}@{host}"


def invitation(session: ClassroomSession, booking: ClassroomBooking, title: str, email: str,
               cancel: bool = False, tentative: bool = False) -> str:
    """The .ics text for one person: a REQUEST (new or updated), or a CANCEL."""
    zone = ZoneInfo(clock.LOCAL_ZONE)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "REQUEST")
    ev = Event()
    ev.add("uid", uid(session))
    ev.add("sequence", session.sequence + booking.sequence)
    ev.add("dtstamp", dt.datetime.now(dt.UTC))
    ev.add("dtstart", session.starts_at.replace(tzinfo=zone))
    ev.add("dtend", session.ends_at.replace(tzinfo=zone))
    ev.add("summary", f"Holdundervisning: {title}")
    ev.add("location", session.place or session.online_url or "")
    if session.online_url:
        ev.add("url", session.online_url)
    ev.add("description", (session.note + "\n\n" if session.note else "")
           + f"{settings.current().base_url}/kurser/{session.course_id}/hold")
    ev.add("status", "CANCELLED" if cancel else "TENTATIVE" if tentative else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{_address(settings.current().mail_from)}")
    organizer.params["cn"] = "KlarRet"
    ev.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "DECLINED" if cancel else "TENTATIVE" if tentative else "ACCEPTED"
    ev.add("attendee", attendee)
    cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical().decode()


def _address(sender: str) -> str:
    """The bare address of "KlarRet <klarret@kk.dk>"."""
    return sender.rpartition("<")[2].rstrip(">").strip() or "klarret@localhost"
