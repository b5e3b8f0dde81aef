"""Pieces every part of the specification rules shares: limits, text checks, who sees a comment."""

from __future__ import annotations

from collab.errors import DomainError
from collab.specs.models import (
    Outcome,
    Spec,
)

SUBJECT = "spec_paragraph"


MAX_TITLE = 200


MAX_SECTION_BODY = 50_000


MAX_SECTIONS = 30


def check_text(value: str | None, name: str, field_name: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {name}", field=field_name)
    if len(value) > limit:
        raise DomainError(f"{name[0].upper() + name[1:]} must be {limit:,} characters or fewer", field=field_name)
    return value


def require_editable(spec: Spec) -> None:
    if not spec.is_editable:
        raise DomainError("This specification is published, so it cannot be changed")


#: Outcomes that claim the text of a section was changed.
CHANGE_OUTCOMES = (Outcome.CHANGED, Outcome.PARTLY_CHANGED)


def section_text(heading: str, body: str) -> str:
    """A section as "you said, we did" compares it: its heading, then its text."""
    return f"{heading}\n\n{body}".strip()
