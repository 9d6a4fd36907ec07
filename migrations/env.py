"""Alembic environment: runs inside the app, against the app's own engine and metadata."""

import logging

from alembic import context
from flask import current_app

from community.search.postgres_schema import SEARCH_TABLES

logger = logging.getLogger("alembic.env")
config = context.config
target_db = current_app.extensions["migrate"].db


def process_revision_directives(context, revision, directives):
    # Autogenerate writes no empty migration when the models did not change.
    if getattr(config.cmd_opts, "autogenerate", False):
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            logger.info("No changes in schema detected.")


def include_object(obj, name, type_, reflected, compare_to):
    # The PostgreSQL search backend's tables are not models (they exist on PostgreSQL only,
    # made by their own migration): autogenerate must not offer to drop them.
    return not (type_ == "table" and name in SEARCH_TABLES)


def run_migrations_online():
    engine = target_db.engine
    options = current_app.extensions["migrate"].configure_args
    options.setdefault("process_revision_directives", process_revision_directives)
    options.setdefault("include_object", include_object)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch migrations rebuild tables; with foreign keys enforced, rebuilding a table
            # that other rows point at fails. SQLite ignores this pragma inside a transaction,
            # so it is set before the migration's transaction begins.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()  # end SQLAlchemy's implicit transaction; alembic opens its own
        context.configure(connection=connection, target_metadata=target_db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


if context.is_offline_mode():
    context.configure(
        url=target_db.engine.url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
