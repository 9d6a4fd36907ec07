"""Search in the app: the page, the indexers that follow the writes, the commands and the
readiness check."""

from flask import Flask

from community.core.views import register_ready_check
from community.search import indexing
from community.search.cli import search_group
from community.search.services import index_state
from community.search.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    indexing.subscribe_indexers()
    app.cli.add_command(search_group)
    register_ready_check("search_index", index_state)
