"""Tokens and redirects: small pieces that are easy to get subtly wrong."""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import urlsplit


def new_token() -> tuple[str, str]:
    """A random URL-safe token and the SHA-256 hex digest that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def safe_next_url(target: str | None, default: str = "/") -> str:
    """Only same-site relative paths are followed after sign-in; anything else goes home."""
    if not target:
        return default
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    return target
