"""a person has a set of roles: employee.role moves to employee_role

``employee`` is implicit (never stored); the stored value "admin" becomes "administrator".

Revision ID: d1roles00001
Revises: d1mail000001
Create Date: 2026-12-02 15:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd1roles00001'
down_revision = 'd1mail000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'employee_role',
        sa.Column('staff_no', sa.String(length=32), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['staff_no'], ['employee.staff_no'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('staff_no', 'role'),
    )
    op.execute("INSERT INTO employee_role (staff_no, role) "
               "SELECT staff_no, CASE role WHEN 'admin' THEN 'administrator' ELSE role END "
               "FROM employee WHERE role IN ('admin', 'editor')")
    # Not a batch operation: on SQLite a batch rebuilds "employee", and with foreign keys on, dropping
    # the old table would touch every row that references it. SQLite ≥ 3.35 drops a column in place.
    op.drop_column('employee', 'role')


def downgrade():
    # One role per person again: administrator wins over editor; trainer has no place and is lost.
    op.add_column('employee', sa.Column('role', sa.String(length=16), nullable=False, server_default='employee'))
    op.execute("UPDATE employee SET role = 'editor' WHERE staff_no IN "
               "(SELECT staff_no FROM employee_role WHERE role = 'editor')")
    op.execute("UPDATE employee SET role = 'admin' WHERE staff_no IN "
               "(SELECT staff_no FROM employee_role WHERE role = 'administrator')")
    op.drop_table('employee_role')
