"""The JSON API against its own OpenAPI document: no 5xx, every answer as documented (schemathesis)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import select

from tests.conftest import make_app


@pytest.fixture(scope="module")
def api_app(basic_build, tmp_path_factory):
    """An app on the test guidance with the demo accounts, one open attempt of Anna's (id 1), and her session."""
    from klarret.db import db
    from klarret.demo import load_demo_data
    from klarret.org.models import Employee
    from quizzes.attempts.service import start_attempt
    from quizzes.courses import catalogue

    tmp = tmp_path_factory.mktemp("openapi")
    app = make_app(basic_build, f"sqlite:///{tmp / 'klarret.db'}", tmp,
                   KLARRET_COURSES_DIR=Path(__file__).parents[1] / "data" / "courses")
    with app.app_context():
        load_demo_data(population=False)
        anna = db.session.scalar(select(Employee).where(Employee.email == "anna@demo.klarret.dk"))
        assert start_attempt(anna, catalogue()["test-kursus"]).id == 1  # the document's example id
    return app


def _session(app) -> tuple[dict[str, str], dict[str, str]]:
    """A logged-in employee's cookies (the session) and headers (the CSRF token)."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    tok = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    client.post("/login", data={"email": "anna@demo.klarret.dk", "password": "klarret-demo", "csrf_token": tok})
    tok = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/min-side").get_data(as_text=True)).group(1)
    cookie = client.get_cookie("session")
    return {"session": cookie.value}, {"X-CSRFToken": tok}


def _check(app, cookies: dict[str, str] | None, headers: dict[str, str] | None,
           seen: list[int] | None = None) -> None:
    """Every operation, with generated requests: no 5xx, status and body as the document says."""
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/search", "/api/suggest", "/api/forsoeg/{attempt_id}/svar"}
    for operation in operations:
        # schemathesis' own pytest plugin does not run on pytest 9: drive its strategies with hypothesis.
        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            if cookies:
                case.cookies = {**(case.cookies or {}), **cookies}
            # A schema-valid request may still be refused with a documented 4xx (an unknown question id,
            # a missing CSRF token): what must hold is no 5xx and every answer as documented.
            response = case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
            if seen is not None:
                seen.append(response.status_code)

        run()


def test_api_matches_its_document(api_app):
    _check(api_app, None, None)


def test_api_matches_its_document_logged_in(api_app):
    cookies, headers = _session(api_app)
    # They really log in: a valid save through them is stored (so the run reaches the saving code).
    client = api_app.test_client()
    client.set_cookie("session", cookies["session"])
    r = client.post("/api/forsoeg/1/svar", json={"question": "t-1", "options": ["a"]}, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    seen: list[int] = []
    _check(api_app, cookies, headers, seen)
    assert 200 in seen, "no generated request reached the saving code logged in"
