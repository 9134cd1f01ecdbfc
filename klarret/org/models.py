"""The organisation core: administrations, units (a tree of any depth) and employees."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from klarret.db import db
from klarret.roles import Role

# The seven administrations of Copenhagen Municipality: code -> full name.
ADMINISTRATIONS = {
    "ØKF": "Økonomiforvaltningen",
    "KFF": "Kultur- og Fritidsforvaltningen",
    "BUF": "Børne- og Ungdomsforvaltningen",
    "SUF": "Sundheds- og Omsorgsforvaltningen",
    "SOF": "Socialforvaltningen",
    "TMF": "Teknik- og Miljøforvaltningen",
    "BIF": "Beskæftigelses- og Integrationsforvaltningen",
}


class Administration(db.Model):
    """One of the seven administrations (forvaltninger)."""

    __tablename__ = "administration"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class Unit(db.Model):
    """A centre, unit or team; ``parent`` is None for an administration's top unit."""

    __tablename__ = "unit"
    __table_args__ = (UniqueConstraint("administration_code", "path"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    administration_code: Mapped[str] = mapped_column(ForeignKey("administration.code"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The unit's path below the administration, as klarret.org.paths writes it (as in the HR file).
    path: Mapped[str] = mapped_column(String(1000))

    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    administration: Mapped[Administration] = relationship()


class Employee(db.Model):
    """A member of staff; the staff number is the key (text: leading zeros matter)."""

    __tablename__ = "employee"
    staff_no: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    job_title: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    excluded_from_stats: Mapped[bool] = mapped_column(Boolean, default=False)
    # argon2 hash for local accounts; None for employees who log in through single sign-on.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # With single sign-on on, only these people may still log in with a password (set by an administrator).
    emergency_access: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set when `klarret staff purge` removed the person's identity (retention); records stay.
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    unit: Mapped[Unit | None] = relationship()
    # The stored roles (employee is implicit); read and set them through ``roles``.
    role_rows: Mapped[list[EmployeeRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the person has; everyone in the organisation is an employee."""
        return frozenset({Role.EMPLOYEE, *(Role(r.role) for r in self.role_rows)})

    @roles.setter
    def roles(self, roles: set[Role] | frozenset[Role]) -> None:
        wanted = set(roles) - {Role.EMPLOYEE}
        self.role_rows = [r for r in self.role_rows if r.role in wanted] + [
            EmployeeRole(role=role.value) for role in sorted(wanted - {Role(r.role) for r in self.role_rows})]

    def has_role(self, role: Role) -> bool:
        """Whether the person has ``role``; an administrator may do everything."""
        return role in self.roles or Role.ADMINISTRATOR in self.roles


class EmployeeRole(db.Model):
    """One role (other than employee) that one person has."""

    __tablename__ = "employee_role"
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)  # a Role value


class UnitManager(db.Model):
    """Who manages which unit (and so everything below it)."""

    __tablename__ = "unit_manager"
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), primary_key=True)


class Deputy(db.Model):
    """A stedfortræder: someone a manager lets see the same view, for a period."""

    __tablename__ = "deputy"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    manager_staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    deputy_staff_no: Mapped[str] = mapped_column(ForeignKey("employee.staff_no"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)


_ADMIN_KEYS = {**{c.casefold(): c for c in ADMINISTRATIONS}, **{n.casefold(): c for c, n in ADMINISTRATIONS.items()}}


def admin_code(value: str) -> str | None:
    """An administration code from its code or full name (case-insensitive), or None."""
    return _ADMIN_KEYS.get(value.strip().casefold())


def ensure_administrations() -> None:
    """Create the seven administrations and their top units if they are missing (idempotent)."""
    for code, name in ADMINISTRATIONS.items():
        if db.session.get(Administration, code) is None:
            db.session.add(Administration(code=code, name=name))
            db.session.add(Unit(administration_code=code, name=name, path=""))
    db.session.flush()
