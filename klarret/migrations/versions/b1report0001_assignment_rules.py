"""assignment rules, cycles and reminders

Revision ID: b1report0001
Revises: c1staff00001
Create Date: 2026-11-29 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1report0001'
down_revision = 'c1staff00001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
