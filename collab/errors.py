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


def check_text(value: str | None, name: str, field_name: str, limit: int, required: bool = True) -> str:
    """``value`` trimmed, or a DomainError on ``field_name`` naming ``name`` ("Enter a title", "… or fewer")."""
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {name}", field=field_name)
    if len(value) > limit:
        raise DomainError(f"{name[0].upper() + name[1:]} must be {limit:,} characters or fewer", field=field_name)
    return value
