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
