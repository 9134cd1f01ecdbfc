"""xapi outbox (learning records out as xAPI)

Revision ID: e2xapi000001
Revises: e2sso0000001
Create Date: 2026-12-03 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e2xapi000001'
down_revision = 'e2sso0000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'xapi_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.String(length=36), nullable=False),
        sa.Column('staff_no', sa.String(length=64), nullable=False),
        sa.Column('verb', sa.String(length=16), nullable=False),
        sa.Column('statement', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('claim', sa.String(length=32), nullable=True),
        sa.Column('claimed_until', sa.DateTime(), nullable=True),
        sa.Column('rejected_at', sa.DateTime(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('statement_id'),
    )
    with op.batch_alter_table('xapi_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_outbox_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_xapi_outbox_staff_no'), ['staff_no'], unique=False)


def downgrade():
    with op.batch_alter_table('xapi_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_xapi_outbox_staff_no'))
        batch_op.drop_index(batch_op.f('ix_xapi_outbox_sent_at'))
    op.drop_table('xapi_outbox')
