"""`klarret xapi send`: POST the outbox to the Learning Record Store in batches, safe on two instances.

A sender claims a batch with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so a second sender takes
the next rows; SQLite: the claiming UPDATE holds the write lock), posts it, and marks it sent only if it
still holds the claim. 200/204 marks the batch sent. A 409 (or 400) on a batch is retried one statement
at a time, and only the statement the store refuses is set aside. A timeout, 5xx or a refused login
backs the queue off (1, 2, 4 … 60 minutes): nothing after it is sent before it, so the order holds.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update

from klarret import clock, settings
from klarret.db import db
from quizzes.records.outbox import XapiOutbox

VERSION = "1.0.3"
REFUSED = (400, 409)  # the store refuses a statement's content: set it aside, one at a time
MAX_BACKOFF = dt.timedelta(hours=1)


class StoreUnavailable(Exception):
    """The store did not take the batch (down, slow, 5xx, wrong login); the message is Danish."""


@dataclass
class SendReport:
    """What one `klarret xapi send` did."""

    sent: int = 0
    rejected: int = 0
    problem: str = ""  # Danish: why the store was left alone for now
    waiting_until: dt.datetime | None = None


def _pending():
    return and_(XapiOutbox.sent_at.is_(None), XapiOutbox.rejected_at.is_(None))


def backoff_until() -> dt.datetime | None:
    """When the queue may be sent again after the store failed; None: now."""
    now = clock.now()
    return db.session.scalar(select(func.max(XapiOutbox.next_attempt_at)).where(
        _pending(), XapiOutbox.next_attempt_at > now))


def claim_batch(size: int, token: str, lease: dt.timedelta) -> list[XapiOutbox]:
    """Take up to ``size`` of the oldest unclaimed statements for this sender, and commit the claim."""
    now = clock.now()
    free = or_(XapiOutbox.claimed_until.is_(None), XapiOutbox.claimed_until < now)
    oldest = select(XapiOutbox.id).where(_pending(), free).order_by(XapiOutbox.id).limit(size)
    if db.session.connection().dialect.name == "postgresql":
        oldest = oldest.with_for_update(skip_locked=True)
    db.session.execute(update(XapiOutbox).where(XapiOutbox.id.in_(oldest.scalar_subquery()))
                       .values(claim=token, claimed_until=now + lease).execution_options(synchronize_session=False))
    db.session.commit()
    return list(db.session.scalars(select(XapiOutbox).where(XapiOutbox.claim == token, _pending())
                                   .order_by(XapiOutbox.id)))


def post(statements: list[dict]) -> tuple[int, str]:
    """POST statements to KLARRET_XAPI_ENDPOINT/statements: (status, body); raises StoreUnavailable."""
    config = settings.current()
    request = urllib.request.Request(f"{config.xapi_endpoint}/statements", method="POST",
                                     data=json.dumps(statements).encode("utf-8"))
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Experience-API-Version", VERSION)
    if config.xapi_username:
        login = f"{config.xapi_username}:{config.xapi_password}".encode()
        request.add_header("Authorization", "Basic " + base64.b64encode(login).decode("ascii"))
    try:
        with urllib.request.urlopen(request, timeout=config.xapi_timeout) as answer:
            return answer.status, answer.read(2000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(2000).decode("utf-8", "replace")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise StoreUnavailable(f"Læringsregistret på {config.xapi_endpoint} svarer ikke ({reason}).") from exc


def _unavailable(status: int, body: str) -> StoreUnavailable:
    endpoint = settings.current().xapi_endpoint
    if status in (401, 403):
        return StoreUnavailable(f"Læringsregistret afviste login ({status}). Tjek KLARRET_XAPI_USERNAME og "
                                "KLARRET_XAPI_PASSWORD.")
    if status == 404:
        return StoreUnavailable(f"Læringsregistret findes ikke på {endpoint}/statements (404). "
                                "Tjek KLARRET_XAPI_ENDPOINT.")
    return StoreUnavailable(f"Læringsregistret svarede {status}: {body[:200]}")


def _mark(rows: list[XapiOutbox], token: str, **values) -> None:
    ids = [r.id for r in rows]
    db.session.execute(update(XapiOutbox).where(XapiOutbox.id.in_(ids), XapiOutbox.claim == token)
                       .values(claim=None, claimed_until=None, **values)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def _back_off(rows: list[XapiOutbox], token: str, problem: str) -> dt.datetime:
    """Release the rows with a later next try: 1 minute, doubling with each failure, at most an hour."""
    tries = max(r.tries for r in rows) + 1
    until = clock.now() + min(dt.timedelta(minutes=2 ** (tries - 1)), MAX_BACKOFF)
    _mark(rows, token, tries=tries, next_attempt_at=until, error=problem)
    return until


def _send_one_by_one(rows: list[XapiOutbox], token: str, report: SendReport) -> None:
    """After a refused batch: each statement alone; only the one the store refuses is set aside."""
    for i, row in enumerate(rows):
        try:
            status, body = post([row.statement])
            if status in (200, 204):
                _mark([row], token, sent_at=clock.now(), next_attempt_at=None, error=None)
                report.sent += 1
                continue
            if status not in REFUSED:
                raise _unavailable(status, body)
        except StoreUnavailable as exc:
            report.problem = str(exc)
            report.waiting_until = _back_off(rows[i:], token, report.problem)
            return
        _mark([row], token, rejected_at=clock.now(), error=f"{status}: {body[:500]}")
        report.rejected += 1


def send_pending(max_batches: int | None = None) -> SendReport:
    """Send the outbox batch by batch until it is empty or the store fails."""
    config = settings.current()
    report = SendReport()
    if not config.xapi_endpoint:
        report.problem = ("KLARRET_XAPI_ENDPOINT er ikke sat, så der sendes intet. Sæt læringsregistrets adresse, "
                          "eller stop jobbet 'klarret xapi send'.")
        return report
    waiting = backoff_until()
    if waiting is not None:
        report.problem, report.waiting_until = "Læringsregistret fejlede sidst; køen venter.", waiting
        return report
    lease = dt.timedelta(seconds=config.xapi_timeout * (config.xapi_batch + 1) + 60)
    token, batches = secrets.token_hex(16), 0
    while max_batches is None or batches < max_batches:
        rows = claim_batch(config.xapi_batch, token, lease)
        if not rows:
            break
        batches += 1
        try:
            status, body = post([r.statement for r in rows])
            if status not in (200, 204, *REFUSED):
                raise _unavailable(status, body)
        except StoreUnavailable as exc:
            report.problem = str(exc)
            report.waiting_until = _back_off(rows, token, report.problem)
            break
        if status in REFUSED:
            _send_one_by_one(rows, token, report)
            if report.problem:
                break
            continue
        _mark(rows, token, sent_at=clock.now(), next_attempt_at=None, error=None)
        report.sent += len(rows)
    return report
