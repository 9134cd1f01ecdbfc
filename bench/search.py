#!/usr/bin/env python3
"""Search benchmark: latency under load against the running server, and growth with corpus size.

1. Load: CLIENTS concurrent clients send REQUESTS requests to /readyz (database and index
   reachable, decision 3) and the same number to /api/search (cycling through the judged
   queries), in ROUNDS short blocks taking turns, against the running production server
   (`klarret serve`). It prints the workers that
   answered and p50/p95 of both, and their ratio (target: search's p95 at most 2× /readyz's with
   the answer cache bypassed, `X-KlarRet-Bench: nocache`; the warm cache is shown too). Every
   request sends `X-KlarRet-Bench`, so the benchmark is left out of the editors' search statistics.
2. Growth: the export is grown 20× with synthetic pages (real sections' words reshuffled), indexed
   in a temporary folder, and the same queries are timed in-process on 1× and 20× (target: the
   time grows less than linearly, i.e. the ratio is well under 20).

  .venv/bin/klarret serve --port 5055 &
  .venv/bin/python bench/search.py --url http://127.0.0.1:5055 --html build/html
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import csv
import json
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEV_QUERIES = ROOT.parent / "shared" / "eval" / "queries-dev.tsv"
OWN_QUERIES = ROOT / "tests" / "data" / "search-queries.tsv"
READY = "/readyz"  # the baseline: database and index reachable (decision 3)
TARGET = 2.0  # search's p95, answer cache bypassed, at most this many times /readyz's


def load_queries(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as f:
        rows = csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [r["query"].strip() for r in rows]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def load(urls: list[str], clients: int, requests: int, bench: str = "1",
         offset: int = 0) -> tuple[list[float], set[int], int]:
    """Latencies (ms) of ``requests`` GETs spread over ``clients`` threads (``urls`` cycled from ``offset``);
    pids seen in /readyz."""
    latencies: list[float] = []
    pids: set[int] = set()
    cache = [0]
    lock = threading.Lock()
    counter = iter(range(offset, offset + requests))

    def client() -> None:
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            req = urllib.request.Request(urls[i % len(urls)], headers={"X-KlarRet-Bench": bench})
            t0 = time.perf_counter()
            with urllib.request.urlopen(req, timeout=60) as r:
                body = r.read()
                if r.status != 200:
                    raise RuntimeError(f"{urls[i % len(urls)]}: HTTP {r.status}")
            ms = (time.perf_counter() - t0) * 1000
            check = json.loads(body).get("checks", {}).get("search", {}) if READY in urls[0] else {}
            with lock:
                latencies.append(ms)
                if check.get("pid"):
                    pids.add(check["pid"])
                    cache[0] = check.get("cache", 0)

    with cf.ThreadPoolExecutor(clients) as pool:
        for f in [pool.submit(client) for _ in range(clients)]:
            f.result()
    return latencies, pids, cache[0]


def grow(html_dir: Path, out: Path, factor: int, seed: int = 7) -> Path:
    """A copy of the export with (factor - 1) synthetic copies of every page, words reshuffled."""
    from klarret.export import EXPORT_DIR, LAWS_FILE, RECORDS_FILE, Record, iter_records, write_records

    records = list(iter_records(html_dir / EXPORT_DIR / RECORDS_FILE))
    rng = random.Random(seed)
    grown: list[Record] = list(records)
    for k in range(1, factor):
        for r in records:
            if r.kind == "term" or r.page == "ordliste":
                continue
            words = r.text.split()
            rng.shuffle(words)
            page = f"{r.page}-syn{k}"
            grown.append(Record(
                id=r.id.replace(r.page, page, 1), kind=r.kind, page=page, anchor=r.anchor, url=r.url,
                title=f"{r.title} {k}", breadcrumb=[f"{r.breadcrumb[0]} {k}", *r.breadcrumb[1:]],
                chapter=r.chapter, text=" ".join(words), citations=r.citations, summary=r.summary))
    html = out / "html"
    (html / EXPORT_DIR).mkdir(parents=True)
    write_records(html / EXPORT_DIR / RECORDS_FILE, grown)
    (html / EXPORT_DIR / LAWS_FILE).write_text((html_dir / EXPORT_DIR / LAWS_FILE).read_text(encoding="utf-8"))
    return html


def time_queries(index_dir: Path, queries: list[str], rounds: int = 3) -> tuple[list[float], list[float]]:
    """(first pass: each term's postings scored, later passes: postings cached) in ms per query."""
    from search.engine import Engine

    engine = Engine(index_dir, cache_size=0)  # the engine itself, not the answer cache
    engine.search("indeksetåbnes")  # open the index and load its arrays
    cold, warm = [], []
    for r in range(rounds + 1):
        for q in queries:
            t0 = time.perf_counter()
            engine.search(q)
            (cold if r == 0 else warm).append((time.perf_counter() - t0) * 1000)
    return cold, warm


def growth(html_dir: Path, queries: list[str], factor: int) -> dict[str, float]:
    from search.indexer import build_index

    with tempfile.TemporaryDirectory(prefix="klarret-bench-") as tmp:
        tmp_path = Path(tmp)
        n1 = build_index(html_dir, tmp_path / "one" / "index", echo=lambda *_: None)
        big_html = grow(html_dir, tmp_path / "big", factor)
        t0 = time.perf_counter()
        n20 = build_index(big_html, tmp_path / "big" / "index", echo=lambda *_: None)
        build_s = time.perf_counter() - t0
        one = time_queries(tmp_path / "one" / "index", queries)
        big = time_queries(tmp_path / "big" / "index", queries)
    out: dict[str, float] = {"docs_1x": n1, "docs_big": n20, "build_big_s": build_s}
    for name, (cold, warm) in (("1x", one), ("big", big)):
        out |= {f"cold50_{name}": statistics.median(cold), f"cold95_{name}": percentile(cold, 95),
                f"p50_{name}": statistics.median(warm), f"p95_{name}": percentile(warm, 95)}
    return out


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (0 clients or requests leave nothing to measure)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return n


def main() -> None:
    try:
        run()
    except urllib.error.URLError as exc:
        sys.exit(f"bench/search.py: no answer from the server ({exc.reason}). Start it with "
                 "`klarret serve --port …` and pass its address with --url, or use --skip-load.")
    except FileNotFoundError as exc:
        sys.exit(f"bench/search.py: {exc}")  # a missing export, HTML build (--html) or query file (--queries)


def run() -> None:
    """Parse the arguments and run the load and growth parts."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="http://127.0.0.1:5000", help="the running server (klarret serve)")
    ap.add_argument("--html", type=Path, default=ROOT / "build" / "html", help="the HTML build with export/")
    ap.add_argument("--queries", type=Path, default=DEV_QUERIES if DEV_QUERIES.exists() else OWN_QUERIES)
    ap.add_argument("--clients", type=positive, default=8)
    ap.add_argument("--requests", type=positive, default=800, help="requests per endpoint")
    ap.add_argument("--rounds", type=positive, default=10, help="interleaved rounds the requests are split in")
    ap.add_argument("--factor", type=positive, default=20, help="corpus growth for the in-process part")
    ap.add_argument("--skip-load", action="store_true")
    ap.add_argument("--skip-growth", action="store_true")
    a = ap.parse_args()
    queries = load_queries(a.queries)
    print(f"{len(queries)} queries from {a.queries}")
    if not a.skip_load:
        base = a.url.rstrip("/")
        search_urls = [f"{base}/api/search?" + urllib.parse.urlencode({"q": q, "limit": 10}) for q in queries]
        _, pids, cache = load([base + READY], a.clients, a.clients * 8)  # every worker opens its index
        # Warm the answer cache: each worker must have seen each query once (requests spread at random).
        load(search_urls, a.clients, 3 * len(pids) * len(queries))
        # Side by side: the rows take turns in short blocks (their order turned each round), so a slow
        # moment of the machine falls on all of them alike instead of on whichever row ran then.
        ready, cached, fresh, rounds = [], [], [], []
        per = max(1, a.requests // a.rounds)
        blocks = [("ready", [base + READY], "1"), ("cached", search_urls, "1"), ("fresh", search_urls, "nocache")]
        for r in range(a.rounds):
            got = {}
            for name, urls, bench in blocks if r % 2 == 0 else blocks[::-1]:
                got[name], seen, c = load(urls, a.clients, per, bench=bench, offset=r * per)
                if name == "ready":
                    pids, cache = pids | seen, c
            ready += got["ready"]
            cached += got["cached"]
            fresh += got["fresh"]
            rounds.append(percentile(got["fresh"], 95) / percentile(got["ready"], 95))
        h50, h95 = statistics.median(ready), percentile(ready, 95)
        print(f"load: {a.clients} concurrent clients, {per * a.rounds} requests per row in {a.rounds} "
              f"interleaved rounds, {len(pids)} server workers answered, answer cache {cache} per worker")
        print(f"{'':28}{'p50 ms':>9}{'p95 ms':>9}{'p50 ratio':>11}{'p95 ratio':>11}")
        print(f"{READY:28}{h50:>9.1f}{h95:>9.1f}")
        for label, lat in (("/api/search (cache warm)", cached), ("/api/search (no cache)", fresh)):
            s50, s95 = statistics.median(lat), percentile(lat, 95)
            print(f"{label:28}{s50:>9.1f}{s95:>9.1f}{s50 / h50:>10.2f}×{s95 / h95:>10.2f}×")
        r95 = percentile(fresh, 95) / h95
        print(f"p95 ratio (no cache) per round: {' '.join(f'{x:.2f}' for x in rounds)} "
              f"(median {statistics.median(rounds):.2f}×)")
        print(f"target: /api/search p95 (no cache) ≤ {TARGET:g}× {READY}: {r95:.2f}× "
              f"{'met' if r95 <= TARGET else 'MISSED'}")
    if not a.skip_growth:
        g = growth(a.html, queries, a.factor)
        docs = g["docs_big"] / g["docs_1x"]
        print(f"growth: {g['docs_1x']} → {g['docs_big']} documents ({docs:.1f}×), "
              f"big index built in {g['build_big_s']:.1f} s")
        print(f"{'':24}{'p50 ms':>9}{'p95 ms':>9}")
        rows = (("1×, first pass", "cold50_1x", "cold95_1x"), (f"{a.factor}×, first pass", "cold50_big", "cold95_big"),
                ("1×, postings cached", "p50_1x", "p95_1x"), (f"{a.factor}×, postings cached", "p50_big", "p95_big"))
        for label, k50, k95 in rows:
            print(f"{label:24}{g[k50]:>9.1f}{g[k95]:>9.1f}")
        for label, suffix in (("first pass", "cold"), ("postings cached", "p")):
            r50 = g[f"{suffix}50_big"] / g[f"{suffix}50_1x"]
            r95 = g[f"{suffix}95_big"] / g[f"{suffix}95_1x"]
            print(f"ratio {a.factor}×/1×, {label}: p50 {r50:.2f}×, p95 {r95:.2f}×"
                  f"   (documents {docs:.1f}×: less than linear if well under {docs:.0f}×)")


if __name__ == "__main__":
    main()
