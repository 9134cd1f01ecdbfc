"""Learning Record Stores for the xAPI tests: Ralph (a real LRS) and a recording store.

``Ralph`` runs tests/support/lrs_server.py with the Python of `.venv-ralph` (`make ralph-venv`: Ralph
pins old versions of its dependencies, so it never enters the project's environment), on a free port,
with the file-system backend in a temporary folder; ``statements()`` reads back what it stored.
``RecordingStore`` is a plain HTTP server that counts every statement POSTed to it and can answer
slowly or with an error: for what Ralph cannot show (two senders at once, a store that hangs).
"""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from klarret.settings import ROOT
from tests.support.web import free_port

RALPH_PYTHON = ROOT / ".venv-ralph" / "bin" / "python"
LAUNCHER = Path(__file__).with_name("lrs_server.py")
USER, PASSWORD = "klarret", "lrs-test-secret"


class Ralph:
    """Ralph on 127.0.0.1, storing statements in ``folder``; stop and start it again like a real outage."""

    def __init__(self, folder: Path):
        self.folder, self.port, self.process = folder, free_port(), None
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen([str(RALPH_PYTHON), str(LAUNCHER), str(self.port), str(self.folder),
                                         USER, PASSWORD], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph stopped: {(self.folder / 'ralph.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("Ralph did not answer /__heartbeat__ within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def _get(self, url: str) -> dict:
        request = urllib.request.Request(url, headers={"X-Experience-API-Version": "1.0.3"})
        request.add_header("Authorization", "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())

    def statements(self) -> list[dict]:
        """Every statement the store holds, in the order it stored them (following `more` links)."""
        out: list[dict] = []
        page = self._get(f"{self.endpoint}/statements?limit=100")
        while True:
            out.extend(page["statements"])
            if not page.get("more"):
                return out
            page = self._get(f"http://127.0.0.1:{self.port}{page['more']}")


class RecordingStore:
    """An HTTP endpoint that records each POSTed statement and answers ``status`` after ``delay`` seconds."""

    def __init__(self, status: int = 200, delay: float = 0.0):
        self.status, self.delay = status, delay
        self.received: list[str] = []  # statement ids, in arrival order, duplicates kept
        self.requests = 0
        self.headers: list = []
        self._lock = threading.Lock()
        store = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                time.sleep(store.delay)
                with store._lock:
                    store.requests += 1
                    store.headers.append(self.headers)  # case-insensitive, as HTTP headers are
                    if store.status in (200, 204):
                        store.received.extend(s["id"] for s in body)
                self.send_response(store.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"[]")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}/xAPI"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
