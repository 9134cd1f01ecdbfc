"""Classroom sessions, their trainers and the bookings (with the wait-list and attendance)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from klarret import clock
from klarret.db import db


class State(StrEnum):
    """A booking's state; the values are stored."""

    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"  # by the person (or for them)
    SESSION_CANCELLED = "session_cancelled"
    ATTENDED = "attended"
    PARTIAL = "partial"
    NO_SHOW = "no_show"


STATE_LABELS = {State.BOOKED: "Tilmeldt", State.WAITLISTED: "På venteliste", State.CANCELLED: "Afmeldt",
                State.SESSION_CANCELLED: "Holdet er aflyst", State.ATTENDED: "Deltog",
                State.PARTIAL: "Deltog delvist", State.NO_SHOW: "Udeblev"}
ACTIVE = (State.BOOKED, State.WAITLISTED)  # holds a seat or a wait-list place
MARKED = (State.ATTENDED, State.PARTIAL, State.NO_SHOW)
SEATED = (State.BOOKED, *MARKED)  # takes one of the session's seats


class ClassroomSession(db.Model):
    """One session (hold) of a course's classroom part. Times are local (Europe/Copenhagen), naive."""

    __tablename__ = "classroom_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(300), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int] = mapped_column(Integer)
    signup_deadline: Mapped[dt.date] = mapped_column(Date)  # the last day to sign up
    cancel_deadline: Mapped[dt.date] = mapped_column(Date)  # the last day the person can cancel
    administrations: Mapped[str] = mapped_column(String(100), default="")  # "SOF,BIF"; "" = everyone
    note: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # the .ics SEQUENCE: bumped on each change
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)

    trainers: Mapped[list[SessionTrainer]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def admin_codes(self) -> list[str]:
        return [c for c in self.administrations.split(",") if c]

    @property
    def trainer_nos(self) -> list[str]:
        return sorted(t.staff_no for t in self.trainers)


class SessionTrainer(db.Model):
    """A trainer (underviser) of a session."""

    __tablename__ = "classroom_trainer"
    session_id: Mapped[int] = mapped_column(ForeignKey("classroom_session.id", ondelete="CASCADE"), primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), primary_key=True)


class ClassroomBooking(db.Model):
    """One person's place on a session: a seat, a wait-list place, or what became of it."""

    __tablename__ = "classroom_booking"
    __table_args__ = (UniqueConstraint("session_id", "staff_no"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("classroom_session.id"), index=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    course_id: Mapped[str] = mapped_column(String(64), index=True)  # the session's, for the status engine
    state: Mapped[str] = mapped_column(String(20))
    booked_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)  # wait-list order
    booked_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)
    attended_on: Mapped[dt.date | None] = mapped_column(Date)  # the session's start day, once marked
    sequence: Mapped[int] = mapped_column(Integer, default=0)  # this person's .ics updates

    session: Mapped[ClassroomSession] = relationship()
