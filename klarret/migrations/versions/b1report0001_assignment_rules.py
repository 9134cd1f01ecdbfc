"""assignment rules, cycles and reminders

Revision ID: b1report0001
Revises: c1staff00001
Create Date: 2026-11-29 05:00:00

"""


# revision identifiers, used by Alembic.
revision = 'b1report0001'
down_revision = 'c1staff00001'
branch_labels = None
depends_on = None


# No schema change: the rules live in the course files, and the tables they need (assignment,
# exemption, attempt_grant, reminder_sent, completion.cycle) came with 4b930b8dd5e8.


def upgrade():
    pass


def downgrade():
    pass
