"""Tokens are stored only as hashes; sign-in redirects stay on this site."""

from __future__ import annotations

import hashlib

import pytest

from community.core.security import hash_token, new_token, safe_next_url

pytestmark = pytest.mark.sqlite_only(reason="pure functions: --db changes nothing here")


def test_new_token_returns_the_token_and_only_its_sha256_for_storage() -> None:
    token, stored = new_token()

    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert stored == hash_token(token)
    assert token not in stored
    assert len(stored) == 64
    assert len(token) >= 40  # 32 random bytes, URL-safe


def test_tokens_are_url_safe() -> None:
    token, _ = new_token()

    assert all(c.isalnum() or c in "-_" for c in token)


def test_tokens_differ_every_time() -> None:
    tokens = {new_token()[0] for _ in range(50)}

    assert len(tokens) == 50


def test_hash_token_is_stable_and_distinguishes_tokens() -> None:
    assert hash_token("abc") == hash_token("abc")
    assert hash_token("abc") != hash_token("abd")


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "//evil.com/path",
        "https://evil.com",
        "http://evil.com/",
        "HTTPS://evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "/\\/evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "evil.com",
        "relative/path",
        " //evil.com",
        "\t//evil.com",
        "/\t/evil.com",
        "/\n/evil.com",
        "/\r\n/evil.com",
        "/x\x00",
        "///evil.com",
        "https:evil.com",
        "\x00//evil.com",
    ],
)
def test_unsafe_targets_go_to_the_default(target: str) -> None:
    assert safe_next_url(target) == "/"
    assert safe_next_url(target, default="/home") == "/home"


@pytest.mark.parametrize(
    "target",
    ["/", "/c/", "/c/strategy", "/t/42?page=2#post-7", "/search?q=a%2Fb", "/library/3"],
)
def test_same_site_paths_are_kept(target: str) -> None:
    assert safe_next_url(target) == target


def test_surrounding_spaces_are_trimmed_from_a_same_site_path() -> None:
    assert safe_next_url(" /x") == "/x"
    assert safe_next_url("/x ") == "/x"


@pytest.mark.parametrize("target", [None, "", "   "])
def test_missing_targets_go_to_the_default(target: str | None) -> None:
    assert safe_next_url(target, default="/start") == "/start"
