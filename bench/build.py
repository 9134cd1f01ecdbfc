#!/usr/bin/env python3
"""Benchmark the guidance build: full build, incremental rebuild (one page touched), index build, PDFs.

Prints the times and the incremental rebuild as a ratio of the full build, measured side by side
in one run (machines are noisy: compare ratios, not seconds). The PDFs (`klarret pdf`) are timed once,
after the rounds: every page and the whole guide, then again after one page changed (the cache renders
that page and the whole guide only). --no-pdf skips them.

    .venv/bin/python bench/build.py [--jobs auto] [--rounds 2] [--no-pdf]
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
from klarret.guidance.pdf import build_pdfs  # noqa: E402
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
    ap.add_argument("--no-pdf", action="store_true", help="skip the PDF timings")
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
        if not args.no_pdf:
            pdf = bench_pdf(src, page, out, args.jobs)
    f, i, x = statistics.median(full), statistics.median(incr), statistics.median(index)
    print(f"rounds: {args.rounds}, jobs: {args.jobs}")
    print(f"full build:          {f:7.2f} s")
    print(f"incremental rebuild: {i:7.2f} s  = {i / f:.2f} × full build")
    print(f"index build:         {x:7.2f} s  = {x / f:.2f} × full build")
    if not args.no_pdf:
        (full_pdf, pages), (one_pdf, rendered) = pdf
        print(f"PDFs, all:           {full_pdf:7.2f} s  ({pages} pages + the whole guide)")
        print(f"PDFs, one changed:   {one_pdf:7.2f} s  ({rendered} page + the whole guide)")


def bench_pdf(src: Path, page: Path, out: Path, jobs: str) -> tuple[tuple[float, int], tuple[float, int]]:
    """`klarret pdf` on the last round's build: everything, then after one more page change."""
    html = out / "html"
    quiet = {"echo": lambda *_: None}
    first = build_pdfs(html, "http://127.0.0.1:5000", force=True, **quiet)
    page.write_text(page.read_text(encoding="utf-8") + "\nEn ny sætning til målingen.\n", encoding="utf-8")
    timed(lambda: run_sphinx(src, ROOT, html, out / "dt", jobs=jobs, quiet=True))
    second = build_pdfs(html, "http://127.0.0.1:5000", **quiet)
    return (first.seconds, len(first.rendered)), (second.seconds, len(second.rendered))


if __name__ == "__main__":
    main()
