"""Passwords: argon2 hashes, a cap on checks running at once, and the same work for unknown accounts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from klarret import settings

hasher = PasswordHasher()
# Checked against when the e-mail is unknown, so the answer takes as long as for a real account.
DUMMY_HASH = hasher.hash("klarret: ingen konto har denne adgangskode")
_slots: dict[int, threading.BoundedSemaphore] = {}
_slots_lock = threading.Lock()


class Busy(Exception):
    """Every password-check slot of this worker is taken: the caller answers 503 and asks to retry."""


def hash_password(password: str) -> str:
    """An argon2 hash of ``password``."""
    return hasher.hash(password)


def _semaphore(size: int) -> threading.BoundedSemaphore:
    with _slots_lock:
        if size not in _slots:
            _slots[size] = threading.BoundedSemaphore(size)
        return _slots[size]


@contextmanager
def slot(wait: float = 2.0) -> Iterator[None]:
    """Hold one of the worker's password-check slots (each check costs 0.3-0.8 s of CPU); Busy if none frees."""
    semaphore = _semaphore(settings.current().login_hash_slots)
    if not semaphore.acquire(timeout=wait):
        raise Busy()
    try:
        yield
    finally:
        semaphore.release()


def check(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; without a stored hash the dummy is checked (same time, always False)."""
    try:
        return hasher.verify(stored_hash or DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
