"""metrics: objects' sums over the dashboard's spans of days; the index for one kind of object over a period covers the columns the library reports read; an index for one action over a period

Revision ID: 9e3b7c1d5a24
Revises: 8c4f2a6e9d13
Create Date: 2026-11-28 02:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9e3b7c1d5a24"
down_revision = "8c4f2a6e9d13"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "metric_object_span",
        sa.Column("first", sa.Date(), nullable=False),
        sa.Column("last", sa.Date(), nullable=False),
        sa.Column("object_type", sa.String(length=30), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "first", "last", "object_type", "object_id", name=op.f("pk_metric_object_span")
        ),
    )
    with op.batch_alter_table("metric_event", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_event_type_day")
        batch_op.create_index(
            "ix_metric_event_type_day",
            ["object_type", "day", "action", "object_id", "member_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_metric_event_action_day", ["action", "day", "quantity"], unique=False
        )


def downgrade():
    with op.batch_alter_table("metric_event", schema=None) as batch_op:
        batch_op.drop_index("ix_metric_event_action_day")
        batch_op.drop_index("ix_metric_event_type_day")
        batch_op.create_index("ix_metric_event_type_day", ["object_type", "day"], unique=False)
    op.drop_table("metric_object_span")
