"""Passwords: argon2 hashes, a cap on checks running at once, and the same work for unknown accounts."""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from klarret import settings

hasher = PasswordHasher()
# Checked against when the e-mail is unknown, so the answer takes as long as for a real account.
DUMMY_HASH = hasher.hash("klarret: ingen konto har denne adgangskode")


class Busy(Exception):
    """Every password-check slot is taken: the caller answers 503 and asks to retry."""


def hash_password(password: str) -> str:
    """An argon2 hash of ``password``."""
    return hasher.hash(password)


@contextmanager
def slot(wait: float = 0.05) -> Iterator[None]:
    """Hold one of the machine's password-check slots (each check costs 0.3-0.8 s of CPU); Busy if none frees.

    The slots are lock files in the instance folder, so the cap holds across gunicorn's worker processes:
    a sync worker that cannot get a slot answers 503 at once instead of queueing, and stays free for
    other pages.
    """
    s = settings.current()
    folder = s.instance_path / "login-slots"
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for i in range(s.login_hash_slots):
            handle = open(folder / f"slot-{i}", "a+b")  # noqa: SIM115 (closed when the slot is released)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                handle.close()
            return
        if time.monotonic() >= deadline:
            raise Busy()
        time.sleep(0.02)


def check(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; without a stored hash the dummy is checked (same time, always False)."""
    try:
        return hasher.verify(stored_hash or DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
