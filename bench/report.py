#!/usr/bin/env python3
"""Benchmark the organisation and reports at Copenhagen's size, measured side by side in one run.

It generates an HR file of 45,000 employees in 600 units (klarret.demo.org.generate_hr_csv), imports it
with the real HR import (timed), bulk-inserts 300,000 attempts (with completions) over the five real
courses, and then prints:
  * the HR import time;
  * the manager dashboard (GET /leder, full page) for the manager of the largest administration's top
    unit, as a ratio to the bare SQL aggregate it needs (quizzes.completion.status.aggregate_query on the same
    units), the two timed alternately in the same process (target: at most 3x);
  * the XLSX export's time as a ratio to the CSV export of the same rows (target: at most 3x);
  * the peak memory (ru_maxrss, in a fresh subprocess each) of a full XLSX export against the row
    count, next to a subprocess that only reads the same rows, and one that exports a single
    administration (bounded memory: the export must not grow with its rows).

    .venv/bin/python bench/report.py [--employees 45000] [--units 600] [--attempts 300000]
                                     [--database-url postgresql+psycopg://...]   # EMPTIES that database
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from klarret.db import reset_postgres  # noqa: E402

TODAY = dt.date(2026, 11, 29)


def make_app(url: str, tmp: Path, migrate: bool = True):
    from klarret.app import create_app

    os.environ["KLARRET_INSTANCE_PATH"] = str(tmp / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
                      "KLARRET_BUILD_DIR": tmp / "build", "KLARRET_HTML_DIR": tmp / "build" / "html",
                      "KLARRET_INDEX_DIR": tmp / "build" / "index", "KLARRET_TODAY": TODAY})
    if migrate:
        from flask_migrate import upgrade

        with app.app_context():
            upgrade()
    return app


def load_attempts(n_attempts: int, seed: int) -> dict[str, int]:
    """Bulk-insert ``n_attempts`` attempts over the real courses, with completions for first passes."""
    from sqlalchemy import select

    from klarret.db import db
    from klarret.org.hr_import import insert_rows
    from klarret.org.models import Employee
    from quizzes.attempts.service import pin_version
    from quizzes.courses import catalogue as courses
    from quizzes.models import Attempt, Completion

    rng = random.Random(seed)
    course_list = sorted(courses().values(), key=lambda c: c.id)
    versions = {c.id: pin_version(c).id for c in course_list}
    db.session.commit()
    staff = list(db.session.execute(select(Employee.staff_no, Employee.start_date).where(Employee.active.is_(True))
                                     .order_by(Employee.staff_no)))
    attempts, completions, next_id = [], [], 1
    open_pairs: set[tuple[str, str]] = set()
    while len(attempts) < n_attempts:
        staff_no, start = staff[rng.randrange(len(staff))]
        course = course_list[rng.randrange(len(course_list))]
        first = max(start or TODAY - dt.timedelta(days=1500), TODAY - dt.timedelta(days=1100))
        span = max(1, (TODAY - first).days)
        when = dt.datetime.combine(first + dt.timedelta(days=rng.randrange(span)), dt.time(9))
        passed_once = False
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            # At most one open attempt per person and course (the uq_attempt_open index).
            open_ = rng.random() < 0.06 and (staff_no, course.id) not in open_pairs
            if open_:
                open_pairs.add((staff_no, course.id))
            score = rng.randint(40, 100)
            passed = not open_ and score >= course.pass_mark
            attempts.append({"id": next_id, "staff_no": staff_no, "course_id": course.id,
                             "version_id": versions[course.id], "seed": rng.randrange(2**31), "started_at": when,
                             "submitted_at": None if open_ else when + dt.timedelta(minutes=20),
                             "correct": None if open_ else score // 10, "total": None if open_ else 10,
                             "score": None if open_ else score, "passed": None if open_ else passed})
            if passed and not passed_once:
                completions.append({"staff_no": staff_no, "course_id": course.id, "cycle": 0, "attempt_id": next_id,
                                    "completed_at": when + dt.timedelta(minutes=20), "score": score,
                                    "code": f"B{next_id:09d}"})
                passed_once = True
            next_id += 1
            if open_ or passed or len(attempts) >= n_attempts:
                break
            when += dt.timedelta(days=rng.randint(1, 20))
    # One completion per (person, course, cycle): keep the earliest of repeated picks.
    seen, unique = set(), []
    for c in sorted(completions, key=lambda c: c["completed_at"]):
        key = (c["staff_no"], c["course_id"])
        if key not in seen:
            seen.add(key)
            unique.append(c)
    for i in range(0, len(attempts), 50_000):
        insert_rows(Attempt, attempts[i:i + 50_000])
    insert_rows(Completion, unique)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy import text

        db.session.execute(text("SELECT setval('attempt_id_seq', (SELECT max(id) FROM attempt))"))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    else:
        from sqlalchemy import text

        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"attempts": len(attempts), "completions": len(unique)}


def largest_administration_manager() -> tuple[str, str]:
    """(administration code, staff number of its top unit's manager), creating the manager if absent."""
    from sqlalchemy import func, select

    from klarret.db import db
    from klarret.org.models import Employee, Unit, UnitManager

    code = db.session.execute(select(Unit.administration_code, func.count(Employee.staff_no))
                              .join(Employee, Employee.unit_id == Unit.id).where(Employee.active.is_(True))
                              .group_by(Unit.administration_code).order_by(func.count(Employee.staff_no).desc())
                              ).first()[0]
    top = db.session.scalar(select(Unit).where(Unit.administration_code == code, Unit.path == ""))
    boss = db.session.scalar(select(UnitManager.staff_no).where(UnitManager.unit_id == top.id))
    if boss is None:
        boss = db.session.scalar(select(Employee.staff_no).where(Employee.unit_id == top.id)) or \
            db.session.scalar(select(Employee.staff_no).join(Unit, Unit.id == Employee.unit_id)
                              .where(Unit.administration_code == code))
        db.session.add(UnitManager(unit_id=top.id, staff_no=boss))
        db.session.commit()
    return code, boss


def _login(app, client, staff_no: str) -> None:
    """Give the test client a server-side session for ``staff_no`` (the login page's throttle stays out of it)."""
    import secrets

    from klarret import clock
    from klarret.auth.sessions import UserSession
    from klarret.db import db

    sid = secrets.token_urlsafe(32)
    with app.app_context():
        now = clock.now()
        db.session.add(UserSession(id=sid, staff_no=staff_no, created_at=now, seen_at=now))
        db.session.commit()
    with client.session_transaction() as s:
        s["sid"] = sid


def time_dashboard(app, boss: str, rounds: int) -> dict:
    """The full /leder page vs the bare aggregate on the same units, alternately."""
    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.org.scope import visible_unit_ids
    from quizzes.completion.status import aggregate_query

    client = app.test_client()
    _login(app, client, boss)
    with app.app_context():
        scope = visible_unit_ids(db.session.get(Employee, boss), TODAY)
    page, bare, n_rows, status = [], [], 0, 0
    for i in range(rounds + 1):  # the first round warms caches and is not counted
        with app.app_context():
            t0 = time.perf_counter()
            n_rows = len(db.session.execute(aggregate_query(unit_ids=scope, expand_units=False)).all())
            t_bare = time.perf_counter() - t0
            db.session.remove()
        t0 = time.perf_counter()
        r = client.get("/leder")
        body = r.get_data()
        assert r.status_code == 200, r.status_code
        t_page = time.perf_counter() - t0
        status = r.status_code
        if i:
            page.append(t_page)
            bare.append(t_bare)
    return {"units": len(scope), "aggregate_rows": n_rows, "status": status, "bytes": len(body),
            "page": statistics.median(page), "bare": statistics.median(bare)}


def _vm(field: str) -> float:
    """VmHWM (peak) or VmRSS of this process in MB. Not ru_maxrss: Linux carries that over from the
    parent through fork and exec, so a child would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


def time_municipality(app) -> float:
    """One GET /kommune (all 45,000 employees, monthly series) by an administrator, for information."""
    from sqlalchemy import select

    from klarret.db import db
    from klarret.org.models import Employee
    from klarret.roles import Role

    with app.app_context():
        admin = db.session.scalar(select(Employee).order_by(Employee.staff_no).limit(1))
        admin.roles = {Role.ADMINISTRATOR}
        staff_no = admin.staff_no
        db.session.commit()
    client = app.test_client()
    _login(app, client, staff_no)
    t0 = time.perf_counter()
    r = client.get("/kommune")
    r.get_data()
    assert r.status_code == 200, r.status_code
    return time.perf_counter() - t0


def child(url: str, mode: str, administration: str | None) -> None:
    """Run in a subprocess: read (or export) the rows, print the row count and peak memory as JSON."""
    scratch = tempfile.TemporaryDirectory(prefix="klarret-bench-child-")
    app = make_app(url, Path(scratch.name), migrate=False)
    with app.app_context():
        from sqlalchemy import text

        from klarret.db import db

        db.session.execute(text("SELECT 1"))
        base = _vm("VmRSS")
        from quizzes.completion.status import status_rows
        from quizzes.reports.exports import csv_chunks, write_xlsx

        rows = status_rows(administration=administration, today=TODAY)
        t0 = time.perf_counter()
        if mode == "xlsx":
            with tempfile.TemporaryFile() as fh:
                n = write_xlsx(rows, fh)
                size = fh.tell()
        elif mode == "csv":
            n = 0

            def counted():
                nonlocal n
                for r in rows:
                    n += 1
                    yield r

            with tempfile.TemporaryFile() as fh:
                for chunk in csv_chunks(counted()):
                    fh.write(chunk.encode("utf-8"))
                size = fh.tell()
        else:
            n, size = sum(1 for _ in rows), 0
        seconds = time.perf_counter() - t0
    print(json.dumps({"rows": n, "peak_mb": _vm("VmHWM"), "base_mb": base, "seconds": seconds, "bytes": size}))
    scratch.cleanup()


def run_child(url: str, mode: str, administration: str | None) -> dict:
    cmd = [sys.executable, __file__, "--child", mode, "--database-url", url]
    if administration:
        cmd += ["--administration", administration]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=45_000)
    ap.add_argument("--units", type=int, default=600)
    ap.add_argument("--attempts", type=int, default=300_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--database-url", help="PostgreSQL URL (the database is EMPTIED); default a temporary SQLite")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (SQLite database, HR file)")
    ap.add_argument("--child", choices=("xlsx", "csv", "read"), help=argparse.SUPPRESS)
    ap.add_argument("--administration", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.database_url, args.child, args.administration)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="klarret-bench-report-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    if args.database_url:
        reset_postgres(url)
    app = make_app(url, tmp)
    from klarret.demo.org import generate_hr_csv
    from klarret.org.hr_import import run_import

    print(f"Database: {app.config['SQLALCHEMY_DATABASE_URI'].split('@')[-1]}")
    hr = generate_hr_csv(tmp / "hr.csv", employees=args.employees, units=args.units, seed=args.seed, today=TODAY)
    with app.app_context():
        t0 = time.perf_counter()
        plan = run_import(hr, "bench", today=TODAY)
        t_import = time.perf_counter() - t0
        assert not plan.errors, plan.errors[:3]
        from sqlalchemy import func, select

        from klarret.db import db
        from klarret.org.models import Employee, Unit

        n_emp = db.session.scalar(select(func.count()).select_from(Employee))
        n_units = db.session.scalar(select(func.count()).select_from(Unit))
        print(f"HR import: {n_emp:,} employees, {n_units:,} units from a {hr.stat().st_size / 1e6:.1f} MB file "
              f"in {t_import:.1f} s (klarret.org.hr_import.run_import, one transaction)")
        t0 = time.perf_counter()
        counts = load_attempts(args.attempts, args.seed)
        print(f"Attempts: {counts['attempts']:,} attempts, {counts['completions']:,} completions bulk-inserted "
              f"in {time.perf_counter() - t0:.1f} s (not part of any figure below)")
        code, boss = largest_administration_manager()
    d = time_dashboard(app, boss, args.rounds)
    ratio = d["page"] / d["bare"]
    print(f"Dashboard, {code} (largest administration, {d['units']} units, {d['aggregate_rows']:,} aggregate rows; "
          f"HTTP {d['status']}, {d['bytes'] / 1024:.0f} KB): page {d['page'] * 1000:.0f} ms, bare aggregate "
          f"{d['bare'] * 1000:.0f} ms, ratio {ratio:.2f}x (target <= 3x: {'OK' if ratio <= 3 else 'MISSED'})")
    print(f"Municipality view (/kommune, every employee, 12 monthly points): {time_municipality(app):.1f} s "
          "(for information; no target)")
    read_all = run_child(url, "read", None)
    csv_all = run_child(url, "csv", None)
    xlsx_all = run_child(url, "xlsx", None)
    xlsx_one = run_child(url, "xlsx", code)
    grow = lambda r: r["peak_mb"] - r["base_mb"]  # noqa: E731
    print(f"XLSX export, all rows: {xlsx_all['rows']:,} rows, {xlsx_all['bytes'] / 1e6:.1f} MB file in "
          f"{xlsx_all['seconds']:.1f} s; peak RSS {xlsx_all['peak_mb']:.0f} MB, {grow(xlsx_all):.0f} MB above the "
          f"process before reading ({grow(xlsx_all) * 1024 / max(1, xlsx_all['rows']):.2f} KB per row)")
    print(f"  reading the same rows without exporting: peak {read_all['peak_mb']:.0f} MB "
          f"(+{grow(read_all):.0f} MB): the export itself adds {xlsx_all['peak_mb'] - read_all['peak_mb']:.0f} MB")
    print(f"  {code} only: {xlsx_one['rows']:,} rows, peak {xlsx_one['peak_mb']:.0f} MB (+{grow(xlsx_one):.0f} MB) "
          f"in {xlsx_one['seconds']:.1f} s")
    xlsx_ratio = xlsx_all["seconds"] / csv_all["seconds"]
    print(f"XLSX vs CSV export of the same {csv_all['rows']:,} rows (whole municipality, each in a fresh process): "
          f"XLSX {xlsx_all['seconds']:.1f} s, CSV {csv_all['seconds']:.1f} s, ratio {xlsx_ratio:.2f}x "
          f"(target <= 3x: {'OK' if xlsx_ratio <= 3 else 'MISSED'})")
    if args.keep:
        print(f"Kept {tmp}")
    else:
        with app.app_context():
            from klarret.db import db

            db.engine.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ratio <= 3 and xlsx_ratio <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
