"""search analytics log

Revision ID: a1search0001
Revises: 4b930b8dd5e8
Create Date: 2026-11-29 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a1search0001'
down_revision = '4b930b8dd5e8'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
