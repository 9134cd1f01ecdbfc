"""staff import and retention

Revision ID: c1staff00001
Revises: a1search0001
Create Date: 2026-11-29 05:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c1staff00001'
down_revision = 'a1search0001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
