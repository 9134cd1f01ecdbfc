"""Demo course activity: attempts with answers, scores and completions, as the quiz code would record them.

Answers are simulated per question, so scores, pass/fail and the knowledge-gap figures follow from
them: each question has a difficulty, each person a skill, and each administration is weaker on a few
topics. The first passing attempt gets a Completion with a code, exactly as ``quizzes.attempts.service`` does.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from sqlalchemy import func, select, text

from klarret.db import db
from klarret.demo.org import Person
from klarret.org.write import insert_rows
from quizzes.attempts.service import CODE_ALPHABET, pin_version
from quizzes.completion.status import rule_test, unit_managers
from quizzes.courses.loader import Course
from quizzes.courses.rules import Rule
from quizzes.models import Answer, Attempt, Completion

# The share of a course's audience who have started it (optional courses: a few volunteers).
TAKE_RATE = {"alle": 0.85, "forvaltning": 0.75, "enhed": 0.75, "nye": 0.6, "ledere": 0.75, "valgfri": 0.08}
ADMIN_EAGERNESS = {"ØKF": 1.05, "KFF": 0.95, "BUF": 0.85, "SUF": 0.8, "SOF": 1.0, "TMF": 0.9, "BIF": 1.0}


# (staff number, administration code, unit id, start date): what the assignment rules look at.
Who = tuple[str, str, "int | None", "dt.date | None"]


def assignments(people: Iterable[Who], courses: dict[str, Course], today: dt.date) -> dict[tuple[str, str], Rule]:
    """Per (staff number, course id) with a mandatory course, the first of its rules that assigns it,
    decided by the status engine's own rule tests (``quizzes.completion.status.rule_test``)."""
    managers = unit_managers()
    tests = {cid: [(rule, rule_test(rule, managers, today)) for rule in c.rules] for cid, c in courses.items()}
    out: dict[tuple[str, str], Rule] = {}
    for staff_no, admin, unit_id, start in people:
        for cid, rules in tests.items():
            rule = next((r for r, test in rules if test(admin, unit_id, staff_no, start, None)), None)
            if rule is not None:
                out[staff_no, cid] = rule
    return out


