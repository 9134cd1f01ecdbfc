"""HR import uploads in the database (shared by every instance)

Revision ID: e2inst000001
Revises: e2xapi000001
Create Date: 2026-12-03 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e2inst000001'
down_revision = 'e2xapi000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staff_upload',
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('staff_no', sa.String(length=32), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('ext', sa.String(length=8), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('token'),
    )


def downgrade():
    op.drop_table('staff_upload')
