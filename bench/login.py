#!/usr/bin/env python3
"""Login benchmark: does a login flood slow the server down, and does the answer time reveal accounts?

It starts its own `klarret serve` (the default number of workers, SQLite in a temporary folder, the five
demo accounts) twice, without and with the cap on concurrent password checks, and measures each:
1. Enumeration: the median answer time of a wrong password for a known e-mail and for an unknown one
   (target: ratio close to 1; before the dummy hash it was 329 ms against 6 ms).
2. Flood: /healthz p50 and p95 with no load, then while FLOODERS threads send wrong passwords for
   made-up e-mails as fast as they can (the per-address throttle raised out of the way, so only the
   cap protects the server). Prints the ratio and how many flood requests got 503 (the cap at work).

  .venv/bin/python bench/login.py [--flooders 8] [--seconds 10] [--workers N]
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def request(url: str, data: dict | None = None, opener=None) -> tuple[int, float]:
    """(status, milliseconds) of one GET or form POST."""
    opener = opener or urllib.request.build_opener()
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    started = time.perf_counter()
    try:
        with opener.open(url, data=body, timeout=60) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return status, 1000 * (time.perf_counter() - started)


def login_once(base: str, email: str) -> tuple[int, float]:
    """A wrong password for ``email``: a fresh browser (cookie jar), the login form's token, then the POST."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(f"{base}/login", timeout=60) as r:
        token = re.search(r'name="csrf_token" value="([^"]+)"', r.read().decode()).group(1)
    return request(f"{base}/login", {"email": email, "password": "forkert-kode", "csrf_token": token}, opener)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def healthz(base: str, n: int) -> list[float]:
    return [request(f"{base}/healthz")[1] for _ in range(n)]


def start_server(tmp: Path, port: int, workers: int, slots: str | None) -> subprocess.Popen:
    env = {**os.environ, "KLARRET_INSTANCE_PATH": str(tmp), "KLARRET_BUILD_DIR": str(tmp / "build"),
           "KLARRET_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "KLARRET_SECRET_KEY": "bench",
           "KLARRET_LOGIN_ADDRESS_FAILURES": "1000000"}
    if slots is not None:
        env["KLARRET_LOGIN_HASH_SLOTS"] = slots
    python = sys.executable
    subprocess.run([python, "-m", "klarret.cli", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    subprocess.run([python, "-c", "from klarret.app import create_app\nfrom klarret.demo import load_demo_data\n"
                    "with create_app().app_context(): load_demo_data(population=False)"],
                   env=env, cwd=ROOT, check=True, capture_output=True)
    server = subprocess.Popen([python, "-m", "klarret.cli", "serve", "--port", str(port), "--workers", str(workers)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            request(f"http://127.0.0.1:{port}/healthz")
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("The server did not start; run 'klarret serve' by hand to see why.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=5093)
    parser.add_argument("--flooders", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=min(2 * os.cpu_count() + 1, 8),
                        help="gunicorn workers (default as `klarret serve`: 2 x cores + 1, at most 8)")
    args = parser.parse_args()
    if args.flooders < 1 or args.seconds <= 0 or args.workers < 1:
        parser.error("--flooders and --workers must be at least 1, --seconds above 0")
    # The same flood twice in one run: without the cap (as many slots as flooders) and with the default.
    for label, slots in (("without the cap", str(args.flooders * 4)), ("with the cap (default)", None)):
        print(f"--- {label}")
        with tempfile.TemporaryDirectory() as tmp:
            run(start_server(Path(tmp), args.port, args.workers, slots), f"http://127.0.0.1:{args.port}", args)


def run(server: subprocess.Popen, base: str, args: argparse.Namespace) -> None:
    """Both measurements against one running server, which is stopped afterwards."""
    try:
        known, unknown = [], []
        for i in range(4):  # 4 per account stays under the account lock (5)
            for who in ("anna", "bo", "leila", "erik"):
                known.append(login_once(base, f"{who}@demo.klarret.dk")[1])
                unknown.append(login_once(base, f"ingen{i}{who}@demo.klarret.dk")[1])
        k, u = statistics.median(known), statistics.median(unknown)
        print(f"Wrong password, median: known e-mail {k:.0f} ms, unknown e-mail {u:.0f} ms, "
              f"ratio {u / k:.2f} (1.00 = nothing to learn)")
        idle = healthz(base, 200)
        stop, statuses = threading.Event(), []

        def flood(n: int) -> None:
            i = 0
            while not stop.is_set():
                statuses.append(login_once(base, f"flood{n}-{i}@example.invalid")[0])
                i += 1

        threads = [threading.Thread(target=flood, args=(n,)) for n in range(args.flooders)]
        for t in threads:
            t.start()
        time.sleep(1)
        loaded, deadline = [], time.monotonic() + args.seconds
        while time.monotonic() < deadline:
            loaded += healthz(base, 10)
        stop.set()
        for t in threads:
            t.join()
        p50, p50l = statistics.median(idle), statistics.median(loaded)
        print(f"/healthz idle p50 {p50:.1f} ms p95 {percentile(idle, 95):.1f} ms; under a flood of "
              f"{args.flooders} login threads p50 {p50l:.1f} ms p95 {percentile(loaded, 95):.1f} ms; "
              f"p50 ratio {p50l / p50:.1f}x")
        print(f"Flood logins: {len(statuses)} sent, {statuses.count(400)} checked and refused (400), "
              f"{statuses.count(503)} turned away at the cap (503), {statuses.count(429)} throttled (429)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
