"""classroom sessions, trainers, bookings; mail outbox attachments

Revision ID: e2class00001
Revises: e2inst000001
Create Date: 2026-12-03 07:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e2class00001'
down_revision = 'e2inst000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'classroom_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_id', sa.String(length=64), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('place', sa.String(length=300), nullable=False),
        sa.Column('online_url', sa.String(length=500), nullable=False),
        sa.Column('capacity', sa.Integer(), nullable=False),
        sa.Column('signup_deadline', sa.Date(), nullable=False),
        sa.Column('cancel_deadline', sa.Date(), nullable=False),
        sa.Column('administrations', sa.String(length=100), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.Column('cancelled_at', sa.DateTime(), nullable=True),
        sa.Column('created_by', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('classroom_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classroom_session_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_classroom_session_starts_at'), ['starts_at'], unique=False)
    op.create_table(
        'classroom_trainer',
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('staff_no', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['classroom_session.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['staff_no'], ['employee.staff_no']),
        sa.PrimaryKeyConstraint('session_id', 'staff_no'),
    )
    op.create_table(
        'classroom_booking',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('session_id', sa.Integer(), nullable=False),
        sa.Column('staff_no', sa.String(length=32), nullable=False),
        sa.Column('course_id', sa.String(length=64), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('booked_at', sa.DateTime(), nullable=False),
        sa.Column('booked_by', sa.String(length=64), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('attended_on', sa.Date(), nullable=True),
        sa.Column('sequence', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['classroom_session.id']),
        sa.ForeignKeyConstraint(['staff_no'], ['employee.staff_no']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('session_id', 'staff_no'),
    )
    with op.batch_alter_table('classroom_booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classroom_booking_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_classroom_booking_staff_no'), ['staff_no'], unique=False)
        batch_op.create_index(batch_op.f('ix_classroom_booking_course_id'), ['course_id'], unique=False)
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attachments', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_column('attachments')
    op.drop_table('classroom_booking')
    op.drop_table('classroom_trainer')
    op.drop_table('classroom_session')
