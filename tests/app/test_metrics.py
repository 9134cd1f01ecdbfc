"""/metrics: who may read it, what the features count, and the sum over gunicorn's workers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from prometheus_client.parser import text_string_to_metric_families

from klarret import settings


def value(text: str, name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels`` (0 when there are none)."""
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == name and labels.items() <= s.labels.items())


def scrape(app) -> str:
    settings.override(app, {"KLARRET_METRICS_TOKEN": "scrape-token"})
    r = app.test_client().get("/metrics", headers={"Authorization": "Bearer scrape-token"})
    assert r.status_code == 200 and r.mimetype == "text/plain"
    return r.get_data(as_text=True)


def test_metrics_need_the_token_or_an_allowed_address(db_app):
    client = db_app.test_client()
    assert client.get("/metrics").status_code == 404, "not set up: as if it did not exist"

    settings.override(db_app, {"KLARRET_METRICS_TOKEN": "s3cret", "KLARRET_METRICS_ALLOW": "10.20.0.0/16, ::1"})
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.20.3.4"}).status_code == 200
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.21.0.1"}).status_code == 403

    settings.override(db_app, {"KLARRET_METRICS_TOKEN": "", "KLARRET_METRICS_ALLOW": "127.0.0.1"})
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret"},
                      environ_base={"REMOTE_ADDR": "10.20.3.4"}).status_code == 403


def test_a_bad_address_list_stops_start_up():
    with pytest.raises(settings.SettingsError, match="KLARRET_METRICS_ALLOW skal være adresser"):
        settings.load({"KLARRET_METRICS_ALLOW": "10.0.0.0/33"})


def test_requests_and_search_latency_per_endpoint(app):
    before = scrape(app)
    client = app.test_client()
    for _ in range(3):
        assert client.get("/api/search", query_string={"q": "partshøring"}).status_code == 200
    assert client.get("/api/search").status_code == 400
    after = scrape(app)
    count = lambda text, **labels: value(text, "klarret_http_requests_total", endpoint="search.api_search", **labels)  # noqa: E731
    assert count(after, status="200") - count(before, status="200") == 3
    assert count(after, status="400") - count(before, status="400") == 1
    latency = "klarret_http_request_seconds_count"
    timed = [value(text, latency, endpoint="search.api_search") for text in (before, after)]
    assert timed[1] - timed[0] == 4
    assert value(after, "klarret_search_seconds_count") - value(before, "klarret_search_seconds_count") == 3
    assert value(after, "klarret_search_seconds_sum") > value(before, "klarret_search_seconds_sum")


def test_answers_saved_and_attempts_submitted(quiz_app, qclient):
    from tests.support.attempts import answer_all, start
    from tests.support.web import token

    before = scrape(quiz_app)
    attempt = start(qclient, "test-kursus")
    answer_all(qclient, quiz_app, attempt, right=True)
    form = {"csrf_token": token(qclient, f"/forsoeg/{attempt}/gennemse")}
    for _ in range(2):  # a double click hands the attempt in once
        assert qclient.post(f"/forsoeg/{attempt}/aflever", data=form).status_code == 302
    after = scrape(quiz_app)
    from klarret.db import db
    from quizzes.models import Answer

    with quiz_app.app_context():
        saved = db.session.query(Answer).filter_by(attempt_id=attempt).count()
    assert saved > 0
    assert value(after, "klarret_answers_saved_total") - value(before, "klarret_answers_saved_total") == saved
    assert value(after, "klarret_attempts_submitted_total") - value(before, "klarret_attempts_submitted_total") == 1


def test_hr_imports_are_counted(db_app, tmp_path):
    from tests.support.hr import HEADER, ROWS, do_import, write

    before = scrape(db_app)
    path = write(tmp_path, [HEADER, *ROWS])
    with db_app.app_context():
        assert not do_import(path, dry_run=True).errors
        assert not do_import(path).errors
    after = scrape(db_app)
    assert value(after, "klarret_imports_total") - value(before, "klarret_imports_total") == 1, "a preview is no import"


def test_reminders_sent_and_failed(quiz_app):
    from quizzes.reports.reminders import Message, SendError, send
    from tests.support.web import free_port

    before = scrape(quiz_app)
    with quiz_app.app_context():
        settings.override(quiz_app, {"KLARRET_MAIL": "outbox"})
        assert send([Message("anna@demo.klarret.dk", "Påmindelse", "Tag kurset", ("000101", "test-kursus",
                                                                                "overdue", "1"))]) == 1
        # A mail server that does not answer: the message is not sent and counts as failed.
        settings.override(quiz_app, {"KLARRET_MAIL": "smtp", "KLARRET_SMTP_PORT": str(free_port())})
        with pytest.raises(SendError):
            send([Message("anna@demo.klarret.dk", "Påmindelse", "Tag kurset", ("000101", "test-kursus",
                                                                                "overdue", "2"))])
    after = scrape(quiz_app)
    assert value(after, "klarret_reminders_sent_total") - value(before, "klarret_reminders_sent_total") == 1
    assert value(after, "klarret_reminders_failed_total") - value(before, "klarret_reminders_failed_total") == 1


@pytest.mark.slow
def test_serve_sums_the_metrics_of_every_worker(db_app, database_url, basic_build, tmp_path):
    from tests.support.processes import command_env, get, serving

    env = command_env(tmp_path, database_url, build_dir=basic_build, KLARRET_METRICS_TOKEN="scrape-token")
    with serving(env, workers=3) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        folder = tmp_path / "instance" / f"metrics-{port}"
        assert folder.is_dir()
        # Bursts at once until a second worker has answered: which worker accepts a request is the kernel's
        # choice, and on a busy machine one worker may take a whole burst.
        sent = 0
        with ThreadPoolExecutor(10) as pool:
            while sent < 600 and len(list(folder.glob("counter_*.db"))) < 2:
                assert [r[0] for r in pool.map(lambda _: get(base + "/readyz"), range(30))] == [200] * 30
                sent += 30
        assert len({p.name for p in folder.glob("counter_*.db")}) >= 2, "each worker writes its own file"
        status, _headers, body = get(base + "/metrics", headers={"Authorization": "Bearer scrape-token"})
        assert status == 200
        text = body.decode()
        assert value(text, "klarret_http_requests_total", endpoint="readyz", status="200") == sent
        assert get(base + "/metrics")[0] == 403
    # A restart on the same port starts from zero: last run's files are cleared, not added to today's.
    with serving(env, workers=1, port=port) as (base, _):
        text = get(base + "/metrics", headers={"Authorization": "Bearer scrape-token"})[2].decode()
        assert value(text, "klarret_http_requests_total", endpoint="readyz") == 0
