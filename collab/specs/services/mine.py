""""My comments": everything one person said on every specification, and what happened to it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from collab.documents.models import Comment
from collab.specs.models import Spec, SpecComment


def said_by(person: Any) -> ColumnElement[bool]:
    """Comments that are the person's own words: written by them (not for someone else), or
    added for them by a facilitator."""
    return or_(
        and_(Comment.author_id == person.id, Comment.on_behalf_of_name.is_(None)),
        Comment.on_behalf_of_id == person.id,
    )


def my_comments_query(person: Any, alliance_ids: Iterable[int]) -> Select[Any]:
    """The person's comments on specifications in these alliances, newest first (for pagination).

    Deleted comments are left out (the person deleted them); hidden ones stay, with why.
    """
    return (
        select(SpecComment)
        .join(Comment, Comment.id == SpecComment.comment_id)
        .join(Spec, Spec.id == SpecComment.spec_id)
        .where(Spec.alliance_id.in_(list(alliance_ids)), said_by(person), Comment.deleted_at.is_(None))
        .options(
            selectinload(SpecComment.comment).selectinload(Comment.author),
            selectinload(SpecComment.spec).selectinload(Spec.alliance),
            selectinload(SpecComment.section),
            selectinload(SpecComment.response),
        )
        .order_by(SpecComment.created_at.desc(), SpecComment.id.desc())
    )


def reply_counts(session: Session, comment_ids: Iterable[int]) -> dict[int, int]:
    """Visible direct replies to each of these comments (one query)."""
    ids = list(comment_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(Comment.parent_id, func.count(Comment.id))
        .where(Comment.parent_id.in_(ids), Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .group_by(Comment.parent_id)
    )
    return {parent_id: count for parent_id, count in rows if parent_id is not None}