def load_activity(rng: random.Random, staff: list[Person], units: dict[tuple[str, str], int],
                  courses: dict[str, Course], today: dt.date) -> None:
    """Insert attempts, answers and completions for ``staff`` (bulk; a few seconds for 2,000 people).

    Who takes a mandatory course follows the real assignment rules (``assignments``); a course without
    rules is optional and taken by a few volunteers."""
    mandatory = assignments(((p.staff_no, p.administration, units[p.administration, p.unit_path], p.start_date)
                             for p in staff), courses, today)
    versions = {cid: pin_version(c).id for cid, c in sorted(courses.items())}
    pages = sorted({q.page for c in courses.values() for q in c.questions})
    # Each administration is weaker on a few topics: that is what the knowledge-gap view should reveal.
    weak = {code: set(rng.sample(pages, min(3, len(pages)))) for code in ADMIN_EAGERNESS}
    difficulty = {q.id: rng.uniform(0.02, 0.3) for c in courses.values() for q in c.questions}
    keys = {q.id: (sorted(q.correct_ids), [o.id for o in q.options if not o.correct] or [q.options[0].id])
            for c in courses.values() for q in c.questions}
    codes = set(db.session.scalars(select(Completion.code)))
    attempts: list[dict] = []
    answers: list[list[dict]] = []
    passing: list[int | None] = []
    for p in staff:
        sloppiness = rng.uniform(0.6, 1.4)
        for cid, course in sorted(courses.items()):
            rule = mandatory.get((p.staff_no, cid))
            if course.rules and rule is None:
                continue  # outside every rule of a mandatory course
            audience, effective = (rule.who, rule.effective) if rule is not None else ("valgfri", None)
            newcomer = (today - p.start_date).days < 90
            rate = TAKE_RATE.get(audience, 0.75) * ADMIN_EAGERNESS[p.administration] * (0.4 if newcomer else 1)
            if rng.random() > rate:
                continue  # ikke startet
            # A mandatory course is taken once its rule applies; optional ones over the last two years.
            first_day = max(p.start_date, effective or today - dt.timedelta(days=720))
            last_day = min(p.end_date or today, today)
            if last_day <= first_day:
                continue
            when = _moment(rng, first_day, last_day)
            for n in range(rng.choice([1, 1, 2, 3])):
                in_progress = rng.random() < 0.08
                rows, correct = _answers(rng, course, p, sloppiness * (0.75 ** n), weak, difficulty, keys,
                                         in_progress)
                total = len(course.questions)
                score = (100 * correct) // total if total else 0
                submitted = None if in_progress else when + dt.timedelta(minutes=rng.randint(8, 45))
                attempts.append({"staff_no": p.staff_no, "course_id": cid, "version_id": versions[cid],
                                 "seed": rng.randrange(2**31), "started_at": when, "submitted_at": submitted,
                                 "correct": None if in_progress else correct, "total": None if in_progress else total,
                                 "score": None if in_progress else score,
                                 "passed": None if in_progress else score >= course.pass_mark})
                answers.append(rows)
                passed = not in_progress and score >= course.pass_mark
                passing.append(score if passed else None)
                if passed or in_progress:
                    break  # the first passing attempt completes the course; an open one is the latest
                when = min(when + dt.timedelta(days=rng.randint(0, 30)), dt.datetime.combine(today, dt.time(8)))
    if not attempts:
        return
    # Explicit ids (demo data is loaded by one process), so the answers and completions can refer to them.
    first = (db.session.scalar(select(func.max(Attempt.id))) or 0) + 1
    ids = range(first, first + len(attempts))
    insert_rows(Attempt, [{"id": i, **a} for i, a in zip(ids, attempts, strict=False)])
    if db.session.get_bind().dialect.name == "postgresql":  # move the id sequence past the rows just added
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('attempt', 'id'), :n)"), {"n": ids[-1]})
    insert_rows(Answer, [{**a, "attempt_id": i, "answered_at": row["started_at"]}
                         for i, row, rows in zip(ids, attempts, answers, strict=False) for a in rows])
    completions = []
    for i, row, score in zip(ids, attempts, passing, strict=False):
        if score is None:
            continue
        code = _code(rng, codes)
        completions.append({"staff_no": row["staff_no"], "course_id": row["course_id"], "cycle": 0,
                            "attempt_id": i, "completed_at": row["submitted_at"], "score": score, "code": code})
    if completions:
        insert_rows(Completion, completions)


def _moment(rng: random.Random, first: dt.date, last: dt.date) -> dt.datetime:
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    return dt.datetime.combine(day, dt.time(rng.randint(8, 15), rng.randint(0, 59)))


def _answers(rng: random.Random, course: Course, p: Person, sloppiness: float, weak: dict, difficulty: dict,
             keys: dict, in_progress: bool) -> tuple[list[dict], int]:
    """Simulated answers to every question (the first few only, for an attempt still open)."""
    questions = course.questions
    if in_progress:
        questions = questions[: rng.randint(0, max(0, len(questions) - 1))]
    rows, correct = [], 0
    for q in questions:
        wrong_rate = difficulty[q.id] * sloppiness * (2.2 if q.page in weak[p.administration] else 1)
        right = rng.random() >= min(0.9, wrong_rate)
        correct_ids, wrong = keys[q.id]
        if right:
            chosen = correct_ids
        else:
            chosen = sorted({rng.choice(wrong)} | (set(correct_ids) if q.type == "multiple" else set()))
        correct += right
        rows.append({"question_id": q.id, "selected": ",".join(chosen), "correct": None if in_progress else right})
    return rows, correct


def _code(rng: random.Random, taken: set[str]) -> str:
    while True:
        code = "".join(rng.choice(CODE_ALPHABET) for _ in range(10))
        if code not in taken:
            taken.add(code)
            return code
