"""The mass-change guard: an import that deactivates or renames many of an administration's people is confirmed
by typing how many it affects (a damaged file once renamed 345 people, Ø → Ã˜, with no warning).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from klarret import settings
from klarret.db import db
from klarret.org.models import Employee, Unit


@dataclass(frozen=True)
class MassChange:
    """The administrations over the share, each as (code, people affected, active people before the import)."""

    affected: int
    administrations: tuple[tuple[str, int, int], ...]
    percent: float

    def lines(self) -> list[str]:
        """One Danish line per administration, e.g. 'SOF: 345 af 2.000 aktive (17 %)'."""
        return [f"{code}: {n:,} af {total:,} aktive ({100 * n / total:.0f} %)".replace(",", ".")
                for code, n, total in self.administrations]

    def warning(self) -> str:
        """The danger warning the preview and the command line show."""
        return (f"Importen deaktiverer eller omdøber {self.affected} medarbejdere, mere end "
                f"{self.percent:g} % af en forvaltning ({'; '.join(self.lines())}). Det sker oftest, når filen er "
                "gemt med forkert tegnsæt, er et udtræk af en anden forvaltning, eller mangler rækker. Kontrollér "
                "listerne over ændrede og deaktiverede medarbejdere, før du importerer.")


def affected_people(plan) -> dict[str, set[str]]:
    """Staff numbers deactivated or renamed, by administration (a person renamed and deactivated counts once)."""
    out: dict[str, set[str]] = {}
    for entry in plan.deactivations:
        out.setdefault(entry.administration, set()).add(entry.staff_no)
    for entry in plan.changes:
        if "name" in entry.fields:
            out.setdefault(entry.administration, set()).add(entry.staff_no)
    return out


def mass_change(plan, percent: float | None = None) -> MassChange | None:
    """The guard's finding for a plan, or None when no administration loses more than the share."""
    percent = settings.current().staff_guard_percent if percent is None else percent
    affected = affected_people(plan)
    if not affected:
        return None
    active = dict(db.session.execute(
        select(Unit.administration_code, func.count()).select_from(Employee).join(Unit, Employee.unit_id == Unit.id)
        .where(Employee.active, Unit.administration_code.in_(affected)).group_by(Unit.administration_code)).all())
    over = tuple((code, len(people), active[code]) for code, people in sorted(affected.items())
                 if active.get(code) and 100 * len(people) > percent * active[code])
    if not over:
        return None
    return MassChange(sum(n for _c, n, _t in over), over, percent)
