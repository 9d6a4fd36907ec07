"""metrics: each day's posters per thread, each thread's first reply by another member, and the finished days rolled up, so health, cross-company and responsiveness stop reading every post; reactions per thread and day; posts and reactions by creation time

Revision ID: 5c1e8a3f7b20
Revises: 4b9e2d7c1a63
Create Date: 2026-11-28 05:00:00.000000

"""

from alembic import op
import sqlalchemy as sa

import community.core.models


# revision identifiers, used by Alembic.
revision = "5c1e8a3f7b20"
down_revision = "4b9e2d7c1a63"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "metric_poster_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("posts", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_metric_poster_day_thread_id_thread"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["member.id"],
            name=op.f("fk_metric_poster_day_author_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric_poster_day")),
    )
    with op.batch_alter_table("metric_poster_day", schema=None) as batch_op:
        batch_op.create_index(
            "ix_metric_poster_day_day", ["day", "thread_id", "author_id", "posts"], unique=False
        )
    op.create_table(
        "metric_thread_reply",
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column(
            "first_reply_at", community.core.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_metric_thread_reply_thread_id_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("thread_id", name=op.f("pk_metric_thread_reply")),
    )
    op.create_table(
        "metric_rolled_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_metric_rolled_day")),
    )
    op.create_table(
        "metric_reaction_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("reactions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["thread.id"],
            name=op.f("fk_metric_reaction_day_thread_id_thread"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("day", "thread_id", name=op.f("pk_metric_reaction_day")),
    )
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.create_index("ix_post_created", ["created_at"], unique=False)
    with op.batch_alter_table("reaction", schema=None) as batch_op:
        batch_op.create_index("ix_reaction_created", ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("reaction", schema=None) as batch_op:
        batch_op.drop_index("ix_reaction_created")
    with op.batch_alter_table("post", schema=None) as batch_op:
        batch_op.drop_index("ix_post_created")
    op.drop_table("metric_reaction_day")
    op.drop_table("metric_rolled_day")
    op.drop_table("metric_thread_reply")
    with op.batch_alter_table("metric_poster_day", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_poster_day_day")
    op.drop_table("metric_poster_day")
