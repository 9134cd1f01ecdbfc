"""The e-learning's learning records as xAPI: each submitted attempt (passed or failed) and completion.

``queue_submission`` runs inside ``submit``'s transaction, so the attempt, its completion and their
statements are stored together or not at all. The statements' ids come from the records
(``attempt:ID:result``, ``attempt:ID:completed``), so ``klarret xapi backfill`` rebuilds the same ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flask import Flask
from sqlalchemy import select

from klarret.db import keyset_chunks
from quizzes.courses.loader import Course
from quizzes.models import Attempt, Completion
from quizzes.records import backfill, outbox
from quizzes.records.statements import Statement, Verb, course_activity, score_result, statement

CHUNK = 500


def attempt_statements(attempt: Attempt, course: Course, completion: Completion | None) -> list[Statement]:
    """passed or failed with the score, then completed if the attempt completed the course."""
    activity = course_activity(attempt.course_id, course.title)
    out = [statement(attempt.staff_no, Verb.PASSED if attempt.passed else Verb.FAILED, activity,
                     attempt.submitted_at, score_result(attempt.score, bool(attempt.passed)),
                     record=f"attempt:{attempt.id}:result")]
    if completion is not None:
        out.append(statement(attempt.staff_no, Verb.COMPLETED, activity, completion.completed_at,
                             {"completion": True}, record=f"attempt:{attempt.id}:completed"))
    return out


def queue_submission(attempt: Attempt, course: Course, completion: Completion | None) -> None:
    """Queue the attempt's statements in the caller's transaction (nothing without a store)."""
    if not outbox.enabled():
        return
    for stmt in attempt_statements(attempt, course, completion):
        outbox.queue(stmt)


def attempts_since(since: dt.date) -> Iterator[Statement]:
    """The statements of every attempt submitted since ``since``, in attempt order (the backfill source)."""
    from quizzes.attempts.service import pinned_course

    start = dt.datetime.combine(since, dt.time())
    query = (select(Attempt, Completion).outerjoin(Completion, Completion.attempt_id == Attempt.id)
             .where(Attempt.submitted_at >= start))
    for rows in keyset_chunks(query, Attempt.id, CHUNK):  # each chunk built before it is yielded: the backfill commits
        yield from [s for attempt, completion in rows
                    for s in attempt_statements(attempt, pinned_course(attempt), completion)]


def init_app(app: Flask) -> None:
    """Give `klarret xapi backfill` the attempts."""
    backfill.add_source(app, "Kursusforsøg og gennemførte kurser", attempts_since)
