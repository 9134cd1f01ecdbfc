"""xAPI statements for learning records: cmi5-style verbs, the actor by staff number only.

A statement is a plain dict, ready for JSON. The actor is an ``account`` on the municipality's home
page (KLARRET_XAPI_HOMEPAGE, else KLARRET_BASE_URL) named by the staff number: names and e-mail
addresses never leave KlarRet. Each statement gets its id here, before it is queued, so a resend
after a lost answer is recognised by the store as the same statement. A statement about a stored
record (``record``, e.g. ``attempt:17:result``) gets an id derived from it, so a backfill that meets
the record again produces the same statement, which the store keeps once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from klarret import settings

Statement = dict[str, Any]
ADL = "http://adlnet.gov/expapi/verbs/"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
MEETING_TYPE = "http://adlnet.gov/expapi/activities/meeting"


class Verb(StrEnum):
    """The verbs KlarRet sends (cmi5 uses the ADL verbs for passed, failed and completed)."""

    PASSED = "passed"
    FAILED = "failed"
    COMPLETED = "completed"
    ATTENDED = "attended"
    REGISTERED = "registered"

    @property
    def iri(self) -> str:
        return ADL + self.value


DANISH = {Verb.PASSED: "bestod", Verb.FAILED: "bestod ikke", Verb.COMPLETED: "gennemførte",
          Verb.ATTENDED: "deltog i", Verb.REGISTERED: "tilmeldte sig"}


def homepage() -> str:
    """The home page the staff numbers belong to."""
    config = settings.current()
    return config.xapi_homepage or config.base_url


def actor(staff_no: str) -> dict[str, Any]:
    """The person as an xAPI agent: an account named by the staff number, nothing else about them."""
    return {"objectType": "Agent", "account": {"homePage": homepage(), "name": staff_no}}


def course_activity(course_id: str, title: str = "") -> dict[str, Any]:
    """A course as an xAPI activity; its id is the course's address in KlarRet."""
    definition: dict[str, Any] = {"type": COURSE_TYPE}
    if title:
        definition["name"] = {"da": title}
    return {"objectType": "Activity", "id": f"{homepage()}/kurser/{course_id}", "definition": definition}


def session_activity(course_id: str, session_id: int | str, title: str = "") -> dict[str, Any]:
    """A classroom session as an xAPI activity (a meeting), under its course's address."""
    definition: dict[str, Any] = {"type": MEETING_TYPE}
    if title:
        definition["name"] = {"da": title}
    return {"objectType": "Activity", "id": f"{homepage()}/kurser/{course_id}/hold/{session_id}",
            "definition": definition}


def timestamp(when: dt.datetime) -> str:
    """A stored (naive UTC) time as xAPI wants it: ISO 8601 in UTC, to the millisecond."""
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return when.isoformat(timespec="milliseconds") + "Z"


def statement_id(record: str | None) -> str:
    """The id of the statement about ``record`` (the same every time), or a fresh one."""
    if record is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{homepage()}/xapi/{record}"))


def statement(staff_no: str, verb: Verb, activity: dict[str, Any], when: dt.datetime,
              result: dict[str, Any] | None = None, parent: dict[str, Any] | None = None,
              record: str | None = None) -> Statement:
    """One statement with its id; ``parent`` (a course, for a session) goes in the context."""
    out: Statement = {"id": statement_id(record), "actor": actor(staff_no),
                      "verb": {"id": verb.iri, "display": {"en-US": verb.value, "da": DANISH[verb]}},
                      "object": activity, "timestamp": timestamp(when)}
    if result:
        out["result"] = result
    if parent:
        out["context"] = {"contextActivities": {"parent": [parent]}}
    return out


def score_result(score: int, passed: bool, completion: bool = True) -> dict[str, Any]:
    """An attempt's result: the score in percent, success and completion."""
    return {"score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
            "success": passed, "completion": completion}
