"""The migrations build exactly the schema the models describe, and run down and up again."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import MetaData, func, inspect, select

from community.extensions import db
from community.members.models import Tier
from community.membership.models import MembershipPolicy
from community.membership.services import ensure_defaults
from community.search.postgres_schema import search_metadata
from tests import factories

pytestmark = pytest.mark.real_commits  # DDL, on connections of its own


def _schema_differences() -> list:
    """The models' tables, and on PostgreSQL the search backend's tables (not models: they
    exist there only)."""
    expected = MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.tables.values():
        table.to_metadata(expected)
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            for table in search_metadata.tables.values():
                table.to_metadata(expected)
        context = MigrationContext.configure(connection)
        return compare_metadata(context, expected)


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


def test_every_migration_runs_down_and_up_over_existing_rows(app):
    """Table rebuilds (SQLite batch mode) must keep rows that other tables point at."""
    from community.forum.communities import CommunityDraft, create_community
    from community.forum.models import Post, Thread
    from community.forum.services import create_thread, reply

    app.config["NEW_MEMBER_DAYS"] = 0
    owner = factories.make_member("owner")
    member = factories.make_member()
    community = create_community(
        owner, CommunityDraft("Strategy", "strategy", "", "General", "strategist")
    )
    thread = create_thread(member, community, "Kept through migrations", "First thoughts here.")
    thread_id = thread.id
    reply(owner, thread_id, "A reply that must survive the rebuild of its thread's table.")
    db.session.remove()

    downgrade(revision="a8156a10cc3b")  # back to the first discussions migration
    upgrade()
    db.session.remove()

    kept = db.session.get(Thread, thread_id)
    assert kept.title == "Kept through migrations" and kept.needs_response is False
    assert db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread_id)) == 2
    assert _schema_differences() == []


def test_the_thread_state_migration_keeps_votes_as_ballots_and_drops_thread_flags(app):
    from community.forum.communities import CommunityDraft, create_community
    from community.forum.models import PollBallot, PollOption
    from community.forum.polls import PollDraft, vote
    from community.forum.services import create_thread
    from community.moderation.flags import flag_thread
    from community.moderation.models import Flag

    owner, member = factories.make_member("owner"), factories.make_member()
    community = create_community(
        owner, CommunityDraft("Strategy", "strategy", "", "General", "strategist")
    )
    thread = create_thread(
        member, community, "A vote", "Pick one.", PollDraft("Which?", ["This", "That"])
    )
    vote(owner, thread.id, [db.session.scalars(select(PollOption.id)).first()])
    flag_thread(owner, thread.id, "spam")
    db.session.remove()

    downgrade(revision="c524f865fcad")  # the migration before ballots and thread flags
    upgrade()
    db.session.remove()

    # A vote cast before ballots existed counts as the member's ballot: no second vote.
    assert db.session.scalar(select(func.count()).select_from(PollBallot)) == 1
    assert db.session.scalar(select(func.count()).select_from(Flag)) == 0  # cannot go down
    assert _schema_differences() == []
