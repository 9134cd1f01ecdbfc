#!/usr/bin/env python3
"""Benchmark the HR import at the row cap: each web request (preview, then confirm) must stay well within the
worker timeout (60 s in `klarret serve`).

It generates an HR CSV and an XLSX of KLARRET_STAFF_MAX_ROWS (100,000) employees (the XLSX with openpyxl's
inline strings: slower to read than Excel's shared strings), then times on a fresh SQLite database:
the preview (dry run) and the import of the CSV, and the preview of the XLSX against the imported data.

    .venv/bin/python bench/hr_import.py [--rows 100000] [--xlsx-rows 100000]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - started:.1f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    args = parser.parse_args()
    import openpyxl
    from flask_migrate import upgrade

    from klarret.app import create_app
    from klarret.demo.org import generate_hr_csv
    from klarret.org.hr_import import run_import

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        os.environ["KLARRET_INSTANCE_PATH"] = str(tmp / "instance")
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/k.db", "SECRET_KEY": "bench", "TESTING": True,
                          "KLARRET_BUILD_DIR": tmp / "build", "KLARRET_STAFF_MAX_ROWS": args.rows,
                          "KLARRET_STAFF_GUARD_PERCENT": 100})
        big = generate_hr_csv(tmp / "hr.csv", employees=args.rows)
        with big.open(encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh, delimiter=";"))[:args.xlsx_rows + 1]
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        for row in rows:
            sheet.append(row)
        book.save(tmp / "hr.xlsx")
        print(f"CSV {args.rows:,} rows, {big.stat().st_size / 1e6:.1f} MB; XLSX {args.xlsx_rows:,} rows, "
              f"{(tmp / 'hr.xlsx').stat().st_size / 1e6:.1f} MB")
        with app.app_context():
            upgrade()
            plan = timed("CSV preview (dry run)", lambda: run_import(big, "bench", dry_run=True))
            assert not plan.errors, plan.errors[:3]
            timed("CSV import", lambda: run_import(big, "bench"))
            plan = timed("XLSX preview (dry run, against the imported data)",
                         lambda: run_import(tmp / "hr.xlsx", "bench", dry_run=True))
            assert not plan.errors, plan.errors[:3]


if __name__ == "__main__":
    main()
