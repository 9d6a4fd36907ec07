"""Passwords are hashed with scrypt unless the configuration says otherwise (only the tests do,
for speed), and every hash verifies the password it was made from and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from werkzeug.security import check_password_hash

from community.config import load_config
from community.core.errors import DomainError
from community.members.services import authenticate, hash_password
from tests import factories
from tests.conftest import TEST_PASSWORD_HASH_METHOD


def test_the_default_configuration_hashes_passwords_with_scrypt(app: Flask, tmp_path: Path) -> None:
    defaults = load_config({"INSTANCE_PATH": tmp_path, "SECRET_KEY": "x" * 40})
    app.config["PASSWORD_HASH_METHOD"] = defaults["PASSWORD_HASH_METHOD"]

    hashed = hash_password(factories.PASSWORD)

    assert hashed.startswith("scrypt:")
    assert check_password_hash(hashed, factories.PASSWORD)
    assert not check_password_hash(hashed, factories.PASSWORD + "!")


def test_a_member_with_a_scrypt_hash_signs_in_and_a_wrong_password_does_not(app: Flask) -> None:
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    member = factories.make_member()
    assert member.password_hash.startswith("scrypt:")

    assert authenticate(member.email, factories.PASSWORD).id == member.id
    with pytest.raises(DomainError, match="do not match"):
        authenticate(member.email, "not the password at all")


def test_the_tests_hash_with_one_cheap_round(app: Flask) -> None:
    assert factories.make_member().password_hash.startswith(f"{TEST_PASSWORD_HASH_METHOD}$")
