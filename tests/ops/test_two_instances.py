"""Two `klarret serve` processes on one PostgreSQL: the next request may land on either (issue 11).

One requests.Session talks to both: cookies belong to the host, not the port, as behind a proxy."""

from __future__ import annotations

import re
import shutil
import threading
import time

import pytest
import requests
from sqlalchemy import func, select

from tests.support import instances, live

pytestmark = pytest.mark.slow


def test_log_in_on_a_continue_the_course_on_b_and_submit_on_a(two, shared_db):
    from klarret.db import db
    from quizzes.models import Answer, Attempt, Completion

    a, b = two
    s = requests.Session()
    assert live.log_in(s, a.url, "anna@demo.klarret.dk").status_code == 302
    attempt_id = live.start_course(s, b.url)
    for index, answers in enumerate(live.modules(shared_db, attempt_id)):
        base = (a, b)[index % 2].url  # every other module on the other instance
        assert live.answer_module(s, base, attempt_id, index, answers).status_code == 302
    r = live.hand_in(s, a.url, attempt_id)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/forsoeg/{attempt_id}/resultat")
    result = s.get(b.url + f"/forsoeg/{attempt_id}/resultat")
    assert result.status_code == 200 and "Bestået" in result.text
    with shared_db.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.submitted_at is not None and attempt.passed
        questions = sum(len(m) for m in live.modules(shared_db, attempt_id))
        assert db.session.scalar(select(func.count()).select_from(Answer).where(
            Answer.attempt_id == attempt_id)) == questions
        assert db.session.scalar(select(func.count()).select_from(Completion).where(
            Completion.staff_no == "000101")) == 1


def test_logging_out_or_a_revoked_session_counts_on_both(two, shared_db):
    from klarret.auth import revoke_sessions
    from klarret.db import db

    a, b = two
    s = requests.Session()
    live.log_in(s, a.url, "anna@demo.klarret.dk")
    assert s.get(b.url + "/min-side", allow_redirects=False).status_code == 200
    with shared_db.app_context():  # an administrator changed Anna's roles on a third instance
        revoke_sessions("000101")
        db.session.commit()
    for instance in two:
        assert s.get(instance.url + "/min-side", allow_redirects=False).status_code == 302, instance.name
    live.log_in(s, b.url, "anna@demo.klarret.dk")
    page = s.get(a.url + "/min-side")
    s.post(a.url + "/logout", data={"csrf_token": live.csrf(page)})
    assert s.get(b.url + "/min-side", allow_redirects=False).status_code == 302, "logged out on A is out on B"


def test_the_login_throttle_counts_failures_on_both(two):
    a, b = two
    for i in range(5):
        r = live.log_in(requests.Session(), (a, b)[i % 2].url, "bo@demo.klarret.dk", "forkert")
        assert r.status_code == 400 and "adgangskoden er forkert" in r.text
    for instance in two:
        r = live.log_in(requests.Session(), instance.url, "bo@demo.klarret.dk")
        assert r.status_code == 429 and r.headers["Retry-After"].isdigit(), instance.name


def test_search_analytics_come_from_both(two, shared_db):
    from klarret.db import db
    from search.models import SearchLog

    a, b = two
    assert requests.get(a.url + "/api/search", params={"q": "aktindsigt"}).status_code == 200
    assert requests.get(b.url + "/api/search", params={"q": "partshøring"}).status_code == 200
    deadline = time.monotonic() + 15  # each worker writes its log every half second (set by the fixture)
    with shared_db.app_context():
        while time.monotonic() < deadline:
            db.session.rollback()
            queries = set(db.session.scalars(select(SearchLog.query).where(SearchLog.kind == "query")))
            if {"aktindsigt", "partshøring"} <= queries:
                break
            time.sleep(0.3)
        assert {"aktindsigt", "partshøring"} <= queries


def test_klarret_index_switches_both_while_they_serve(shared_db, guidance_build, tmp_path):
    """The daily `klarret index` on the shared, read-only build folder: both instances answer throughout and
    then both find an editor's new word."""
    from klarret.db import db
    from search.models import AlsoCalled

    build = tmp_path / "build"  # a copy: the session's guidance build stays as other tests expect it
    shutil.copytree(guidance_build, build, symlinks=True)
    url = shared_db.config["SQLALCHEMY_DATABASE_URI"]
    running = instances.start(url, build, tmp_path)
    try:
        found = requests.get(running[0].url + "/api/search", params={"q": "aktindsigt"}).json()["results"][0]
        page = re.sub(r"[#?].*", "", found["url"]).rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        with shared_db.app_context():
            db.session.add(AlsoCalled(page=page, word="zorblat"))
            db.session.commit()
        statuses: list[int] = []
        stop = threading.Event()

        def hammer(base: str) -> None:
            while not stop.is_set():
                statuses.append(requests.get(base + "/api/search", params={"q": "frist"}, timeout=30).status_code)

        threads = [threading.Thread(target=hammer, args=(i.url,)) for i in running for _ in range(2)]
        for t in threads:
            t.start()
        job = instances.command(["index"], url, build, tmp_path / "job")
        output, _ = job.communicate(timeout=300)
        time.sleep(1)
        stop.set()
        for t in threads:
            t.join()
        assert job.returncode == 0, output
        assert statuses and set(statuses) == {200}, f"{len(statuses)} searches, {statuses.count(200)} answered"
        for instance in running:
            results = requests.get(instance.url + "/api/search", params={"q": "zorblat"}).json()["results"]
            assert results and results[0]["url"].split("#")[0] == found["url"].split("#")[0], instance.name
    finally:
        instances.stop(running)


def test_remind_on_both_at_once_sends_each_message_once(shared_db, guidance_build, tmp_path):
    from tests.support.smtp import smtp_server

    url = shared_db.config["SQLALCHEMY_DATABASE_URI"]
    with smtp_server() as (sink, port):
        mail = {"KLARRET_MAIL": "smtp", "KLARRET_SMTP_HOST": "127.0.0.1", "KLARRET_SMTP_PORT": str(port)}
        jobs = [instances.command(["remind"], url, guidance_build, tmp_path / name, **mail) for name in "ab"]
        outputs = [job.communicate(timeout=300)[0] for job in jobs]
        assert [job.returncode for job in jobs] == [0, 0], outputs
        time.sleep(0.5)
        sent = [(m["To"], m["Subject"]) for m in sink.messages]
    assert sent, "the demo accounts have courses to be reminded of"
    assert len(sent) == len(set(sent)), "no message twice"
    counts = [int(re.search(r"Sendte (\d+) e-mails", out).group(1)) for out in outputs]
    assert sum(counts) == len(sent), outputs
