"""search analytics log

Revision ID: a1search0001
Revises: 4b930b8dd5e8
Create Date: 2026-11-29 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a1search0001'
down_revision = '4b930b8dd5e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('search_id', sa.String(length=32), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('query', sa.String(length=500), nullable=True),
        sa.Column('result_count', sa.Integer(), nullable=True),
        sa.Column('clicked_url', sa.String(length=500), nullable=True),
        sa.Column('clicked_rank', sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_log_search_id'), ['search_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_log_created_at'), ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('search_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_log_created_at'))
        batch_op.drop_index(batch_op.f('ix_search_log_search_id'))
    op.drop_table('search_log')
