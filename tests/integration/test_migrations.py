"""The migrations build exactly the schema the models describe, and run down and up again."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, select

from community.extensions import db
from community.membership.models import MembershipPolicy, Tier
from community.membership.services import ensure_defaults
from tests import factories


def _schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        return compare_metadata(context, db.metadata)


def test_models_match_the_migrations(app):
    assert _schema_differences() == []


def test_downgrade_to_base_then_upgrade_to_head(app, client):
    db.session.remove()  # release the test's connection, so PostgreSQL can drop the tables
    downgrade(revision="base")
    with db.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    assert not tables & {table.name for table in db.metadata.sorted_tables}

    upgrade()
    db.session.remove()
    assert _schema_differences() == []
    ensure_defaults()
    assert [tier.slug for tier in db.session.scalars(select(Tier).order_by(Tier.rank))] == [
        "strategist",
        "executive",
        "council",
    ]
    assert db.session.scalars(select(MembershipPolicy.version)).all() == [1]

    # The rebuilt database serves the app again.
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    member = factories.make_member()
    client.sign_in(member.email)
    assert member.name in client.get("/").get_data(as_text=True)
