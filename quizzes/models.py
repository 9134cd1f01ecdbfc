"""E-learning records: pinned course versions, attempts, answers and completions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from klarret import clock
from klarret.db import db


class CourseVersion(db.Model):
    """A course's content as it was when an attempt started: grading always uses this copy."""

    __tablename__ = "course_version"
    __table_args__ = (UniqueConstraint("course_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(32))
    content: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)


class Attempt(db.Model):
    """One try at a course; answers are saved as given and graded once, on submission."""

    __tablename__ = "attempt"
    # One open attempt per person and course: concurrent starts must resume the same attempt.
    __table_args__ = (Index("uq_attempt_open", "staff_no", "course_id", unique=True,
                            sqlite_where=text("submitted_at IS NULL"), postgresql_where=text("submitted_at IS NULL")),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    course_id: Mapped[str] = mapped_column(String(64), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("course_version.id"))
    seed: Mapped[int] = mapped_column(Integer)  # shuffles questions and options reproducibly
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    correct: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[int | None] = mapped_column(Integer)  # percent, rounded down
    passed: Mapped[bool | None] = mapped_column(Boolean)

    version: Mapped[CourseVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="attempt", cascade="all, delete-orphan")


class Answer(db.Model):
    """The options an employee chose for one question of an attempt; ``correct`` is set on grading."""

    __tablename__ = "answer"
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), primary_key=True)
    question_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    selected: Mapped[str] = mapped_column(Text)  # option ids joined by ","
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)
    correct: Mapped[bool | None] = mapped_column(Boolean)

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class Completion(db.Model):
    """The first passing attempt of a course (per renewal cycle), with a verification code."""

    __tablename__ = "completion"
    __table_args__ = (UniqueConstraint("staff_no", "course_id", "cycle"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    course_id: Mapped[str] = mapped_column(String(64), index=True)
    cycle: Mapped[int] = mapped_column(Integer, default=0)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempt.id"), unique=True)
    completed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    score: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32), unique=True)

    attempt: Mapped[Attempt] = relationship()


class Assignment(db.Model):
    """When a course was first assigned to an employee (due dates count from here or the start date)."""

    __tablename__ = "assignment"
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), primary_key=True)
    course_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    assigned_on: Mapped[dt.date] = mapped_column(Date)


class Exemption(db.Model):
    """A manual exemption from a course, with its reason (fritaget)."""

    __tablename__ = "exemption"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    course_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AttemptGrant(db.Model):
    """Extra attempts an administrator gives someone who has used them all."""

    __tablename__ = "attempt_grant"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    course_id: Mapped[str] = mapped_column(String(64))
    extra: Mapped[int] = mapped_column(Integer)
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)


class ReminderSent(db.Model):
    """A reminder that has been sent, so that each message goes out once."""

    __tablename__ = "reminder_sent"
    __table_args__ = (UniqueConstraint("staff_no", "course_id", "kind", "cycle"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    course_id: Mapped[str] = mapped_column(String(64))  # "" for a manager's weekly digest
    kind: Mapped[str] = mapped_column(String(16))  # assigned | due_soon | overdue | digest
    cycle: Mapped[str] = mapped_column(String(16))  # renewal cycle, or ISO week for a digest
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, default=clock.now)
