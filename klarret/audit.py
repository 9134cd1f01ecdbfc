"""The audit log: append-only records of imports, exemptions, exports and role changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column

from klarret import clock
from klarret.db import db


class AuditEvent(db.Model):
    """Who did what, and when. Rows are only ever inserted."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # staff number, or "cli" for the command line
    action: Mapped[str] = mapped_column(String(64), index=True)  # e.g. staff.import, exemption.grant
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _append_only(mapper, connection, target) -> None:
    raise RuntimeError("The audit log is append-only: audit events cannot be changed or deleted.")


def record(actor: str, action: str, target: str = "", **details: Any) -> AuditEvent:
    """Add an audit event to the current transaction (committed with the change it describes)."""
    ev = AuditEvent(at=clock.now(), actor=actor, action=action,
                    target=target, details=details)
    db.session.add(ev)
    return ev


# Danish names for the detail fields the parts record (shown on /admin/revisionslog).
FIELD_LABELS = {
    "reason": "begrundelse", "count": "antal", "extra": "ekstra forsøg", "format": "format",
    "administration": "forvaltning", "administrations": "forvaltninger", "course": "kursus", "status": "status",
    "unit": "enhed", "units_in_scope": "enheder i udtrækket", "sha256": "filens fingeraftryk (SHA-256)",
    "rows": "rækker", "added": "nye", "changed": "ændrede", "deactivated": "deaktiverede",
    "units_created": "nye enheder", "managers_added": "ledere tilføjet", "managers_removed": "ledere fjernet",
    "confirmed_mass_change": "bekræftet masseændring", "valid_from": "fra", "valid_to": "til",
    "old": "før", "new": "efter", "excluded": "udeladt af statistikken", "anonymised": "anonymiseret",
    "years": "år", "left_before": "fratrådt før", "deleted": "slettet", "before": "før",
    "method": "metode", "seconds": "sekunder", "recipients": "modtagere", "skipped": "sprunget over",
    "people": "medarbejdere", "word": "ord", "query": "søgning", "requested": "valgt", "sent": "sendt",
    "failed": "fejlede", "emergency_access": "nødadgang", "since": "fra og med", "queued": "lagt i kø",
}


def _value(value: Any) -> str:
    """A detail value as a person reads it: ja/nej, Danish role names, dates in words, lists joined."""
    from klarret.dates import long_date
    from klarret.roles import ROLE_LABELS

    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list | tuple):
        return ", ".join(_value(v) for v in value) or "ingen"
    if isinstance(value, str):
        if value in ROLE_LABELS:
            return ROLE_LABELS[value].lower()
        try:
            return long_date(dt.date.fromisoformat(value)) if len(value) == 10 else value
        except ValueError:
            return value
    return str(value)


def describe(details: dict | None) -> list[tuple[str, str]]:
    """An event's details as (Danish field name, readable value) pairs."""
    return [(FIELD_LABELS.get(k, k.replace("_", " ")), _value(v)) for k, v in (details or {}).items()]
