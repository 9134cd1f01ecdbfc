#!/usr/bin/env python3
"""Benchmark e-learning writes: answer-saves and submissions by concurrent simulated employees.

For each database (SQLite in WAL mode, and PostgreSQL when --pg or KLARRET_TEST_DATABASE_URL is
given) it runs, side by side in one process:
  * a bare baseline: the same threads each inserting one row per transaction into a plain table;
  * the real thing: each employee starts an attempt, saves every answer one by one (each save its own
    transaction, as from the browser), then submits twice (a double click).
It prints throughput as a ratio to the bare insert and checks that no attempt is lost or duplicated.

    .venv/bin/python bench/quiz.py [--employees 8] [--rounds 3] [--pg postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from klarret.db import reset_postgres  # noqa: E402


def make_app(url: str, tmp: Path):
    from flask_migrate import upgrade

    from klarret.app import create_app

    os.environ["KLARRET_INSTANCE_PATH"] = str(tmp / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "KLARRET_COURSES_DIR": ROOT / "tests" / "data" / "courses",
                      "KLARRET_BUILD_DIR": tmp / "build", "KLARRET_HTML_DIR": tmp / "build" / "html",
                      "KLARRET_INDEX_DIR": tmp / "build" / "index"})
    with app.app_context():
        upgrade()
    return app


def run_threads(n: int, work) -> float:
    errors: list[BaseException] = []

    def wrapped(i: int) -> None:
        try:
            work(i)
        except BaseException as exc:  # reported after the run
            errors.append(exc)

    threads = [threading.Thread(target=wrapped, args=(i,)) for i in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - t0


def bench(url: str, label: str, employees: int, rounds: int) -> None:
    from klarret.db import db
    from klarret.org.models import Employee, ensure_administrations
    from quizzes.attempts.service import save_answer, start_attempt, submit
    from quizzes.courses import catalogue as courses
    from quizzes.models import Answer, Attempt, Completion

    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(url, Path(tmp))
        with app.app_context():
            ensure_administrations()
            for i in range(employees * rounds):
                db.session.add(Employee(staff_no=f"B{i:05d}", name=f"Bench {i}", email=f"b{i}@bench.invalid"))
            db.session.execute(sa.text("CREATE TABLE IF NOT EXISTS bench_bare "
                                       "(id INTEGER PRIMARY KEY, worker INTEGER, n INTEGER, note TEXT)"))
            db.session.commit()
            course = courses()["test-kursus"]
            questions = course.questions

        def bare(i: int) -> None:
            with app.app_context():
                for r in range(rounds):
                    for k in range(len(questions) + 1):
                        db.session.execute(sa.text("INSERT INTO bench_bare (id, worker, n, note) "
                                                   "VALUES (:id, :w, :n, 'x')"),
                                           {"id": (i * rounds + r) * 1000 + k, "w": i, "n": k})
                        db.session.commit()
                db.session.remove()

        def employee(i: int) -> None:
            with app.app_context():
                for r in range(rounds):
                    user = db.session.get(Employee, f"B{i * rounds + r:05d}")
                    attempt = start_attempt(user, courses()["test-kursus"])
                    for q in questions:
                        save_answer(attempt, q.id, sorted(q.correct_ids))
                    submit(attempt)
                    submit(db.session.get(Attempt, attempt.id))  # the double click
                db.session.remove()

        ops = employees * rounds * (len(questions) + 1)
        t_bare = run_threads(employees, bare)
        t_quiz = run_threads(employees, employee)
        with app.app_context():
            count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
            attempts, answers, completions = count(Attempt), count(Answer), count(Completion)
            graded = db.session.scalar(sa.select(sa.func.count()).select_from(Attempt).where(Attempt.score == 100))
            db.session.remove()
            db.engine.dispose()
    expected = employees * rounds
    print(f"{label}: {employees} concurrent employees × {rounds} attempts × {len(questions)} answers + submit")
    print(f"  bare insert:        {ops / t_bare:8.0f} tx/s")
    print(f"  answer-save+submit: {ops / t_quiz:8.0f} tx/s  = {t_bare / t_quiz:.2f} × bare insert")
    ok = attempts == expected and graded == expected and completions == expected and \
        answers == expected * len(questions)
    print(f"  attempts {attempts}/{expected}, graded {graded}, completions {completions}, answers "
          f"{answers}/{expected * len(questions)}: {'no lost or duplicated attempt' if ok else 'MISMATCH'}")
    if not ok:
        raise SystemExit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pg", default=os.environ.get("KLARRET_TEST_DATABASE_URL"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{tmp}/bench.db", "SQLite (WAL)", args.employees, args.rounds)
    if args.pg:
        reset_postgres(args.pg)
        bench(args.pg, "PostgreSQL", args.employees, args.rounds)
    else:
        print("PostgreSQL: skipped (give --pg URL or set KLARRET_TEST_DATABASE_URL)")


if __name__ == "__main__":
    main()
