"""The audit log keeps every entry, however long the names it records (SQLite and PostgreSQL)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from community.core.audit import AuditEntry
from community.extensions import db
from community.membership.models import RequestStatus
from community.membership.services import approve_request, decline_request
from tests import factories

LONG_NAME = "N" * 120  # the longest name the request form takes
# 254 characters, the longest address the form takes.
LONG_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 49 + ".example.com"


def test_a_request_with_the_longest_name_and_email_can_be_declined(app: Flask) -> None:
    assert len(LONG_EMAIL) == 254
    moderator = factories.make_member("moderator")
    request = factories.make_request(name=LONG_NAME, email=LONG_EMAIL).request

    decline_request(moderator, request.id, "unverified")

    assert request.status == RequestStatus.DECLINED
    entry = db.session.scalars(select(AuditEntry)).one()
    assert len(entry.target_label) == 300
    assert entry.target_label.startswith(f"{LONG_NAME} <{'a' * 64}@")
    assert entry.target_label.endswith("\u2026")


def test_a_request_with_the_longest_name_and_email_can_be_approved(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    request = factories.make_request(name=LONG_NAME, email=LONG_EMAIL).request

    approve_request(moderator, request.id)

    assert request.status == RequestStatus.APPROVED
    assert len(db.session.scalars(select(AuditEntry)).one().target_label) == 300


def test_a_short_label_is_kept_whole(app: Flask) -> None:
    moderator = factories.make_member("moderator")
    request = factories.make_request(name="Jo Short", email="jo@bigco.com").request

    decline_request(moderator, request.id, "unverified")

    assert db.session.scalars(select(AuditEntry)).one().target_label == "Jo Short <jo@bigco.com>"
