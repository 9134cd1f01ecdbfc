"""The classroom pages: booking as an employee, the trainer's new-session form, roster, attendance and CSV,
the capacity page; who may see them; the attendance window."""

from __future__ import annotations

import io

from sqlalchemy import select

from klarret.roles import Role
from tests.support.classroom import TODAY, give_password, past_session, seat, session
from tests.support.web import login, token


def _states(app, session_id):
    from klarret.db import db
    from quizzes.classroom.models import ClassroomBooking

    with app.app_context():
        return dict(db.session.execute(select(ClassroomBooking.staff_no, ClassroomBooking.state)
                                       .where(ClassroomBooking.session_id == session_id)).all())


def _client(app, staff_no):
    c = app.test_client()
    login(c, f"p{staff_no}@kk.dk")
    return c


def test_employee_books_and_cancels_on_the_course_page(class_app):
    with class_app.app_context():
        sid = session(capacity=1).id
        give_password("1", "2")
    one, two = _client(class_app, "1"), _client(class_app, "2")
    page = one.get("/kurser/blend/hold").get_data(as_text=True)
    assert "10. december 2026 kl. 09.00–12.00" in page and "1 af 1" in page
    r = one.post(f"/hold/{sid}/tilmeld", data={"csrf_token": token(one, "/kurser/blend/hold")}, follow_redirects=True)
    assert "har fået en plads" in r.get_data(as_text=True)
    r = two.post(f"/hold/{sid}/tilmeld", data={"csrf_token": token(two, "/kurser/blend/hold")}, follow_redirects=True)
    assert "står på ventelisten" in r.get_data(as_text=True)
    # An employee cannot book someone else.
    r = two.post(f"/hold/{sid}/tilmeld", data={"csrf_token": token(two, "/kurser/blend/hold"), "medarbejder": "4"},
                 follow_redirects=True)
    assert "Du kan ikke tilmelde Person 4" in r.get_data(as_text=True)
    r = one.post(f"/hold/{sid}/afmeld", data={"csrf_token": token(one, "/kurser/blend/hold")}, follow_redirects=True)
    assert "Den første på ventelisten har fået pladsen" in r.get_data(as_text=True)
    assert _states(class_app, sid) == {"1": "cancelled", "2": "booked"}
    assert one.get("/hold").status_code == 403 and one.get("/hold/kapacitet").status_code == 403
    assert "Vælg hold" in one.get("/min-side").get_data(as_text=True)


def test_trainer_creates_a_session_and_marks_attendance(class_app):
    with class_app.app_context():
        give_password("5", roles={"5": {Role.TRAINER}})
        past = past_session(days_ago=1, capacity=5).id
        for no in "1234":
            seat(past, no)
    t = _client(class_app, "5")
    r = t.post("/hold/ny", data={"csrf_token": token(t, "/hold/ny"), "kursus": "moede", "dato": "2026-12-14",
                                 "start": "09:00", "slut": "12:00", "sted": "Rådhuset", "pladser": "12",
                                 "forvaltning": ["SOF"]})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    roster = t.get(r.headers["Location"]).get_data(as_text=True)
    assert "Tilmeldingsfristen er 9. december 2026" in roster and "kun for SOF" in roster
    bad = t.post("/hold/ny", data={"csrf_token": token(t, "/hold/ny"), "kursus": "moede", "dato": "14-12-2026",
                                   "start": "09:00", "slut": "12:00", "pladser": "1"})
    assert bad.status_code == 400 and "Skriv dato som ÅÅÅÅ-MM-DD" in bad.get_data(as_text=True)
    url = f"/hold/{past}"
    assert "Marker alle som mødt" in t.get(url).get_data(as_text=True)
    t.post(f"{url}/alle-moedt", data={"csrf_token": token(t, url)})
    assert set(_states(class_app, past).values()) == {"attended"}
    # Untick 2 (absent), 3 partial.
    t.post(f"{url}/fremmoede", data={"csrf_token": token(t, url), "moedt": ["1", "3", "4"], "delvis": ["3"]})
    assert _states(class_app, past) == {"1": "attended", "2": "no_show", "3": "partial", "4": "attended"}
    csv = io.BytesIO(b"Medarbejdernummer;Navn\n1;Person 1\n2;Person 2\n6;Walk-in\n")
    t.post(f"{url}/csv", data={"csrf_token": token(t, url), "fil": (csv, "moede.csv")},
           content_type="multipart/form-data")
    assert _states(class_app, past) == {"1": "attended", "2": "attended", "3": "no_show", "4": "no_show",
                                           "6": "attended"}
    listing = t.get("/hold").get_data(as_text=True)
    assert "14. december 2026 kl. 09.00–12.00" in listing and "Afholdt" in listing


