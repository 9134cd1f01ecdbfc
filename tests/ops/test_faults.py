"""Faults with two instances: PostgreSQL restarted under load, and a gunicorn worker killed mid-submission.

Nothing saved may be lost or duplicated; during the outage answers are a Danish 503 with Retry-After, and
the instances recover by themselves (no restart of KlarRet)."""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import func, select

from tests.conftest import make_app, require
from tests.support import instances, live, pg_cluster
from tests.support.live import PASSWORD, USERS, seed

pytestmark = pytest.mark.slow


@dataclass
class Taker:
    """One employee with an open attempt, saving answers over and over."""

    email: str
    session: requests.Session = field(default_factory=requests.Session)
    attempt: int = 0
    token: str = ""
    answers: list[dict[str, list[str]]] = field(default_factory=list)
    acked: dict[str, tuple[int, str]] = field(default_factory=dict)  # question -> (seq, value) last saved
    unsure: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # saves without an answer of 200


def takers(app, running, count: int = USERS) -> list[Taker]:
    """``count`` employees logged in and each with a started course (alternating instances)."""
    out = []
    for i in range(count):
        t, base = Taker(f"user{i}@kk.example"), running[i % len(running)].url
        assert live.log_in(t.session, base, t.email, PASSWORD).status_code == 302
        t.attempt = live.start_course(t.session, base)
        t.token = live.csrf(t.session.get(f"{base}/forsoeg/{t.attempt}/modul/0"))
        t.answers = live.modules(app, t.attempt)
        out.append(t)
    return out


@pytest.fixture
def cluster():
    """A PostgreSQL cluster of this test's own (restarting the shared one would disturb other tests)."""
    reason = pg_cluster.missing()
    require(reason is None, f"the restart test needs its own PostgreSQL cluster: {reason}")
    c = pg_cluster.Cluster()
    c.start()
    yield c
    c.remove()


