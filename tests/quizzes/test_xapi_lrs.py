"""The xAPI outbox against a real Learning Record Store, Ralph (issue 13): statements arrive once and in
order, an outage loses nothing, a resent statement is kept once, and a 409 sets aside only that statement."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from klarret import settings
from tests.support.attempts import answer_all, hand_in, start
from tests.support.lrs import PASSWORD, USER

pytestmark = pytest.mark.slow

HOME = "https://kk.example.dk"


def _configure(app, store, **extra) -> None:
    settings.override(app, {"KLARRET_XAPI_ENDPOINT": store.endpoint, "KLARRET_XAPI_HOMEPAGE": HOME,
                            "KLARRET_XAPI_USERNAME": USER, "KLARRET_XAPI_PASSWORD": PASSWORD, **extra})


def _send(app) -> str:
    r = app.test_cli_runner().invoke(args=["xapi", "send"])
    return r.output + ("" if r.exit_code == 0 else f"[exit {r.exit_code}]")


def _rows(app) -> list:
    from klarret.db import db
    from quizzes.records.outbox import XapiOutbox

    with app.app_context():
        rows = list(db.session.scalars(select(XapiOutbox).order_by(XapiOutbox.id)))
        db.session.expunge_all()
        return rows


def _queue_sessions(app, first: int, n: int) -> list[str]:
    """Bookings and attendances, as the classroom part will queue them."""
    from klarret import clock
    from klarret.db import db
    from quizzes.records import outbox

    ids = []
    with app.app_context():
        for i in range(first, first + n):
            queue = outbox.queue_booking if i % 2 else outbox.queue_attendance
            ids.append(queue(f"S{i:04}", "test-kursus", i, clock.now(), record=f"session:{i}").statement_id)
        db.session.commit()
    return ids


def test_statements_arrive_once_and_in_order(qclient, quiz_app, ralph):
    _configure(quiz_app, ralph, KLARRET_XAPI_BATCH=3)
    for right in (False, True):
        aid = start(qclient, "test-kursus")
        answer_all(qclient, quiz_app, aid, right=right)
        assert hand_in(qclient, aid).status_code == 302
    _queue_sessions(quiz_app, 1, 4)
    queued = [r.statement_id for r in _rows(quiz_app)]
    assert len(queued) == 7  # failed, passed, completed, 2 bookings, 2 attendances
    assert "Sendt: 7 udsagn" in _send(quiz_app)
    stored = ralph.statements()
    assert [s["id"] for s in stored] == queued
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in stored]
    assert verbs == ["failed", "passed", "completed", "registered", "attended", "registered", "attended"]
    assert stored[1]["actor"]["account"]["homePage"] == HOME and stored[1]["result"]["success"] is True
    assert all(r.sent_at is not None for r in _rows(quiz_app))
    assert "Sendt: 0 udsagn" in _send(quiz_app) and len(ralph.statements()) == 7


def test_the_store_down_and_back_up_loses_nothing(quiz_app, ralph):
    _configure(quiz_app, ralph, KLARRET_XAPI_BATCH=2, KLARRET_XAPI_TIMEOUT=2)
    first = _queue_sessions(quiz_app, 1, 3)
    assert "Sendt: 3 udsagn" in _send(quiz_app)
    ralph.stop()
    later = _queue_sessions(quiz_app, 4, 3)
    out = _send(quiz_app)
    assert "svarer ikke" in out and "Intet går tabt" in out and "[exit 1]" in out
    assert [r.sent_at is None for r in _rows(quiz_app)] == [False] * 3 + [True] * 3
    ralph.start()
    assert "Sendt: 0 udsagn" in _send(quiz_app)  # the backoff holds: the queue waits its turn
    settings.override(quiz_app, {"KLARRET_TODAY": (dt.date.today() + dt.timedelta(days=1)).isoformat()})
    assert "Sendt: 3 udsagn" in _send(quiz_app)
    assert [s["id"] for s in ralph.statements()] == first + later


def test_a_statement_sent_twice_is_kept_once(quiz_app, ralph):
    """The store answered but the answer was lost: the sender sends the batch again, with the same ids."""
    from klarret.db import db
    from quizzes.records.outbox import XapiOutbox

    _configure(quiz_app, ralph)
    ids = _queue_sessions(quiz_app, 1, 3)
    assert "Sendt: 3 udsagn" in _send(quiz_app)
    with quiz_app.app_context():
        db.session.execute(XapiOutbox.__table__.update().values(sent_at=None))
        db.session.commit()
    more = _queue_sessions(quiz_app, 4, 1)
    assert "Sendt: 4 udsagn" in _send(quiz_app)
    assert [s["id"] for s in ralph.statements()] == ids + more


def test_a_conflict_sets_aside_only_the_statement_the_store_refuses(quiz_app, ralph):
    """Same id, other content: Ralph answers 409; the batch is retried one by one, the rest get through."""
    from klarret.db import db
    from quizzes.records.outbox import XapiOutbox

    _configure(quiz_app, ralph, KLARRET_XAPI_BATCH=10)
    ids = _queue_sessions(quiz_app, 1, 2)
    assert "Sendt: 2 udsagn" in _send(quiz_app)
    with quiz_app.app_context():  # the first statement again, changed: a store must refuse it
        row = db.session.get(XapiOutbox, 1)
        changed = {**row.statement, "result": {"completion": True, "success": True}}
        row.statement_id, row.statement = "x", {}
        db.session.commit()
        db.session.add(XapiOutbox(statement_id=changed["id"], staff_no="S0001", verb="registered",
                                  statement=changed))
        db.session.commit()
    more = _queue_sessions(quiz_app, 3, 2)
    out = _send(quiz_app)
    assert "Sendt: 2 udsagn" in out and "Sat til side (afvist af læringsregistret): 1" in out, out
    stored = ralph.statements()
    assert [s["id"] for s in stored] == ids + more
    assert "result" not in stored[0]  # the store kept the original
    refused = [r for r in _rows(quiz_app) if r.rejected_at is not None]
    assert [r.statement_id for r in refused] == [ids[0]] and refused[0].error.startswith("409")
    status = quiz_app.test_cli_runner().invoke(args=["xapi", "status"]).output
    assert f"{ids[0]} registered S0001: 409" in status and "Venter: 0" in status
    assert "Sendt: 0 udsagn" in _send(quiz_app)  # a set-aside statement is not retried forever
