"""an unread badge row for every member

Revision ID: b7d2e4f1a9c3
Revises: 5c1e8a3f7b20
Create Date: 2026-11-28 09:30:00.000000

New members get their row when they are created; this gives one to every member from before.
A member with no unread notification starts at 0 (fresh); one with unread rows starts stale
(NULL), counted by the job runner's ``recount_stale_badges`` or their next delivery or read.
No schema change, so nothing to undo on downgrade: the rows are valid either way.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b7d2e4f1a9c3'
down_revision = '5c1e8a3f7b20'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        """
        INSERT INTO unread_badge (member_id, unread, version)
        SELECT member.id,
               CASE WHEN EXISTS (
                   SELECT 1 FROM notification
                   WHERE notification.member_id = member.id AND notification.read_at IS NULL
               ) THEN NULL ELSE 0 END,
               0
        FROM member
        WHERE NOT EXISTS (SELECT 1 FROM unread_badge WHERE unread_badge.member_id = member.id)
        """
    )


def downgrade():
    pass
