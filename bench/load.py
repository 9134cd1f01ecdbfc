#!/usr/bin/env python3
"""Load benchmark: a morning at the municipality against two instances on one PostgreSQL (locust, headless).

It empties the PostgreSQL database it is given (never a real one!), migrates it, loads the demo data
(about 2,000 employees with course activity) plus USERS employees with passwords, starts two
`klarret serve` instances (their own instance folders, the shared build folder and secret key), and
runs locust for --seconds with the morning mix, each request to either instance as a proxy would:
search 70 %, course pages and answer saves 20 %, manager dashboards and exports 10 %, and /healthz
now and then. It prints p50/p95 per endpoint and as a ratio to /healthz measured under the same
load, and the error count (target 0).

  .venv/bin/python bench/load.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
      [--users 40] [--seconds 60] [--workers 2]
"""

from __future__ import annotations

# locust patches the standard library with gevent; that must come before anything else opens sockets.
from locust import HttpUser, between, constant, events, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import itertools
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import gevent

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-adgangskode-der-er-lang"
QUERIES = ["aktindsigt", "partshøring", "fvl § 19", "begrundelse", "klagevejledning", "frist for svar",
           "notatpligt", "inhabilitet", "vejledningspligt", "offentlighedsloven", "tavshedspligt",
           "hvor hurtigt skal jeg svare på aktindsigt", "afgørelse", "samtykke", "journalisering"]
SECRET = "bench-secret-key-shared-by-both-instances-0123456789"
SEED = """
from klarret.app import create_app
from klarret.auth import hash_password
from klarret.db import db
from klarret.demo import load_demo_data
from klarret.org.models import Employee, UnitManager
app = create_app()
with app.app_context():
    load_demo_data()
    anna, leila = db.session.get(Employee, "000101"), db.session.get(Employee, "000103")
    hashed = hash_password({password!r})
    for i in range({users}):  # each manages Leila's centre too, so every user can do every part of the mix
        db.session.add(Employee(staff_no=f"8{{i:05d}}", name=f"Bench {{i}}", email=f"bench{{i}}@kk.example",
                                unit=anna.unit, password_hash=hashed))
        db.session.flush()
        db.session.add(UnitManager(unit_id=leila.unit_id, staff_no=f"8{{i:05d}}"))
    db.session.commit()
"""


