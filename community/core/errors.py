"""Domain errors: raised by services, carrying a message a person can read."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. ``field`` names the form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it does (answer 404)."""

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class PermissionDenied(DomainError):
    """The actor may know the object exists but may not do this to it (answer 403)."""


class RateLimited(DomainError):
    """Too many attempts; try again later (answer 429, with ``Retry-After`` when known)."""

    def __init__(
        self, message: str, field: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message, field)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        """The headers a 429 answer carries: ``Retry-After`` when the wait is known."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}
