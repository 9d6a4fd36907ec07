"""Membership: tiers, the policy, requests, nominations and invitations."""

from flask import Flask

from community.membership.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
