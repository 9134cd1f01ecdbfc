"""Driving running KlarRet instances over real HTTP (requests): log in, take a course, save answers."""

from __future__ import annotations

import re

import requests

from tests.support.web import DEMO_PASSWORD

COURSE = "grundkursus"  # a real course every employee has
PASSWORD = "en-lang-adgangskode-til-test"
USERS = 8  # employees besides the demo accounts, for the tests with several people at once


def csrf(page: requests.Response) -> str:
    """The CSRF token of the form on a page."""
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert m, f"no CSRF token on {page.url} ({page.status_code})"
    return m.group(1)


def log_in(s: requests.Session, base: str, email: str, password: str = DEMO_PASSWORD) -> requests.Response:
    """Post the login form on ``base``; returns the answer (302 on success)."""
    return s.post(base + "/login", data={"email": email, "password": password,
                                         "csrf_token": csrf(s.get(base + "/login"))}, allow_redirects=False)


def start_course(s: requests.Session, base: str, course_id: str = COURSE) -> int:
    """Start a course on ``base``; the new attempt's id."""
    r = s.post(f"{base}/kurser/{course_id}/start", allow_redirects=False,
               data={"csrf_token": csrf(s.get(f"{base}/kurser/{course_id}"))})
    assert r.status_code == 302, r.text[:300]
    return int(re.search(r"/forsoeg/(\d+)/", r.headers["Location"]).group(1))


def answer_module(s: requests.Session, base: str, attempt_id: int, index: int,
                  answers: dict[str, list[str]]) -> requests.Response:
    """Answer one module through its form and go on."""
    url = f"{base}/forsoeg/{attempt_id}/modul/{index}"
    data: dict[str, object] = {"csrf_token": csrf(s.get(url)), "go": "next"}
    data.update({f"q-{q}": options for q, options in answers.items()})
    return s.post(url, data=data, allow_redirects=False)


def save_answer(s: requests.Session, base: str, attempt_id: int, token: str, question: str, options: list[str],
                timeout: float = 10) -> requests.Response:
    """Save one answer as the module page's script does."""
    return s.post(f"{base}/api/forsoeg/{attempt_id}/svar", json={"question": question, "options": options},
                  headers={"X-CSRFToken": token}, timeout=timeout)


def hand_in(s: requests.Session, base: str, attempt_id: int, timeout: float = 30) -> requests.Response:
    """Submit an attempt from its review page."""
    token = csrf(s.get(f"{base}/forsoeg/{attempt_id}/gennemse"))
    return s.post(f"{base}/forsoeg/{attempt_id}/aflever", data={"csrf_token": token}, allow_redirects=False,
                  timeout=timeout)


def modules(app, attempt_id: int, right: bool = True) -> list[dict[str, list[str]]]:
    """Per module of the attempt's pinned course: question id -> the right options (or one wrong one)."""
    from klarret.db import db
    from quizzes.attempts.service import pinned_course
    from quizzes.models import Attempt

    with app.app_context():
        course = pinned_course(db.session.get(Attempt, attempt_id))
        return [{q.id: sorted(q.correct_ids) if right else [o.id for o in q.options if not o.correct][:1]
                 for q in m.questions} for m in course.modules]


def seed(app, users: int = USERS) -> None:
    """The demo's five accounts and ``users`` employees (userN@kk.example, PASSWORD) in Anna's unit."""
    from klarret.auth import hash_password
    from klarret.db import db
    from klarret.demo import load_demo_data
    from klarret.org.models import Employee

    with app.app_context():
        load_demo_data(population=False)
        anna = db.session.get(Employee, "000101")
        hashed = hash_password(PASSWORD)
        db.session.add_all(Employee(staff_no=f"7000{i:02d}", name=f"Bruger {i}", email=f"user{i}@kk.example",
                                    unit=anna.unit, password_hash=hashed) for i in range(users))
        db.session.commit()
