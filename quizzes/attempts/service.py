"""Taking a course: start (pinned version), save answers as given, submit once, grade on the server."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from klarret import clock, metrics
from klarret.db import db, lock_row
from klarret.org.models import Employee
from quizzes.attempts import xapi
from quizzes.courses import catalogue
from quizzes.courses.loader import Course, Question
from quizzes.courses.rules import add_months
from quizzes.models import Answer, Attempt, AttemptGrant, Completion, CourseVersion

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed


class AttemptError(Exception):
    """A request the attempt cannot accept; ``message`` is Danish, for the employee."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


HANDED_IN = ("Forsøget er allerede afleveret, så svaret blev ikke gemt. Genindlæs siden for at se "
             "resultatet, og start et nyt forsøg, hvis du vil prøve igen.")


class AttemptClosed(AttemptError):
    status = 409


class AttemptLimit(AttemptError):
    status = 409


def pin_version(course: Course) -> CourseVersion:
    """The stored copy of this version of the course, created on first use."""
    stmt = select(CourseVersion).where(CourseVersion.course_id == course.id, CourseVersion.version == course.version)
    found = db.session.scalar(stmt)
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            found = CourseVersion(course_id=course.id, version=course.version, content=course.to_json())
            db.session.add(found)
    except IntegrityError:  # another worker pinned the same version at the same moment
        found = db.session.scalar(stmt)
    return found


@lru_cache(maxsize=64)
def _course_of_version(version_id: int, version: str, content_key: str) -> Course:
    row = db.session.get(CourseVersion, version_id)
    return Course.from_json(row.content, version=row.version)


def pinned_course(attempt: Attempt) -> Course:
    """The course exactly as it was when the attempt started."""
    return _course_of_version(attempt.version_id, attempt.version.version, attempt.course_id)


def open_attempt(user: Employee, course_id: str) -> Attempt | None:
    """The employee's unsubmitted attempt at a course, if any."""
    return db.session.scalar(select(Attempt).where(Attempt.staff_no == user.staff_no, Attempt.course_id == course_id,
                                                   Attempt.submitted_at.is_(None)).order_by(Attempt.id.desc()))


def attempts_of(user: Employee, course_id: str) -> list[Attempt]:
    """All attempts, newest first (every attempt is kept)."""
    return list(db.session.scalars(select(Attempt).where(Attempt.staff_no == user.staff_no,
                                                         Attempt.course_id == course_id).order_by(Attempt.id.desc())))


def completion_of(user: Employee, course_id: str) -> Completion | None:
    """The completion of the latest renewal cycle, if any."""
    return db.session.scalar(select(Completion).where(Completion.staff_no == user.staff_no,
                                                      Completion.course_id == course_id)
                             .order_by(Completion.cycle.desc()).limit(1))


def attempts_left(user: Employee, course: Course) -> int | None:
    """How many more attempts may start (None: no limit); an administrator's grants add to the limit."""
    if not course.max_attempts:
        return None
    used = db.session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.staff_no == user.staff_no, Attempt.course_id == course.id))
    extra = db.session.scalar(select(func.coalesce(func.sum(AttemptGrant.extra), 0)).where(
        AttemptGrant.staff_no == user.staff_no, AttemptGrant.course_id == course.id))
    return max(0, course.max_attempts + extra - used)


def start_attempt(user: Employee, course: Course) -> Attempt:
    """Resume the open attempt, or start a new one on the current version."""
    existing = open_attempt(user, course.id)
    if existing is not None:
        return existing
    if attempts_left(user, course) == 0 and completion_of(user, course.id) is None:
        raise AttemptLimit("Du har brugt alle dine forsøg på dette kursus. Kontakt en administrator, "
                           "hvis du skal have et forsøg mere.")
    attempt = Attempt(staff_no=user.staff_no, course_id=course.id, version_id=pin_version(course).id,
                      seed=secrets.randbelow(2**31))
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:  # a concurrent start (another tab, a double click) created it first: resume that
        db.session.commit()
        return open_attempt(user, course.id)
    db.session.commit()
    return attempt


def shuffled(attempt: Attempt, items: list, salt: str) -> list:
    """``items`` in this attempt's own order: random per attempt, the same on every page load."""
    out = list(items)
    random.Random(f"{attempt.seed}:{salt}").shuffle(out)
    return out


def module_questions(attempt: Attempt, course: Course, index: int) -> list[Question]:
    return shuffled(attempt, course.modules[index].questions, f"module:{index}")


def answers_of(attempt: Attempt) -> dict[str, list[str]]:
    """Question id -> the option ids chosen so far."""
    return {a.question_id: [s for s in a.selected.split(",") if s] for a in attempt.answers}


