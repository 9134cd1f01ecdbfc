"""Running the real `klarret` command in tests: one-off steps and `klarret serve` on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.web import free_port


def command_env(tmp_path: Path, database_url: str, build_dir: Path | None = None, **extra: str) -> dict[str, str]:
    """The environment of a `klarret` process on ``database_url`` with its own instance folder."""
    return {**os.environ, "KLARRET_INSTANCE_PATH": str(tmp_path / "instance"),
            "KLARRET_DATABASE_URL": database_url, "KLARRET_SECRET_KEY": "test-secret",
            "KLARRET_BUILD_DIR": str(build_dir or tmp_path / "build"), **extra}


def start(*args: str, env: dict[str, str]) -> subprocess.Popen:
    """Start `klarret ARGS` (stdout and stderr captured as text)."""
    return subprocess.Popen([sys.executable, "-m", "klarret.cli", *args], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `klarret ARGS` to its end."""
    return subprocess.run([sys.executable, "-m", "klarret.cli", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    """(status, headers, body) of a GET, also for error statuses."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@contextmanager
def serving(env: dict[str, str], workers: int = 2, wait: float = 60,
            port: int | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`klarret serve` (on a free port) until /healthz answers; yields (base URL, process), then stops it."""
    port = port or free_port()
    log = tempfile.TemporaryFile("w+")  # a file, not a pipe: a full pipe would block the server (closed when dropped)
    proc = subprocess.Popen([sys.executable, "-m", "klarret.cli", "serve", "--port", str(port), "--workers",
                             str(workers)], env=env, text=True, stdout=log, stderr=subprocess.STDOUT)
    proc.log = log  # type: ignore[attr-defined]  # the test may read what the server wrote
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"klarret serve stopped: {output(proc)[-2000:]}")
            try:
                if get(base + "/healthz", timeout=2)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("klarret serve did not answer /healthz in time")
            time.sleep(0.3)
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def output(proc: subprocess.Popen) -> str:
    """What a ``serving`` process has written so far (stdout and stderr)."""
    proc.log.flush()  # type: ignore[attr-defined]
    proc.log.seek(0)  # type: ignore[attr-defined]
    return proc.log.read()  # type: ignore[attr-defined]
