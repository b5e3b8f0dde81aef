"""Support for a comment: "this matters to me too", once per person, and taking it back."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.db import utcnow
from collab.errors import DomainError
from collab.specs.models import CommentSupport, SpecComment, SpecStatus


def support(session: Session, actor: User, spec_comment: SpecComment) -> bool:
    """Say "this matters to me too" (once per person). False if you already had."""
    if spec_comment.spec.status not in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING):
        raise DomainError("This specification is not taking comments any more")
    if spec_comment.comment.is_hidden or spec_comment.comment.is_deleted:
        raise DomainError("You cannot support a hidden or deleted comment")
    if spec_comment.comment.author_id == actor.id and spec_comment.comment.on_behalf_of_name is None:
        raise DomainError("This is your own comment")
    try:
        with session.begin_nested():
            session.add(CommentSupport(spec_comment_id=spec_comment.id, user_id=actor.id, created_at=utcnow()))
    except IntegrityError:
        return False  # the unique constraint: one per person, even if two clicks race
    session.execute(
        update(SpecComment).where(SpecComment.id == spec_comment.id)
        .values(support_count=SpecComment.support_count + 1).execution_options(synchronize_session=False)
    )
    session.refresh(spec_comment, ["support_count"])
    audit.record(session, actor, "spec.comment_supported", spec_comment, alliance=spec_comment.spec.alliance,
                 label=spec_comment.spec.title, detail={"comment_by": spec_comment.comment.speaker_name})
    return True


def withdraw_support(session: Session, actor: User, spec_comment: SpecComment) -> bool:
    """Take back "this matters to me too"."""
    row = session.scalar(
        select(CommentSupport).where(
            CommentSupport.spec_comment_id == spec_comment.id, CommentSupport.user_id == actor.id
        )
    )
    if row is None:
        return False
    session.delete(row)
    session.execute(
        update(SpecComment).where(SpecComment.id == spec_comment.id)
        .values(support_count=SpecComment.support_count - 1).execution_options(synchronize_session=False)
    )
    session.flush()
    session.refresh(spec_comment, ["support_count"])
    return True


def supported_by(session: Session, user: Any, spec_comment_ids: Iterable[int]) -> set[int]:
    """Which of these comments the person has supported (one query)."""
    ids = list(spec_comment_ids)
    if not ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        session.scalars(
            select(CommentSupport.spec_comment_id).where(
                CommentSupport.user_id == user.id, CommentSupport.spec_comment_id.in_(ids)
            )
        )
    )