def save_answer(attempt: Attempt, question_id: str, option_ids: list[str]) -> None:
    """Store an answer as it is given (replacing an earlier one); refuse it after submission."""
    if attempt.submitted_at is not None:
        raise AttemptClosed(HANDED_IN)
    question = pinned_course(attempt).question(question_id)
    if question is None:
        raise AttemptError(f"Spørgsmålet '{question_id[:64]}' hører ikke til dette kursus.")
    valid = {o.id for o in question.options}
    chosen = list(dict.fromkeys(option_ids))
    if any(o not in valid for o in chosen):
        raise AttemptError("Svaret indeholder en svarmulighed, der ikke hører til spørgsmålet.")
    if question.type != "multiple" and len(chosen) > 1:
        raise AttemptError("Vælg kun ét svar til dette spørgsmål.")
    selected = ",".join(sorted(chosen))
    # Claim the attempt first: a submission holding it makes this save wait, then find it handed in.
    db.session.commit()
    claimed = lock_row(Attempt, attempt.id)
    if claimed is None or claimed.submitted_at is not None:
        db.session.rollback()
        raise AttemptClosed(HANDED_IN)
    row = db.session.get(Answer, (attempt.id, question_id))
    if row is None:
        db.session.add(Answer(attempt_id=attempt.id, question_id=question_id, selected=selected))
    else:
        row.selected, row.answered_at = selected, clock.now()
    db.session.commit()
    metrics.count("answers_saved")


def shows_key(course: Course, attempt: Attempt, left: int | None) -> bool:
    """Whether the result page may show the correct options (the course's ``vis_svar``)."""
    if course.show_answers == "altid" or attempt.passed:
        return True
    return course.show_answers == "efter-sidste-forsoeg" and left == 0


def grade(course: Course, answers: dict[str, list[str]]) -> dict[str, bool]:
    """Question id -> right or wrong: right only if exactly the correct options were chosen."""
    return {q.id: set(answers.get(q.id, [])) == set(q.correct_ids) for q in course.questions}


def submit(attempt: Attempt) -> Attempt:
    """Grade and close the attempt once; a second submission returns the same result."""
    if attempt.submitted_at is not None:
        return attempt
    # Claim the attempt, then read and grade inside the same transaction: a save either committed
    # before the claim (and is graded) or waits and is refused (409), never stored but ungraded.
    db.session.commit()
    claimed = lock_row(Attempt, attempt.id)
    if claimed is None or claimed.submitted_at is not None:  # another tab handed it in first
        db.session.rollback()
        db.session.refresh(attempt)
        return attempt
    db.session.refresh(claimed, ["answers"])
    course = pinned_course(claimed)
    results = grade(course, answers_of(claimed))
    correct, total = sum(results.values()), len(results)
    score = (100 * correct) // total if total else 0
    passed = score >= course.pass_mark
    now = clock.now()
    claimed.submitted_at, claimed.correct, claimed.total, claimed.score, claimed.passed = (
        now, correct, total, score, passed)
    for answer in claimed.answers:
        answer.correct = results.get(answer.question_id, False)
    completion = _record_completion(claimed, score, now) if passed else None
    xapi.queue_submission(claimed, course, completion)  # the statements commit with the result
    db.session.commit()
    metrics.count("attempts_submitted")  # after the commit: a submission that lost the race is not counted
    db.session.refresh(attempt)
    return attempt


def _record_completion(attempt: Attempt, score: int, when: dt.datetime) -> Completion | None:
    """The first passing attempt of a renewal cycle is its completion; other passes stay attempts only."""
    cycle = _new_cycle(attempt.staff_no, attempt.course_id, when)
    if cycle is None:
        return None
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    completion = Completion(staff_no=attempt.staff_no, course_id=attempt.course_id, cycle=cycle,
                            attempt_id=attempt.id, completed_at=when, score=score, code=code)
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        return None  # a concurrent submission of another attempt got there first
    return completion


def _new_cycle(staff_no: str, course_id: str, when: dt.datetime) -> int | None:
    """The cycle a pass at ``when`` completes: 0 first; the next once the renewal window has opened."""
    latest = db.session.execute(select(Completion.cycle, Completion.completed_at).where(
        Completion.staff_no == staff_no, Completion.course_id == course_id)
        .order_by(Completion.cycle.desc()).limit(1)).first()
    if latest is None:
        return 0
    course = catalogue().get(course_id)
    if course is None or not course.renew_months:
        return None
    opens = add_months(latest.completed_at.date(), course.renew_months) - dt.timedelta(days=course.soon_days)
    return latest.cycle + 1 if when.date() >= opens else None


def completion_by_code(code: str) -> Completion | None:
    """A completion by its verification code (case and spaces forgiven)."""
    clean = "".join(code.split()).upper()
    return db.session.scalar(select(Completion).where(Completion.code == clean)) if clean else None
