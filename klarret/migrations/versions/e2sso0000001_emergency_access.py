"""emergency access: the employees who may use a password when single sign-on is on

Revision ID: e2sso0000001
Revises: e1auth000001
Create Date: 2026-12-03 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e2sso0000001'
down_revision = 'e1auth000001'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (SQLite supports it with a constant default): batch mode would copy the employee
    # table, and on SQLite the ON DELETE CASCADE of employee_role and user_session emptied them.
    op.add_column('employee', sa.Column('emergency_access', sa.Boolean(), nullable=False,
                                        server_default=sa.false()))


def downgrade():
    op.drop_column('employee', 'emergency_access')  # SQLite 3.35+ drops a column in place, too
