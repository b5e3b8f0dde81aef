"""Who may read a comment: the one rule, for loading in Python and for filtering in SQL.

A deleted comment is read by nobody. A hidden comment is read only by moderators (people who
may hide comments in its alliance) and by its author, who can see why it was hidden; everyone
else sees, at most, that a comment was hidden there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from collab.documents.models import Comment


def _viewer_id(viewer: Any) -> int | None:
    return getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None


def may_read_hidden(comment: Comment, viewer: Any, moderator: bool) -> bool:
    """Whether the viewer may read this comment's text if it is hidden (moderators and its author)."""
    return moderator or (_viewer_id(viewer) is not None and comment.author_id == _viewer_id(viewer))


def may_read(comment: Comment, viewer: Any, moderator: bool) -> bool:
    """Whether the viewer may read the text of this (not deleted) comment."""
    return not comment.is_hidden or may_read_hidden(comment, viewer, moderator)


def readable_by(viewer: Any, moderator: bool) -> ColumnElement[bool]:
    """The same rule as a WHERE clause: comments the viewer may read, deleted ones never."""
    not_deleted = Comment.deleted_at.is_(None)
    if moderator:
        return not_deleted
    return and_(not_deleted, or_(Comment.hidden_at.is_(None), Comment.author_id == _viewer_id(viewer)))
