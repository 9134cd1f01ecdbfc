"""search: editors' "also called" words

Revision ID: d1search0002
Revises: d1roles00001
Create Date: 2026-12-02 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd1search0002'
down_revision = 'd1roles00001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_also_called',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('page', sa.String(length=100), nullable=False),
        sa.Column('word', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('page', 'word', name='uq_search_also_called_page_word'),
    )
    with op.batch_alter_table('search_also_called', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_also_called_page'), ['page'], unique=False)


def downgrade():
    with op.batch_alter_table('search_also_called', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_also_called_page'))
    op.drop_table('search_also_called')
