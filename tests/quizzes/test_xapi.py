"""Learning records out as xAPI (issue 13): statements, the outbox in the record's transaction, backfill,
sending with backoff, and two senders at once."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from sqlalchemy import func, select

from klarret import settings
from tests.support.attempts import answer_all, hand_in, start

ADL = "http://adlnet.gov/expapi/verbs/"
HOME = "https://kk.example.dk"


def _configure(app, endpoint: str = "http://127.0.0.1:9/xAPI", **extra) -> None:
    settings.override(app, {"KLARRET_XAPI_ENDPOINT": endpoint, "KLARRET_XAPI_HOMEPAGE": HOME, **extra})


def _take(client, app, right: bool) -> int:
    aid = start(client, "test-kursus")
    answer_all(client, app, aid, right=right)
    assert hand_in(client, aid).status_code == 302
    return aid


def _outbox(app) -> list:
    from klarret.db import db
    from quizzes.records.outbox import XapiOutbox

    with app.app_context():
        rows = list(db.session.scalars(select(XapiOutbox).order_by(XapiOutbox.id)))
        db.session.expunge_all()
        return rows


def _anna(app) -> str:
    from klarret.db import db
    from klarret.org.models import Employee

    with app.app_context():
        return db.session.scalar(select(Employee.staff_no).where(Employee.email == "anna@demo.klarret.dk"))


def test_a_passed_attempt_queues_passed_and_completed_by_staff_number_only(qclient, quiz_app):
    _configure(quiz_app)
    aid = _take(qclient, quiz_app, right=True)
    rows = _outbox(quiz_app)
    assert [r.verb for r in rows] == ["passed", "completed"]
    passed, completed = (r.statement for r in rows)
    for row in rows:
        assert row.statement_id == row.statement["id"] == str(uuid.UUID(row.statement["id"]))
        assert row.sent_at is None
    assert passed["actor"] == {"objectType": "Agent", "account": {"homePage": HOME, "name": _anna(quiz_app)}}
    text = str([r.statement for r in rows]).lower()
    assert "anna" not in text and "mbox" not in text and "@" not in text  # never a name or an e-mail
    assert passed["verb"]["id"] == ADL + "passed" and completed["verb"]["id"] == ADL + "completed"
    assert passed["object"]["id"] == f"{HOME}/kurser/test-kursus"
    assert passed["object"]["definition"]["name"] == {"da": "Testkursus i høring"}
    assert passed["result"] == {"score": {"scaled": 1.0, "raw": 100, "min": 0, "max": 100},
                                "success": True, "completion": True}
    from klarret.db import db
    from quizzes.models import Attempt

    with quiz_app.app_context():
        submitted = db.session.get(Attempt, aid).submitted_at
    assert passed["timestamp"] == submitted.isoformat(timespec="milliseconds") + "Z"


def test_a_failed_attempt_queues_failed_only(qclient, quiz_app):
    _configure(quiz_app)
    _take(qclient, quiz_app, right=False)
    rows = _outbox(quiz_app)
    assert [r.verb for r in rows] == ["failed"]
    assert rows[0].statement["verb"]["id"] == ADL + "failed"
    assert rows[0].statement["result"]["success"] is False and rows[0].statement["result"]["score"]["raw"] == 0


def test_nothing_is_queued_without_an_endpoint(qclient, quiz_app):
    _take(qclient, quiz_app, right=True)
    assert _outbox(quiz_app) == []


def test_the_statements_are_stored_with_the_submission_or_not_at_all(qclient, quiz_app, monkeypatch):
    """A submission that fails after queueing leaves neither the result nor its statements."""
    from klarret.db import db
    from quizzes.attempts import service, xapi
    from quizzes.models import Attempt

    _configure(quiz_app)
    aid = start(qclient, "test-kursus")
    answer_all(qclient, quiz_app, aid, right=True)
    real = xapi.queue_submission

    def queue_then_fail(*args):
        real(*args)
        db.session.flush()  # the statements are written to the database, in the submission's transaction
        raise RuntimeError("the database went away")

    monkeypatch.setattr(xapi, "queue_submission", queue_then_fail)
    with quiz_app.app_context(), pytest.raises(RuntimeError):
        service.submit(db.session.get(Attempt, aid))
    with quiz_app.app_context():
        db.session.rollback()
    assert _outbox(quiz_app) == []
    monkeypatch.setattr(xapi, "queue_submission", real)
    assert hand_in(qclient, aid).status_code == 302
    with quiz_app.app_context():
        assert db.session.get(Attempt, aid).submitted_at is not None
    assert [r.verb for r in _outbox(quiz_app)] == ["passed", "completed"]


def test_backfill_queues_the_records_from_before_once(qclient, quiz_app, monkeypatch):
    from klarret import audit
    from klarret.db import db
    from quizzes.attempts import xapi

    monkeypatch.setattr(xapi, "CHUNK", 1)  # the attempts are read in chunks
    first = _take(qclient, quiz_app, right=False)
    _take(qclient, quiz_app, right=True)
    run = quiz_app.test_cli_runner().invoke
    refused = run(args=["xapi", "backfill", "--since", "2020-01-01"])
    assert refused.exit_code != 0 and "KLARRET_XAPI_ENDPOINT" in refused.output
    _configure(quiz_app)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert "0 nye" in run(args=["xapi", "backfill", "--since", tomorrow]).output
    r = run(args=["xapi", "backfill", "--since", "2020-01-01"])
    assert r.exit_code == 0 and "3 nye udsagn" in r.output, r.output
    rows = _outbox(quiz_app)
    assert [r.verb for r in rows] == ["failed", "passed", "completed"]
    assert rows[0].statement["timestamp"].startswith(dt.date.today().isoformat()[:4])
    again = run(args=["xapi", "backfill", "--since", "2020-01-01"])
    assert "0 nye udsagn" in again.output and len(_outbox(quiz_app)) == 3
    # The same record gives the same statement id: the live queue and a backfill cannot differ.
    from quizzes.records.statements import statement_id

    with quiz_app.app_context():
        assert rows[0].statement_id == statement_id(f"attempt:{first}:result")
        events = db.session.scalars(select(audit.AuditEvent).where(audit.AuditEvent.action == "xapi.backfill")).all()
        assert [e.details["queued"] for e in events] == [0, 3, 0]


def _queue(app, n: int) -> list[str]:
    from klarret import clock
    from klarret.db import db
    from quizzes.records import outbox

    with app.app_context():
        ids = [outbox.queue_booking(f"S{i:04}", "test-kursus", i, clock.now(), record=f"booking:{i}").statement_id
               for i in range(n)]
        db.session.commit()
    return ids


def test_booking_and_attendance_statements(quiz_app):
    from klarret import clock
    from klarret.db import db
    from quizzes.records import outbox

    with quiz_app.app_context():
        assert outbox.queue_booking("S1", "test-kursus", 7, clock.now()) is None  # no store: nothing
    _configure(quiz_app)
    with quiz_app.app_context():
        booked = outbox.queue_booking("S1", "test-kursus", 7, clock.now(), record="booking:7:S1").statement
        came = outbox.queue_attendance("S1", "test-kursus", 7, clock.now(), partial=True).statement
        db.session.commit()
    assert booked["verb"]["id"] == ADL + "registered" and came["verb"]["id"] == ADL + "attended"
    for stmt in (booked, came):
        assert stmt["object"]["id"] == f"{HOME}/kurser/test-kursus/hold/7"
        assert stmt["context"]["contextActivities"]["parent"][0]["id"] == f"{HOME}/kurser/test-kursus"
        assert stmt["actor"]["account"] == {"homePage": HOME, "name": "S1"}
    assert came["result"] == {"completion": False}
    assert len(_outbox(quiz_app)) == 2


def test_send_posts_batches_with_the_version_header_and_marks_them_sent(quiz_app, recording_store):
    _configure(quiz_app, recording_store.endpoint, KLARRET_XAPI_BATCH=4, KLARRET_XAPI_USERNAME="lrs",
               KLARRET_XAPI_PASSWORD="hemmelig")
    ids = _queue(quiz_app, 10)
    r = quiz_app.test_cli_runner().invoke(args=["xapi", "send"])
    assert r.exit_code == 0 and "Sendt: 10 udsagn" in r.output, r.output
    assert recording_store.received == ids and recording_store.requests == 3
    headers = recording_store.headers[0]
    assert headers["X-Experience-API-Version"] == "1.0.3" and headers["Authorization"] == "Basic bHJzOmhlbW1lbGln"
    assert all(row.sent_at is not None for row in _outbox(quiz_app))
    assert "Sendt: 0 udsagn" in quiz_app.test_cli_runner().invoke(args=["xapi", "send"]).output
    assert recording_store.requests == 3


@pytest.mark.parametrize("trouble", ["5xx", "timeout"])
def test_a_failing_store_backs_off_and_loses_nothing(quiz_app, recording_store, trouble):
    _configure(quiz_app, recording_store.endpoint, KLARRET_XAPI_BATCH=2, KLARRET_XAPI_TIMEOUT=0.3)
    ids = _queue(quiz_app, 3)
    if trouble == "5xx":
        recording_store.status = 503
    else:
        recording_store.delay = 1.0
    run = quiz_app.test_cli_runner().invoke
    r = run(args=["xapi", "send"])
    assert r.exit_code != 0 and "Intet går tabt" in r.output and "Næste forsøg efter" in r.output, r.output
    rows = _outbox(quiz_app)
    assert all(row.sent_at is None and row.rejected_at is None for row in rows)
    assert rows[0].tries == 1 and rows[0].next_attempt_at > rows[0].created_at and rows[2].tries == 0
    recording_store.status, recording_store.delay = 200, 0.0
    before = recording_store.requests
    assert run(args=["xapi", "send"]).exit_code != 0  # still backing off: the queue waits, in order
    assert recording_store.requests == before
    assert "næste forsøg efter" in run(args=["xapi", "status"]).output
    settings.override(quiz_app, {"KLARRET_TODAY": (dt.date.today() + dt.timedelta(days=1)).isoformat()})
    r = run(args=["xapi", "send"])
    assert r.exit_code == 0 and "Sendt: 3 udsagn" in r.output, r.output
    assert recording_store.received[-3:] == ids
    assert all(row.sent_at is not None for row in _outbox(quiz_app))


def test_two_senders_at_once_never_send_a_statement_twice(quiz_app, recording_store):
    """Two `klarret xapi send` on two instances: each statement is claimed and POSTed by one of them."""
    from quizzes.records.send import send_pending

    _configure(quiz_app, recording_store.endpoint, KLARRET_XAPI_BATCH=5)
    recording_store.delay = 0.02  # the senders overlap
    ids = _queue(quiz_app, 120)
    reports, errors = [], []
    go = threading.Barrier(2)

    def sender():
        try:
            with quiz_app.app_context():
                go.wait(5)
                reports.append(send_pending())
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sorted(recording_store.received) == sorted(ids), "a statement was sent twice, or not at all"
    assert all(r.sent > 0 for r in reports), "one sender did all the work: they did not run at once"
    assert sum(r.sent for r in reports) == 120
    from klarret.db import db
    from quizzes.records.outbox import XapiOutbox

    with quiz_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(XapiOutbox)
                                 .where(XapiOutbox.sent_at.is_(None))) == 0


def test_purge_deletes_statements_sent_or_refused_long_ago_never_waiting_ones(quiz_app, recording_store):
    from klarret import clock
    from klarret.db import db
    from quizzes.records.outbox import XapiOutbox, purge_sent

    _configure(quiz_app, recording_store.endpoint, KLARRET_XAPI_SENT_DAYS=30)
    ids = _queue(quiz_app, 5)
    with quiz_app.app_context():
        rows = db.session.scalars(select(XapiOutbox).order_by(XapiOutbox.id)).all()
        long_ago, lately = clock.now() - dt.timedelta(days=31), clock.now() - dt.timedelta(days=29)
        rows[0].sent_at, rows[1].sent_at, rows[2].rejected_at, rows[3].rejected_at = long_ago, lately, long_ago, lately
        rows[4].created_at = long_ago  # waiting since long ago: still to be sent
        db.session.commit()
        assert purge_sent(dry_run=True) == 2
    r = quiz_app.test_cli_runner().invoke(args=["purge"])
    assert "Læringsudsagn (xAPI)" in r.output
    assert [row.statement_id for row in _outbox(quiz_app)] == [ids[1], ids[3], ids[4]]


def test_a_sender_that_died_holding_a_batch_delays_it_only_until_the_lease_ends(quiz_app, recording_store):
    import secrets

    from klarret import clock
    from klarret.db import db
    from quizzes.records.send import claim_batch, send_pending

    _configure(quiz_app, recording_store.endpoint, KLARRET_XAPI_BATCH=2)
    ids = _queue(quiz_app, 3)
    with quiz_app.app_context():
        held = claim_batch(2, secrets.token_hex(16), dt.timedelta(minutes=5))  # ... and the sender crashed
        assert [r.statement_id for r in held] == ids[:2]
        assert send_pending().sent == 1 and recording_store.received == ids[2:]
        db.session.execute(held[0].__table__.update().values(claimed_until=clock.now() - dt.timedelta(seconds=1)))
        db.session.commit()
        assert send_pending().sent == 2
    assert sorted(recording_store.received) == sorted(ids)
