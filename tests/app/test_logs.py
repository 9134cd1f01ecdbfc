"""Request ids on every response, and JSON log lines (KLARRET_LOG_FORMAT=json) that carry them, masked."""

from __future__ import annotations

import io
import json
import logging
import re
import time

import pytest

from klarret.logs import HEADER


@pytest.fixture
def json_log(basic_build, database_url, tmp_path):
    """(app logging JSON lines, the buffer the lines go to); the root logger is restored afterwards."""
    from tests.conftest import make_app

    root = logging.getLogger()
    before = list(root.handlers), root.level
    app = make_app(basic_build, database_url, tmp_path, KLARRET_LOG_FORMAT="json")

    @app.get("/test-log")
    def test_log():
        app.logger.warning("Sag om borger 010190-1234 åbnet")
        return "ok"

    @app.get("/test-error")
    def test_error():
        raise RuntimeError("noget gik galt for 010190-1234")

    handler = next(h for h in root.handlers if h.get_name() == "klarret-json")
    buffer = io.StringIO()
    handler.setStream(buffer)
    yield app, buffer
    root.handlers, root.level = before
    from klarret.db import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines()]


def test_every_response_carries_a_request_id(db_app):
    client = db_app.test_client()
    first, second = client.get("/healthz"), client.get("/findes-ikke")
    ids = [r.headers[HEADER] for r in (first, second)]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids) and ids[0] != ids[1]
    assert second.status_code == 404, "error pages carry it too"


def test_a_sane_incoming_id_is_kept_and_anything_else_replaced(db_app):
    client = db_app.test_client()
    assert client.get("/healthz", headers={HEADER: "lb-7f3a9c12-0001"}).headers[HEADER] == "lb-7f3a9c12-0001"
    for bad in ('x', 'a b c d e f g h', '"}{"level":"ERROR', "ø" * 20, "a" * 200):
        got = client.get("/healthz", headers={HEADER: bad}).headers[HEADER]
        assert got != bad and re.fullmatch(r"[0-9a-f]{32}", got)


def test_json_lines_carry_the_request_id_and_mask_personal_data(json_log):
    app, buffer = json_log
    r = app.test_client().get("/test-log", headers={HEADER: "proxy-id-12345678"})
    assert r.headers[HEADER] == "proxy-id-12345678"
    entry = [e for e in lines(buffer) if e["logger"] == "klarret.app"][-1]
    assert entry["request_id"] == "proxy-id-12345678" and entry["level"] == "WARNING"
    assert entry["message"] == "Sag om borger [cpr-nummer] åbnet"
    assert entry["time"].endswith("+00:00")


def test_an_error_is_one_json_line_with_its_traceback(json_log):
    app, buffer = json_log
    r = app.test_client().get("/test-error")
    assert r.status_code == 500
    entry = [e for e in lines(buffer) if e["level"] == "ERROR"][-1]
    assert entry["request_id"] == r.headers[HEADER]
    assert "RuntimeError" in entry["exception"] and "Traceback" in entry["exception"]
    assert "010190-1234" not in buffer.getvalue()


@pytest.mark.slow
def test_serve_writes_the_access_log_as_json_lines(db_app, database_url, basic_build, tmp_path):
    from tests.support.processes import command_env, get, output, serving

    env = command_env(tmp_path, database_url, build_dir=basic_build, KLARRET_LOG_FORMAT="json",
                      PYTHONUNBUFFERED="1")
    with serving(env, workers=1) as (base, proc):
        status, headers, _ = get(base + "/soeg?q=010190-1234+partsh%C3%B8ring")
        assert status == 200
        request_id = headers[HEADER]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            access = [json.loads(line) for line in output(proc).splitlines()
                      if line.startswith("{") and request_id in line]
            if access:
                break
            time.sleep(0.2)
    assert access, output(proc)[-2000:]
    entry = access[0]
    assert entry["path"] == "/soeg" and entry["status"] == 200 and entry["method"] == "GET"
    assert entry["request_id"] == request_id and entry["duration_ms"] >= 0
    assert "010190" not in json.dumps(access) and "partsh" not in json.dumps(access), "no search query in the log"
