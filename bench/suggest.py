#!/usr/bin/env python3
"""Type-ahead benchmark: /api/suggest's engine call against a full search, in-process.

Times ``Engine.complete`` over typical prefixes (one letter, a word's start, a law, a long paste)
and ``Engine.search`` over the judged queries without the answer cache, on the built index, and
prints both per call and their ratio. Target: a suggestion under 5 ms and a small fraction of a
search, so type-ahead can run on every key press. (This was a timed test; timing belongs here.)

  .venv/bin/klarret build && .venv/bin/python bench/suggest.py --index build/index
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUERIES = ROOT / "tests" / "data" / "search-queries.tsv"
PREFIXES = ("p", "par", "aktind", "fvl", "kl", "tav", "ø", "x" * 500)
TARGET_MS = 5.0


def per_call_ms(call, args: list[str], rounds: int) -> float:
    """Mean milliseconds per call of ``call`` over ``args``, ``rounds`` times (after one warm-up pass)."""
    for a in args:
        call(a)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for a in args:
            call(a)
    return (time.perf_counter() - t0) / (rounds * len(args)) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index", type=Path, default=ROOT / "build" / "index", help="the search index (klarret build)")
    ap.add_argument("--rounds", type=int, default=25)
    a = ap.parse_args()
    if not a.index.exists():
        sys.exit(f"bench/suggest.py: no search index at {a.index}. Run `klarret build`, or pass --index.")
    from search.engine import Engine

    engine = Engine(a.index, cache_size=0)
    with QUERIES.open(encoding="utf-8") as f:
        queries = [r["query"] for r in csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t")]
    suggest = per_call_ms(engine.complete, list(PREFIXES), a.rounds)
    search = per_call_ms(lambda q: engine.search(q, cache=False), queries, max(1, a.rounds // 5))
    print(f"suggest: {suggest:.2f} ms per call ({len(PREFIXES)} prefixes × {a.rounds})")
    print(f"search:  {search:.2f} ms per call ({len(queries)} judged queries, no cache)")
    print(f"ratio suggest/search: {suggest / search:.3f}; suggest/target: {suggest / TARGET_MS:.2f} "
          f"(target: suggest under {TARGET_MS:g} ms)")


if __name__ == "__main__":
    main()
