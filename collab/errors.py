"""Domain errors raised by services and turned into form errors or 404/409/422 by routes."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain was broken; the message is written for the person using Collab."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: The form field the message belongs to, if any.
        self.field = field


class NotAllowed(DomainError):
    status = 403


class Conflict(DomainError):
    """Someone else changed the thing first."""

    status = 409
