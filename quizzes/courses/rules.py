"""Assignment rules of a course file (`[[tildeling]]`): parsing, validation and date arithmetic.

A rule says who must take the course (hvem), when it is due (frist_dage after the start date or the
assignment, whichever is later, or a fixed frist_dato) and how often it is renewed (fornyes_maaneder,
with a "due soon" window of snart_dage). Rules are not part of a course's content: changing them
does not give the course a new version.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from klarret.org.models import ADMINISTRATIONS, admin_code
from klarret.org.paths import UnitPath, UnitPathError

WHO = ("alle", "forvaltning", "enhed", "ledere", "nye")
NEW_EMPLOYEE_DAYS = 90
DEFAULT_DUE_DAYS = 90
DEFAULT_SOON_DAYS = 30
# The interim `audience` values, still accepted: each becomes one rule due 90 days after the start.
AUDIENCE_RULES = {"alle": "alle", "nye": "nye", "ledere": "ledere"}
KEYS = {"hvem", "forvaltninger", "enheder", "nye_dage", "frist_dage", "frist_dato", "gaelder_fra",
        "fornyes_maaneder", "snart_dage"}


@dataclass(frozen=True)
class Rule:
    """One `[[tildeling]]` table of a course file."""

    who: str
    administrations: tuple[str, ...] = ()
    units: tuple[UnitPath, ...] = ()  # hvem = "enhed": these units and everything below them
    new_days: int = NEW_EMPLOYEE_DAYS
    due_days: int | None = None
    due_date: dt.date | None = None
    effective: dt.date | None = None  # gaelder_fra: the assignment date of those already employed
    renew_months: int = 0
    soon_days: int = DEFAULT_SOON_DAYS


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _positive_int(table: dict, key: str, err: Callable[[str], None], minimum: int = 1) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        err(f"{key} skal være et helt tal på mindst {minimum}, ikke {value!r}.")
        return None
    return value


def _date(table: dict, key: str, err: Callable[[str], None]) -> dt.date | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        err(f"{key} skal være en dato uden anførselstegn, fx {key} = 2027-03-01, ikke {value!r}.")
        return None
    return value


def parse_rule(table: Any, err: Callable[[str], None]) -> Rule | None:
    """One `[[tildeling]]` table; problems go to ``err`` in Danish."""
    if not isinstance(table, dict):
        err("[[tildeling]] skal være en tabel med fx hvem = \"alle\".")
        return None
    for key in sorted(set(table) - KEYS):
        err(f"ukendt nøgle '{key}'; brug {', '.join(sorted(KEYS))}.")
    who = table.get("hvem")
    if who not in WHO:
        err(f"hvem = {who!r} er ukendt; brug en af {', '.join(WHO)}.")
        return None
    administrations: list[str] = []
    units: list[UnitPath] = []
    if who == "forvaltning":
        values = table.get("forvaltninger")
        if not isinstance(values, list) or not values:
            err("hvem = \"forvaltning\" kræver forvaltninger = [\"SOF\", …] (koder eller fulde navne).")
        for v in values or []:
            code = admin_code(v) if isinstance(v, str) else None
            if code is None:
                err(f"ukendt forvaltning {v!r}; brug en af {', '.join(ADMINISTRATIONS)}.")
            else:
                administrations.append(code)
    elif "forvaltninger" in table:
        err("forvaltninger bruges kun med hvem = \"forvaltning\".")
    if who == "enhed":
        values = table.get("enheder")
        if not isinstance(values, list) or not values:
            err("hvem = \"enhed\" kræver enheder = [\"SOF/Center for Udsatte Voksne\", …].")
        for v in values or []:
            try:
                units.append(UnitPath.parse(v))
            except UnitPathError as exc:
                err(str(exc))
    elif "enheder" in table:
        err("enheder bruges kun med hvem = \"enhed\".")
    if "nye_dage" in table and who != "nye":
        err("nye_dage bruges kun med hvem = \"nye\".")
    due_days = _positive_int(table, "frist_dage", err, minimum=0)
    due_date = _date(table, "frist_dato", err)
    if due_days is not None and due_date is not None:
        err("brug enten frist_dage eller frist_dato, ikke begge.")
    if due_days is None and due_date is None and "frist_dage" not in table and "frist_dato" not in table:
        due_days = DEFAULT_DUE_DAYS
    renew = _positive_int(table, "fornyes_maaneder", err) or 0
    soon = _positive_int(table, "snart_dage", err)
    if soon is not None and not renew:
        err("snart_dage kræver fornyes_maaneder (vinduet før kurset skal fornyes).")
    if renew and due_date is not None:
        err("et kursus med fast frist_dato kan ikke fornyes; brug frist_dage med fornyes_maaneder.")
    if renew and soon is not None and soon >= renew * 28:
        err(f"snart_dage ({soon}) skal være kortere end fornyelsesperioden ({renew} måneder).")
    return Rule(who, tuple(administrations), tuple(units), _positive_int(table, "nye_dage", err) or NEW_EMPLOYEE_DAYS,
                due_days, due_date, _date(table, "gaelder_fra", err), renew,
                soon if soon is not None else DEFAULT_SOON_DAYS)


def parse_rules(data: dict, err: Callable[[str, str], None]) -> list[Rule]:
    """The course's rules from `[[tildeling]]`, or from the interim `audience` key."""
    tables = data.get("tildeling")
    audience = data.get("audience")
    if tables is None:
        who = AUDIENCE_RULES.get(audience) if isinstance(audience, str) else None
        return [Rule(who, due_days=DEFAULT_DUE_DAYS)] if who else []
    if audience not in (None, "valgfri"):
        err("", "brug enten audience eller [[tildeling]], ikke begge. Slet audience-linjen.")
    if not isinstance(tables, list):
        err("", "tildeling skal skrives som [[tildeling]]-tabeller.")
        return []
    rules = []
    for i, table in enumerate(tables, 1):
        rule = parse_rule(table, lambda msg, i=i: err(f"tildeling {i}", msg))
        if rule is not None:
            rules.append(rule)
    # Completion cycles are per course, so every rule must renew alike.
    if len({(r.renew_months, r.soon_days if r.renew_months else 0) for r in rules}) > 1:
        err("", "alle [[tildeling]]-regler i et kursus skal have samme fornyes_maaneder og snart_dage.")
    return rules
