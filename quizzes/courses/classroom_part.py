"""The classroom part of a course file (`[holdundervisning]`): what completion needs, and the session rules.

Like the assignment rules, these are not content: changing them gives the course no new version.

    [holdundervisning]
    gennemfoerelse = "begge"        # e-laering | fremmoede | begge | enten
    gaelder_fra = 2026-12-01        # begge: fremmøde kræves fra denne dato (før: kun e-læring)
    delvis_taeller = false          # tæller delvist fremmøde som fremmøde?
    varighed_timer = 3
    tilmeldingsfrist_arbejdsdage = 3
    afmeldingsfrist_arbejdsdage = 2
    fremmoede_dage = 7              # dage efter start, hvor underviseren kan registrere fremmøde
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

MODES = ("e-laering", "fremmoede", "begge", "enten")
KEYS = {"gennemfoerelse", "gaelder_fra", "delvis_taeller", "varighed_timer", "tilmeldingsfrist_arbejdsdage",
        "afmeldingsfrist_arbejdsdage", "fremmoede_dage", "beskrivelse"}


@dataclass(frozen=True)
class ClassroomPart:
    """One course's `[holdundervisning]` table."""

    mode: str = "e-laering"
    effective: dt.date | None = None  # begge: attendance is required from this day on
    partial_counts: bool = False
    hours: float = 3
    signup_workdays: int = 3  # sign-up closes this many working days before the start
    cancel_workdays: int = 2  # the person can cancel until this many working days before the start
    attendance_days: int = 7  # the trainer can mark attendance until this many days after the start
    description: str = ""

    @property
    def hours_text(self) -> str:
        """The duration as Danes write it: "3" or "2,5"."""
        return f"{self.hours:g}".replace(".", ",")

    @property
    def needs_elearning(self) -> bool:
        return self.mode in ("e-laering", "begge")

    def needs_attendance(self, today: dt.date) -> bool:
        """Whether completion needs attendance on ``today`` (begge: from gaelder_fra on)."""
        if self.mode == "fremmoede":
            return True
        return self.mode == "begge" and (self.effective is None or today >= self.effective)


def _int(table: dict, key: str, default: int, err: Callable[[str], None], minimum: int = 0) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        err(f"{key} skal være et helt tal på mindst {minimum}, ikke {value!r}.")
        return default
    return value


def parse_classroom(data: dict, err: Callable[[str, str], None]) -> ClassroomPart | None:
    """The course's `[holdundervisning]` table, or None; problems go to ``err`` in Danish."""
    table = data.get("holdundervisning")
    if table is None:
        return None
    where = "holdundervisning"
    e = lambda msg: err(where, msg)  # noqa: E731
    if not isinstance(table, dict):
        e("skal være en tabel: [holdundervisning] med fx gennemfoerelse = \"begge\".")
        return None
    for key in sorted(set(table) - KEYS):
        e(f"ukendt nøgle '{key}'; brug {', '.join(sorted(KEYS))}.")
    mode = table.get("gennemfoerelse", "e-laering")
    if mode not in MODES:
        e(f"gennemfoerelse = {mode!r} er ukendt; brug en af {', '.join(MODES)}.")
        mode = "e-laering"
    effective = table.get("gaelder_fra")
    if effective is not None and (isinstance(effective, dt.datetime) or not isinstance(effective, dt.date)):
        e(f"gaelder_fra skal være en dato uden anførselstegn, fx gaelder_fra = 2027-03-01, ikke {effective!r}.")
        effective = None
    if effective is not None and mode != "begge":
        e("gaelder_fra bruges kun med gennemfoerelse = \"begge\" (fra hvornår fremmødet kræves).")
    partial = table.get("delvis_taeller", False)
    if not isinstance(partial, bool):
        e(f"delvis_taeller skal være true eller false, ikke {partial!r}.")
        partial = False
    hours = table.get("varighed_timer", 3)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or hours <= 0:
        e(f"varighed_timer skal være et positivt tal (timer), ikke {hours!r}.")
        hours = 3
    description = table.get("beskrivelse", "")
    if not isinstance(description, str):
        e("beskrivelse skal være en tekst.")
        description = ""
    return ClassroomPart(mode, effective, partial, float(hours), _int(table, "tilmeldingsfrist_arbejdsdage", 3, e),
                         _int(table, "afmeldingsfrist_arbejdsdage", 2, e), _int(table, "fremmoede_dage", 7, e),
                         description.strip())
