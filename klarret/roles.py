"""Roles: what a person may do beyond being an employee. Manager and deputy are not roles: they come
from the organisation (klarret.org.scope)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A role as stored in ``employee_role.role`` (and, with single sign-on, as mapped from the token)."""

    EMPLOYEE = "employee"  # everyone in the organisation: implicit, never stored
    EDITOR = "editor"
    ADMINISTRATOR = "administrator"  # may do everything
    TRAINER = "trainer"


# Danish names, in the order the role form shows them.
ROLE_LABELS = {Role.EMPLOYEE: "Medarbejder", Role.EDITOR: "Redaktør", Role.ADMINISTRATOR: "Administrator",
               Role.TRAINER: "Underviser"}
# The roles an administrator can give or take (employee is implicit).
ASSIGNABLE = (Role.EDITOR, Role.TRAINER, Role.ADMINISTRATOR)
