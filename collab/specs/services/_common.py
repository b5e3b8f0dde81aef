"""Pieces every part of the specification rules shares: limits, text checks, who sees a comment."""

from __future__ import annotations

from collab.errors import DomainError
from collab.errors import check_text as check_text  # one rule for every area (re-exported)
from collab.specs.models import (
    Outcome,
    Spec,
)

SUBJECT = "spec_paragraph"


MAX_TITLE = 200


MAX_SECTION_BODY = 50_000


MAX_SECTIONS = 30




def require_editable(spec: Spec) -> None:
    if not spec.is_editable:
        raise DomainError("This specification is published, so it cannot be changed")


#: Outcomes that claim the text of a section was changed.
CHANGE_OUTCOMES = (Outcome.CHANGED, Outcome.PARTLY_CHANGED)


def section_text(heading: str, body: str) -> str:
    """A section as "you said, we did" compares it: its heading, then its text."""
    return f"{heading}\n\n{body}".strip()
