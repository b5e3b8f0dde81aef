"""Freezing a document into a numbered version: the steps every document type shares.

A version is frozen from the working copy: it takes the next number for its document, its
canonical text (``collab.documents.canonical``) and that text's SHA-256; and a new version is
refused when nothing changed since the last one. The agreement and specifications use these;
a new document type (workshop notes, resource descriptions, value reports) should too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from collab.documents.canonical import sha256_hex
from collab.errors import DomainError


def next_number(session: Session, number: InstrumentedAttribute[int], *belongs: Any) -> int:
    """The next version number: one more than the highest where ``belongs`` holds (1 for the first).

    Two people freezing at once get the same number; the unique (document, number) constraint
    then refuses the second, which the caller answers as a conflict.
    """
    session.flush()
    return (session.scalar(select(func.max(number)).where(*belongs)) or 0) + 1


def refuse_unchanged(previous_text: str | None, text: str, message: str) -> None:
    """Stop a new version whose canonical text is the same as the last one's."""
    if previous_text is not None and previous_text == text:
        raise DomainError(message)


def fingerprint(text: str) -> str:
    """The SHA-256 a frozen version is known and signed by."""
    return sha256_hex(text)