def test_postgresql_restarted_under_load(cluster, guidance_build, tmp_path):
    from klarret.db import db
    from klarret.org.models import Employee
    from quizzes.models import Answer, Attempt, Completion

    url = cluster.create_database("klarret")
    app = make_app(guidance_build, url, tmp_path / "checks")
    seed(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # the test's own connections must not hold the restart up
    running = instances.start(url, guidance_build, tmp_path)
    try:
        people = takers(app, running)
        with app.app_context():
            db.engine.dispose()
        outages: list[requests.Response] = []
        statuses: list[int] = []
        stop = threading.Event()

        def work(t: Taker, offset: int) -> None:
            questions = [(q, good) for m in t.answers for q, good in m.items()]
            seq = 0
            while not stop.is_set():
                seq += 1
                base = running[(seq + offset) % 2].url
                if seq % 5 == 0:  # a page now and then, not only the API
                    r = t.session.get(base + "/min-side", timeout=30)
                else:
                    q, good = questions[seq % len(questions)]
                    value = good if (seq // len(questions)) % 2 == 0 else []
                    r = live.save_answer(t.session, base, t.attempt, t.token, q, value, timeout=30)
                    if r.status_code == 200:
                        t.acked[q] = (seq, ",".join(value))
                    else:
                        t.unsure.setdefault(q, []).append((seq, ",".join(value)))
                statuses.append(r.status_code)
                if r.status_code == 503:
                    outages.append(r)

        threads = [threading.Thread(target=work, args=(t, i)) for i, t in enumerate(people)]
        for th in threads:
            th.start()
        time.sleep(3)
        cluster.stop()  # "fast": open connections are cut, as in a restart by the operator
        time.sleep(3)
        cluster.start()
        time.sleep(4)
        stop.set()
        for th in threads:
            th.join()

        logs = "".join(i.log_text() for i in running)
        first = logs.find("Unhandled error")
        assert set(statuses) <= {200, 503}, (f"only saved or 'try again' answers, never a 500: {set(statuses)}\n"
                                             + (logs[first:first + 4000] if first >= 0 else logs[-3000:]))
        assert outages, "the outage was seen"
        pages = [r for r in outages if r.headers["Content-Type"].startswith("text/html")]
        api = [r for r in outages if r.headers["Content-Type"].startswith("application/json")]
        assert pages and api
        assert pages[0].headers["Retry-After"].isdigit() and "Prøv igen om lidt" in pages[0].text
        assert api[0].headers["Retry-After"].isdigit() and "Prøv igen om lidt" in api[0].json()["error"]["message"]
        # Recovered by itself: every instance answers every person again, and each can hand in once.
        for i, t in enumerate(people):
            for instance in running:
                assert t.session.get(instance.url + "/min-side", allow_redirects=False).status_code == 200
            assert live.hand_in(t.session, running[i % 2].url, t.attempt).status_code == 302
        with app.app_context():
            for t in people:
                stored = dict(db.session.execute(select(Answer.question_id, Answer.selected)
                                                 .where(Answer.attempt_id == t.attempt)).all())
                for q, (seq, value) in t.acked.items():
                    later = {v for s, v in t.unsure.get(q, []) if s > seq}
                    assert stored.get(q) == value or stored.get(q) in later, f"{t.email} {q}: a saved answer lost"
                staff_no = db.session.scalar(select(Employee.staff_no).where(Employee.email == t.email))
                attempts = db.session.scalars(select(Attempt).where(Attempt.staff_no == staff_no)).all()
                assert len(attempts) == 1 and attempts[0].submitted_at is not None, t.email
                assert db.session.scalar(select(func.count()).select_from(Completion).where(
                    Completion.staff_no == attempts[0].staff_no)) <= 1
    finally:
        instances.stop(running)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_worker_killed_mid_submission_loses_and_duplicates_nothing(two, shared_db):
    """kill -9 of instance A's workers while it hands attempts in. The killed request itself may end in a
    connection reset (behind a proxy the person sees the proxy's 502 page); sent again, on B, it lands on the
    one result, graded once."""
    from klarret.db import db
    from quizzes.models import Answer, Attempt, Completion

    a, b = two
    people = takers(shared_db, two)
    for t in people:
        for index, answers in enumerate(t.answers):
            assert live.answer_module(t.session, b.url, t.attempt, index, answers).status_code == 302
    resets = 0
    for i, t in enumerate(people):
        outcome: list[object] = []

        def submit(t: Taker = t, outcome: list = outcome) -> None:
            try:
                outcome.append(live.hand_in(t.session, a.url, t.attempt).status_code)
            except requests.ConnectionError as exc:
                outcome.append(exc)

        th = threading.Thread(target=submit)
        th.start()
        time.sleep(0.15 + 0.01 * i)  # the review page is fetched first; then the submission is under way
        for pid in a.workers():
            os.kill(pid, signal.SIGKILL)
        th.join(timeout=60)
        instances.wait_ready(a)  # gunicorn's master starts new workers
        if outcome != [302]:
            resets += 1
            assert live.hand_in(t.session, b.url, t.attempt).status_code == 302, outcome
        assert t.session.get(f"{a.url}/forsoeg/{t.attempt}/resultat").status_code == 200
    with shared_db.app_context():
        for t in people:
            attempt = db.session.get(Attempt, t.attempt)
            assert attempt.submitted_at is not None and attempt.passed and attempt.score == 100, t.email
            assert db.session.scalar(select(func.count()).select_from(Attempt).where(
                Attempt.staff_no == attempt.staff_no)) == 1
            assert db.session.scalar(select(func.count()).select_from(Completion).where(
                Completion.staff_no == attempt.staff_no)) == 1
            assert db.session.scalar(select(func.count()).select_from(Answer).where(
                Answer.attempt_id == t.attempt)) == sum(len(m) for m in t.answers)
    print(f"{resets} of {len(people)} submissions were cut by the kill and sent again")
