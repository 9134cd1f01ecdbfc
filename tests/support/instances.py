"""Several `klarret serve` processes on one database, as IT runs KlarRet: each with its own instance folder,
sharing only the database, the secret key and a read-only build folder (the guidance and search index)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from klarret.settings import ROOT
from tests.support.web import free_port

SECRET = "a-key-every-instance-shares-" + "x" * 32


@dataclass
class Instance:
    """One running `klarret serve`: its address, folder, process and log."""

    name: str
    port: int
    folder: Path
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def session(self) -> requests.Session:
        """A new browser-like client of this instance."""
        return requests.Session()

    def workers(self) -> list[int]:
        """The gunicorn worker processes' ids (the children of the master)."""
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def environment(database_url: str, build_dir: Path, folder: Path, **extra: str) -> dict[str, str]:
    """The settings of one instance (and of a `klarret` command run beside them)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLARRET_")}
    env.update({"KLARRET_DATABASE_URL": database_url, "KLARRET_SECRET_KEY": SECRET,
                "KLARRET_BUILD_DIR": str(build_dir), "KLARRET_INSTANCE_PATH": str(folder),
                "PYTHONPATH": str(ROOT), **extra})
    return env


def start(database_url: str, build_dir: Path, tmp: Path, count: int = 2, workers: int = 2,
          **extra: str) -> list[Instance]:
    """Start ``count`` instances on free ports and wait until each answers /healthz."""
    out = []
    for name in "abcdefgh"[:count]:
        folder, port = tmp / f"instance-{name}", free_port()
        folder.mkdir(parents=True, exist_ok=True)
        log = tmp / f"instance-{name}.log"
        with log.open("w") as handle:
            process = subprocess.Popen(
                [sys.executable, "-m", "klarret.cli", "serve", "--port", str(port), "--workers", str(workers)],
                env=environment(database_url, build_dir, folder, **extra), stdout=handle, stderr=subprocess.STDOUT,
                cwd=ROOT, start_new_session=True)
        out.append(Instance(name, port, folder, process, log))
    for instance in out:
        wait_ready(instance)
    return out


def wait_ready(instance: Instance, timeout: float = 90) -> None:
    """Wait until the instance answers /healthz; fail with its log otherwise."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if instance.process.poll() is not None:
            raise AssertionError(f"instance {instance.name} stopped:\n{instance.log_text()[-3000:]}")
        try:
            if requests.get(instance.url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"instance {instance.name} did not start:\n{instance.log_text()[-3000:]}")


def stop(instances: list[Instance]) -> None:
    """Stop each instance (gunicorn's graceful TERM, then KILL) and its workers."""
    for instance in instances:
        if instance.process.poll() is None:
            os.killpg(instance.process.pid, signal.SIGTERM)
    for instance in instances:
        try:
            instance.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(instance.process.pid, signal.SIGKILL)
            instance.process.wait(timeout=10)


def command(args: list[str], database_url: str, build_dir: Path, folder: Path, **extra: str
            ) -> subprocess.Popen:
    """Start `klarret ARGS` (e.g. remind, index) with the instances' settings; the caller waits for it."""
    return subprocess.Popen([sys.executable, "-m", "klarret.cli", *args], cwd=ROOT, text=True,
                            env=environment(database_url, build_dir, folder, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
