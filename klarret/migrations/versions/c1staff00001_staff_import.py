"""staff import and retention

No schema change was needed: the organisation tables (745b823720c0) and ``employee.anonymised_at``
(4b930b8dd5e8) already hold everything the HR import, the admin pages and the retention purge use.
The import deactivates (``active``, ``end_date``), the purge replaces the staff number with a
surrogate and sets ``anonymised_at``; the audit log is ``audit_event``. The revision is kept so the
chain stays as planned (b1report0001 revises it).

Revision ID: c1staff00001
Revises: a1search0001
Create Date: 2026-11-29 05:00:00

"""


# revision identifiers, used by Alembic.
revision = 'c1staff00001'
down_revision = 'a1search0001'
branch_labels = None
depends_on = None


def upgrade():
    pass  # nothing to change (see the docstring)


def downgrade():
    pass
