"""one open attempt per person and course

Revision ID: d1attempt001
Revises: b1report0001
Create Date: 2026-12-02 15:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd1attempt001'
down_revision = 'b1report0001'
branch_labels = None
depends_on = None

OPEN = sa.text("submitted_at IS NULL")


def _merge_duplicate_open_attempts() -> None:
    """Concurrent starts could leave several open attempts: keep the newest, move the others' answers into
    it (where it has none for that question and the course version is the same), then drop the empty rest."""
    conn = op.get_bind()
    dupes = conn.execute(sa.text(
        "SELECT staff_no, course_id FROM attempt WHERE submitted_at IS NULL "
        "GROUP BY staff_no, course_id HAVING COUNT(*) > 1")).all()
    for staff_no, course_id in dupes:
        rows = conn.execute(sa.text(
            "SELECT id, version_id FROM attempt WHERE submitted_at IS NULL AND staff_no = :s AND course_id = :c "
            "ORDER BY id DESC"), {"s": staff_no, "c": course_id}).all()
        keep, keep_version = rows[0]
        for other, version in rows[1:]:
            if version == keep_version:
                conn.execute(sa.text(
                    "UPDATE answer SET attempt_id = :keep WHERE attempt_id = :other AND question_id NOT IN "
                    "(SELECT question_id FROM answer WHERE attempt_id = :keep)"), {"keep": keep, "other": other})
            conn.execute(sa.text("DELETE FROM answer WHERE attempt_id = :other"), {"other": other})
            conn.execute(sa.text("DELETE FROM attempt WHERE id = :other"), {"other": other})


def upgrade():
    _merge_duplicate_open_attempts()
    op.create_index('uq_attempt_open', 'attempt', ['staff_no', 'course_id'], unique=True,
                    sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade():
    op.drop_index('uq_attempt_open', table_name='attempt')