def test_attendance_window_closes_for_trainers_not_for_administrators(class_app):
    with class_app.app_context():
        give_password("5", "4", roles={"5": {Role.TRAINER}, "4": {Role.ADMINISTRATOR}})
        old = past_session(days_ago=6).id  # the course allows marking for 5 days
        seat(old, "1")
        soon = session().id
    t = _client(class_app, "5")
    page = t.get(f"/hold/{old}").get_data(as_text=True)
    assert "Bed en administrator om at rette det" in page and "Marker alle som mødt" not in page
    r = t.post(f"/hold/{old}/alle-moedt", data={"csrf_token": token(t, f"/hold/{old}")},
               follow_redirects=True)
    assert "Fremmødet kunne registreres til og med" in r.get_data(as_text=True)
    assert _states(class_app, old) == {"1": "booked"}
    assert "registreres, når holdet er begyndt" in t.get(f"/hold/{soon}").get_data(as_text=True)
    a = _client(class_app, "4")
    a.post(f"/hold/{old}/alle-moedt", data={"csrf_token": token(a, f"/hold/{old}")})
    assert _states(class_app, old) == {"1": "attended"}
    with class_app.app_context():
        from klarret.audit import AuditEvent
        from klarret.db import db

        ev = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "classroom.attendance")).one()
        assert ev.actor == "4" and ev.details["late"] is True


def test_capacity_page_counts_need_against_free_seats(class_app):
    from tests.support.status_org import attempt

    with class_app.app_context():
        give_password("4", roles={"4": {Role.ADMINISTRATOR}})
        attempt("1", "blend", TODAY, passed=True)
        s = session("moede", capacity=3, administrations=["BIF"])
        from quizzes.classroom.booking import book

        book(s.id, "6", "6")
    a = _client(class_app, "4")
    page = a.get("/hold/kapacitet").get_data(as_text=True)
    assert "Kun fremmøde" in page and "Blandet" in page
    # moede: six people need it, one (BIF) booked; two seats free only for BIF.
    assert "5 mangler et hold. 2 ledige pladser på 1 kommende hold" in page


def test_trainer_changes_a_session_everyone_is_told_and_the_wait_list_moves_up(class_app):
    from icalendar import Calendar

    from klarret.db import db
    from klarret.mail import MailOutbox
    from quizzes.classroom.booking import book

    with class_app.app_context():
        give_password("5", roles={"5": {Role.TRAINER}})
        sid = session(capacity=1).id
        book(sid, "1", "1")
        book(sid, "2", "2")
    t = _client(class_app, "5")
    url = f"/hold/{sid}/rediger"
    form = t.get(url).get_data(as_text=True)
    assert 'value="2026-12-10"' in form and 'value="09:00"' in form
    r = t.post(url, data={"csrf_token": token(t, url), "dato": "2026-12-11", "start": "10:00", "slut": "13:00",
                          "sted": "Rådhuset, lokale 14", "pladser": "2"})
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    assert _states(class_app, sid) == {"1": "booked", "2": "booked"}
    with class_app.app_context():
        mails = {m.recipient: m for m in db.session.scalars(select(MailOutbox))}
        from quizzes.classroom.models import ClassroomSession

        s = db.session.get(ClassroomSession, sid)
        assert (s.sequence, s.signup_deadline.isoformat()) == (1, "2026-12-08")  # the deadlines follow the start
    assert mails["p1@kk.dk"].subject == "Holdet er ændret: Blandet 11. december 2026"
    assert mails["p2@kk.dk"].subject.startswith("Du har fået plads på")
    event = Calendar.from_ical(mails["p1@kk.dk"].attachments[0]["text"]).events[0]
    assert event["SEQUENCE"] == 1 and str(event["LOCATION"]) == "Rådhuset, lokale 14"
    bad = t.post(url, data={"csrf_token": token(t, url), "dato": "2026-12-11", "start": "10:00", "slut": "13:00",
                            "sted": "X", "pladser": "1"})
    assert bad.status_code == 400 and "Der er allerede 2 tilmeldte" in bad.get_data(as_text=True)
