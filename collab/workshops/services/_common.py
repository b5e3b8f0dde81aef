"""Pieces every part of the workshop rules shares: text checks, the workshop lock, the board revision."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from collab.errors import DomainError
from collab.errors import check_text as check_text  # one rule for every area (re-exported)
from collab.workshops.models import Workshop


def lock_workshop(session: Session, workshop: Workshop) -> Workshop:
    """Take the workshop's row lock for the rest of the transaction (PostgreSQL: SELECT … FOR UPDATE).

    Every change that counts places or dots takes it first, so two replies at once are
    settled one after the other. SQLite takes its write lock when a writing request begins.
    """
    session.flush()
    session.execute(select(Workshop.id).where(Workshop.id == workshop.id).with_for_update())
    session.refresh(workshop)
    return workshop


def bump_board(session: Session, workshop: Workshop) -> None:
    """Tell every board client that something changed (an atomic increment in the database)."""
    session.execute(
        update(Workshop).where(Workshop.id == workshop.id).values(board_revision=Workshop.board_revision + 1)
    )
    session.expire(workshop, ["board_revision"])


def require_not_cancelled(workshop: Workshop) -> None:
    if workshop.is_cancelled:
        raise DomainError("This workshop has been cancelled")