def klarret(args: list[str], env: dict[str, str]) -> None:
    """Run one `klarret` step; stop with its output if it fails."""
    done = subprocess.run([sys.executable, "-m", "klarret.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(f"klarret {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def prepare(url: str, build: Path, tmp: Path, users: int) -> dict[str, str]:
    """Empty, migrate and seed the database; build the guidance if there is no build; the shared settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLARRET_")}
    env.update({"KLARRET_DATABASE_URL": url, "KLARRET_BUILD_DIR": str(build), "KLARRET_SECRET_KEY": SECRET,
                "KLARRET_INSTANCE_PATH": str(tmp / "setup"), "PYTHONPATH": str(ROOT)})
    if not (build / "index").exists():
        print("==> Bygger vejledningen og søgeindekset (klarret build)")
        klarret(["build"], env)
    print("==> Tømmer, migrerer og fylder databasen (demodata + brugere)")
    subprocess.run([sys.executable, "-c", f"from klarret.db import reset_postgres; reset_postgres({url!r})"],
                   env=env, cwd=ROOT, check=True)
    klarret(["db", "upgrade"], env)
    subprocess.run([sys.executable, "-c", SEED.format(password=PASSWORD, users=users)], env=env, cwd=ROOT,
                   check=True)
    return env


def serve(env: dict[str, str], tmp: Path, workers: int) -> list[tuple[subprocess.Popen, str]]:
    """Start two instances on free ports; wait for /healthz on each."""
    import socket

    out = []
    for name in "ab":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        folder = tmp / f"instance-{name}"
        folder.mkdir()
        log = (tmp / f"instance-{name}.log").open("w")
        proc = subprocess.Popen([sys.executable, "-m", "klarret.cli", "serve", "--port", str(port),
                                 "--workers", str(workers)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                                env={**env, "KLARRET_INSTANCE_PATH": str(folder)})
        out.append((proc, f"http://127.0.0.1:{port}"))
    for _proc, base in out:
        for _ in range(300):
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=2).status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise SystemExit(f"{base} did not start; see {tmp}")
    return out


HOSTS: list[str] = []
NUMBERS = itertools.count()
READY: list[int] = []  # users that have logged in and started their course


def csrf(text: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', text)
    return m.group(1) if m else ""


class Employee(HttpUser):
    """An employee: mostly looks things up, sometimes takes the course, sometimes looks at their units."""

    wait_time = between(1, 3)
    host = "http://127.0.0.1"

    def base(self) -> str:
        return random.choice(HOSTS)  # the proxy sends each request to either instance

    def on_start(self) -> None:
        email, base = f"bench{next(NUMBERS)}@kk.example", self.base()
        for _ in range(20):  # the login's capped password checks answer 503 when full: wait, try again
            page = self.client.get(base + "/login", name="login")
            with self.client.post(base + "/login", data={"email": email, "password": PASSWORD,
                                                         "csrf_token": csrf(page.text)}, name="login",
                                  catch_response=True) as r:
                if r.status_code == 503:  # by design, not an error: the person tries again
                    r.success()
            if r.status_code != 503:
                break
            gevent.sleep(float(r.headers.get("Retry-After", 1)))
        self.attempt, self.token, self.questions = None, "", []
        page = self.client.get(base + "/kurser/grundkursus", name="kursusside")
        r = self.client.post(base + "/kurser/grundkursus/start", data={"csrf_token": csrf(page.text)},
                             name="kursus start")
        m = re.search(r"/forsoeg/(\d+)/modul/0", r.url)
        if m:
            self.attempt = int(m.group(1))
            self.token = csrf(r.text)
            self.questions = re.findall(r'name="q-([^"]+)" value="([^"]+)"', r.text)
        READY.append(1)

    @task(70)
    def search(self) -> None:
        self.client.get(self.base() + "/soeg", params={"q": random.choice(QUERIES)}, name="søg")

    @task(10)
    def course_page(self) -> None:
        if self.attempt:
            self.client.get(f"{self.base()}/forsoeg/{self.attempt}/modul/0", name="kursusmodul")

    @task(10)
    def save_answer(self) -> None:
        if self.attempt and self.questions:
            question, option = random.choice(self.questions)
            self.client.post(f"{self.base()}/api/forsoeg/{self.attempt}/svar", name="gem svar",
                             json={"question": question, "options": [option]}, headers={"X-CSRFToken": self.token})

    @task(7)
    def dashboard(self) -> None:
        self.client.get(self.base() + "/leder", name="lederoversigt")

    @task(3)
    def export(self) -> None:
        self.client.get(self.base() + "/leder/eksport.csv", name="eksport csv")



class Probe(HttpUser):
    """The load balancer's probe: /healthz on either instance five times a second, the baseline."""

    wait_time = constant(0.2)
    host = "http://127.0.0.1"
    fixed_count = 1

    @task
    def healthz(self) -> None:
        self.client.get(random.choice(HOSTS) + "/healthz", name="healthz")


def report(env: Environment, seconds: int, users: int) -> None:
    """p50/p95 per endpoint, their ratio to /healthz, and the errors."""
    stats = env.stats
    health = stats.get("healthz", "GET")
    h50, h95 = health.get_response_time_percentile(0.5), health.get_response_time_percentile(0.95)
    print(f"\nMaskine: {os.cpu_count()} kerner, belastning {os.getloadavg()[0]:.1f} (1 min) ved slut.")
    print(f"{users} brugere i {seconds} s mod to instanser; {stats.total.num_requests} forespørgsler "
          f"({stats.total.total_rps:.1f}/s), fejl: {stats.total.num_failures}")
    print(f"{'endpoint':16} {'antal':>7} {'p50 ms':>8} {'p95 ms':>8} {'p50/healthz':>12} {'p95/healthz':>12}")
    for (name, method), entry in sorted(stats.entries.items(), key=lambda kv: -kv[1].num_requests):
        if not entry.num_requests:
            continue  # the logins and course starts before the measured period
        p50, p95 = entry.get_response_time_percentile(0.5), entry.get_response_time_percentile(0.95)
        print(f"{name + ' ' + method:16} {entry.num_requests:>7} {p50:>8.0f} {p95:>8.0f} "
              f"{p50 / max(h50, 1):>12.1f} {p95 / max(h95, 1):>12.1f}")
    for error in stats.errors.values():
        print(f"FEJL {error.occurrences}× {error.method} {error.name}: {error.error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"),
                        help="a PostgreSQL database that may be emptied (or BENCH_DATABASE_URL)")
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--build-dir", type=Path, default=ROOT / "build")
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        raise SystemExit("Giv en PostgreSQL-database, der må tømmes: --database-url postgresql+psycopg://…")
    with tempfile.TemporaryDirectory(prefix="klarret-load-") as folder:
        tmp = Path(folder)
        settings = prepare(args.database_url, args.build_dir, tmp, args.users)
        servers = serve(settings, tmp, args.workers)
        HOSTS.extend(base for _, base in servers)
        try:
            env = Environment(user_classes=[Employee, Probe], events=events)
            runner = env.create_local_runner()
            print(f"==> {args.users} brugere i {args.seconds} s mod {', '.join(HOSTS)}")
            # People arrive over a while (logins are capped password checks), then the measured morning.
            runner.start(args.users + 1, spawn_rate=2)
            while len(READY) < args.users:
                gevent.sleep(0.5)
            gevent.sleep(5)
            env.stats.reset_all()
            gevent.sleep(args.seconds)
            runner.quit()
            report(env, args.seconds, args.users)
        finally:
            for proc, _ in servers:
                proc.terminate()
            for proc, _ in servers:
                proc.wait(timeout=30)


if __name__ == "__main__":
    main()
