#!/usr/bin/env python3
"""Benchmark the guidance build: full build, incremental rebuild (one page touched), index build.

Prints the times and the incremental rebuild as a ratio of the full build, measured side by side
in one run (machines are noisy: compare ratios, not seconds).

    .venv/bin/python bench/build.py [--jobs auto] [--rounds 2]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from klarret.build import run_sphinx  # noqa: E402
from search.indexer import build_index  # noqa: E402


def timed(fn) -> float:
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        status = fn()
    if status not in (None, 0):
        raise SystemExit(f"build failed (status {status}); run `klarret build` to see why")
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", default="auto")
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    full, incr, index = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(ROOT / "klarret" / "vejledning", src)
        page = next(src.rglob("partshoering.md"))
        for r in range(args.rounds):
            out = Path(tmp) / f"out{r}"
            full.append(timed(lambda out=out: run_sphinx(src, ROOT, out / "html", out / "dt", fresh=True,
                                                         jobs=args.jobs, quiet=True)))
            page.write_text(page.read_text(encoding="utf-8") + f"\n<!-- bench {r} -->\n", encoding="utf-8")
            incr.append(timed(lambda out=out: run_sphinx(src, ROOT, out / "html", out / "dt", jobs=args.jobs,
                                                         quiet=True)))
            index.append(timed(lambda out=out: build_index(out / "html", out / "index", echo=lambda *_: None)
                               and None))
    f, i, x = statistics.median(full), statistics.median(incr), statistics.median(index)
    print(f"rounds: {args.rounds}, jobs: {args.jobs}")
    print(f"full build:          {f:7.2f} s")
    print(f"incremental rebuild: {i:7.2f} s  = {i / f:.2f} × full build")
    print(f"index build:         {x:7.2f} s  = {x / f:.2f} × full build")


if __name__ == "__main__":
    main()
