"""Booking and attendance events, for listeners outside the classroom (e.g. learning records as xAPI).

A listener is called inside the transaction that changes the booking, before it is committed, so
whatever it writes (an outbox row) is committed or rolled back together with the booking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

# Kinds: registered (got a seat), waitlisted, cancelled, session_cancelled, attended, partial, no_show.
KINDS = ("registered", "waitlisted", "cancelled", "session_cancelled", "attended", "partial", "no_show")


@dataclass(frozen=True)
class ClassroomEvent:
    """What happened to one person's booking."""

    kind: str
    staff_no: str
    course_id: str
    session_id: int
    booking_id: int
    at: dt.datetime


Listener = Callable[[ClassroomEvent], None]
listeners: list[Listener] = []


def add_listener(listener: Listener) -> None:
    """Call ``listener`` for every event from now on (the composition root wires this, once)."""
    if listener not in listeners:
        listeners.append(listener)


def emit(event: ClassroomEvent) -> None:
    """Hand ``event`` to every listener, in the caller's transaction."""
    for listener in listeners:
        listener(event)
