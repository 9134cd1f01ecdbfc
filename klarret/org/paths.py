"""Unit paths: the one place that knows how a unit is written, split, compared and nested.

Syntax: the administration's code, ``/``, then the unit's parts joined by `` / `` (space, slash, space),
e.g. ``SOF/Center X / Team 24/7``. Only a slash with whitespace (or the end) on both sides separates
parts; a bare ``/`` inside a part belongs to the name ("Team 24/7"). The database keeps ``Unit.path``
as the parts below the administration joined by `` / `` ("" is the administration's top unit), which
is also how the HR file's ``enhed`` column writes it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from klarret.org.models import admin_code

SEP = " / "
MAX_PART = 200  # Unit.name
MAX_PATH = 1000  # Unit.path
# A separating slash stands alone: whitespace or the start/end of the text on both sides.
_SPLIT = re.compile(r"\s*(?<!\S)/(?!\S)\s*")


class UnitPathError(ValueError):
    """A unit path that cannot be read; the message is Danish and names the path."""


def split(path: str) -> tuple[str, ...]:
    """The parts of a path below the administration, stripped, without empty parts."""
    return tuple(p for p in (q.strip() for q in _SPLIT.split(path.strip())) if p)


@functools.lru_cache(maxsize=65536)  # an HR file repeats each unit many times
def normalise(path: str) -> str:
    """A path below the administration in its one spelling: "  A  /  B /C " -> "A / B /C"."""
    return SEP.join(split(path))


@functools.lru_cache(maxsize=65536)
def fits(path: str) -> bool:
    """Whether a stored path fits the database (each part at most 200 characters, 1000 in all)."""
    return len(path) <= MAX_PATH and all(len(p) <= MAX_PART for p in split(path))


@dataclass(frozen=True, order=True)
class UnitPath:
    """A unit: its administration's code and its parts below the administration (() = the top unit)."""

    administration: str
    parts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if any(split(p) != (p,) for p in self.parts):
            raise UnitPathError(f"enhedsnavnet i {self.parts!r} er tomt eller indeholder ' / '.")

    @classmethod
    def parse(cls, text: object) -> UnitPath:
        """``CODE/part / part`` (code or full name of the administration; ``CODE`` alone is the top unit)."""
        head, _, rest = (text if isinstance(text, str) else "").partition("/")
        code = admin_code(head)
        if code is None:
            raise UnitPathError(f"enheden {text!r} skal starte med forvaltningens kode, "
                                "fx \"SOF/Center for Udsatte Voksne\".")
        return cls(code, split(rest))

    @classmethod
    def below(cls, administration: str, path: str) -> UnitPath:
        """A path below the administration as the HR file and ``Unit.path`` write it."""
        return cls(administration, split(path))

    @classmethod
    def of(cls, unit) -> UnitPath:
        """The path of a ``Unit`` (anything with ``administration_code`` and ``path``)."""
        return cls.below(unit.administration_code, unit.path)

    @property
    def path(self) -> str:
        """The stored form below the administration ("" for the top unit)."""
        return SEP.join(self.parts)

    @property
    def name(self) -> str:
        """The unit's own name ("" for the top unit, whose name is the administration's)."""
        return self.parts[-1] if self.parts else ""

    @property
    def depth(self) -> int:
        """0 for the administration's top unit, 1 for a centre below it, and so on."""
        return len(self.parts)

    @property
    def parent(self) -> UnitPath | None:
        """The unit above (the top unit for a centre); None for the top unit."""
        return UnitPath(self.administration, self.parts[:-1]) if self.parts else None

    def ancestors(self) -> list[UnitPath]:
        """This unit and the units above it, top down, without the top unit: A / B -> [A, A / B]."""
        return [UnitPath(self.administration, self.parts[:n]) for n in range(1, len(self.parts) + 1)]

    def is_within(self, other: UnitPath) -> bool:
        """Whether this unit is ``other`` or lies below it (every unit is within its top unit)."""
        return self.administration == other.administration and self.parts[:len(other.parts)] == other.parts

    @property
    def descendant_prefix(self) -> str:
        """What every stored path below this unit starts with (for a prefix query); "" for the top unit."""
        return self.path + SEP if self.parts else ""

    def __str__(self) -> str:
        return f"{self.administration}/{self.path}" if self.parts else self.administration
