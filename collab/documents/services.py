"""Comment threads: add, reply, change or delete your own, hide with a reason; load them in bulk.

Any document type uses these with its own subject type (see collab/documents/subjects.py):

    comment = add_comment(session, user, alliance, "spec_paragraph", paragraph.id, body="...")
    counts = comment_counts(session, "spec_paragraph", [p.id for p in paragraphs])   # one query
    trees = load_threads(session, "spec_paragraph", ids, viewer=user)             # two queries

Pages that show many elements must use the bulk functions, never one query per element.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, selectinload

from collab import audit
from collab.accounts.models import User
from collab.db import utcnow
from collab.documents.models import Comment, DiscussionThread
from collab.documents.subjects import load_subject
from collab.documents.visibility import may_read
from collab.errors import DomainError, NotAllowed
from collab.markdown import render_markdown
from collab.notifications.services import notify

MAX_COMMENT_LENGTH = 5000


def get_thread(session: Session, subject_type: str, subject_id: int) -> DiscussionThread | None:
    return session.scalar(
        select(DiscussionThread).where(
            DiscussionThread.subject_type == subject_type, DiscussionThread.subject_id == subject_id
        )
    )


def get_or_create_thread(session: Session, alliance: Any, subject_type: str, subject_id: int) -> DiscussionThread:
    """The subject's thread, made on first use; two people starting it at once get the same one."""
    thread = get_thread(session, subject_type, subject_id)
    if thread is not None:
        return thread
    try:
        with session.begin_nested():
            thread = DiscussionThread(alliance_id=alliance.id, subject_type=subject_type, subject_id=subject_id)
            session.add(thread)
    except IntegrityError:
        thread = get_thread(session, subject_type, subject_id)
        assert thread is not None
    return thread


def _check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError("Enter your comment", field="body")
    if len(body) > MAX_COMMENT_LENGTH:
        raise DomainError(f"Your comment must be {MAX_COMMENT_LENGTH:,} characters or fewer", field="body")
    return body


def add_comment(
    session: Session,
    actor: User,
    alliance: Any,
    subject_type: str,
    subject_id: int,
    *,
    body: str,
    parent: Comment | None = None,
    on_behalf_of: User | None = None,
    on_behalf_of_name: str | None = None,
    subject_label: str = "",
    url: str = "",
) -> Comment:
    """Add a comment or a reply; a facilitator may add one on someone's behalf."""
    body = _check_body(body)
    thread = get_or_create_thread(session, alliance, subject_type, subject_id)
    if parent is not None:
        if parent.thread_id != thread.id:
            raise DomainError("You can only reply to a comment in the same discussion")
        if parent.is_deleted:
            raise DomainError("That comment was deleted, so you cannot reply to it")
    name = (on_behalf_of_name or "").strip() or None
    if name and len(name) > 100:
        raise DomainError("The name must be 100 characters or fewer", field="on_behalf_of_name")
    comment = Comment(
        thread=thread,
        parent_id=parent.id if parent is not None else None,
        author_id=actor.id,
        on_behalf_of_id=on_behalf_of.id if on_behalf_of is not None else None,
        on_behalf_of_name=name or (on_behalf_of.display_name if on_behalf_of is not None else None),
        body=body,
        body_html=str(render_markdown(body)),
        created_at=utcnow(),
    )
    session.add(comment)
    session.flush()
    audit.record(
        session,
        actor,
        "comment.added",
        comment,
        alliance=alliance,
        label=subject_label,
        detail={
            "subject_type": subject_type,
            "subject_id": subject_id,
            "reply": parent is not None,
            "on_behalf_of": comment.on_behalf_of_name,
        },
    )
    if parent is not None and parent.author is not None and parent.author_id != actor.id:
        if not url:
            # Callers that did not say where the thread is shown (seeds, scripts): ask the subject.
            subject = load_subject(session, subject_type, subject_id)
            url = subject.url if subject is not None else ""
        notify(
            session,
            [parent.author],
            "comment_reply",
            f"{comment.speaker_name} replied to your comment",
            body=f"On {subject_label}." if subject_label else "",
            url=url + f"#comment-{comment.id}" if url else "",
            alliance=alliance,
        )
    return comment


def edit_comment(session: Session, actor: User, comment: Comment, body: str) -> None:
    """Change your own comment within 15 minutes of writing it."""
    if not comment.can_change(actor):
        raise NotAllowed("You can only change your own comment, within 15 minutes of writing it")
    comment.body = _check_body(body)
    comment.body_html = str(render_markdown(comment.body))
    comment.edited_at = utcnow()
    session.flush()
    audit.record(session, actor, "comment.edited", comment, alliance=comment.thread.alliance)


def delete_comment(session: Session, actor: User, comment: Comment) -> None:
    """Delete your own comment within 15 minutes; replies to it stay."""
    if not comment.can_change(actor):
        raise NotAllowed("You can only delete your own comment, within 15 minutes of writing it")
    comment.deleted_at = utcnow()
    comment.body = ""
    comment.body_html = ""
    session.flush()
    audit.record(session, actor, "comment.deleted", comment, alliance=comment.thread.alliance)


def hide_comment(session: Session, actor: User, comment: Comment, reason: str) -> None:
    """Hide a comment from other members, with a reason the author can see."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Enter why you are hiding this comment", field="reason")
    if len(reason) > 1000:
        raise DomainError("The reason must be 1,000 characters or fewer", field="reason")
    if comment.is_hidden:
        raise DomainError("This comment is already hidden")
    comment.hidden_at = utcnow()
    comment.hidden_by_id = actor.id
    comment.hidden_reason = reason
    session.flush()
    audit.record(
        session, actor, "comment.hidden", comment, alliance=comment.thread.alliance, detail={"reason": reason}
    )
    if comment.author is not None and comment.author_id != actor.id:
        notify(
            session,
            [comment.author],
            "comment_hidden",
            "A moderator hid one of your comments",
            body=f"The reason they gave: {reason}",
            alliance=comment.thread.alliance,
        )


# Reading threads in bulk ---------------------------------------------------------------


def comment_counts(session: Session, subject_type: str, subject_ids: Iterable[int]) -> dict[int, int]:
    """How many visible comments each subject has (one query, whatever the number of subjects)."""
    ids = list(subject_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(DiscussionThread.subject_id, func.count(Comment.id))
        .join(Comment, Comment.thread_id == DiscussionThread.id)
        .where(
            DiscussionThread.subject_type == subject_type,
            DiscussionThread.subject_id.in_(ids),
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
        )
        .group_by(DiscussionThread.subject_id)
    )
    return dict(rows.all())  # (key, value) rows; a Result itself looks like a mapping to dict()


@dataclass
class CommentNode:
    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)
    #: False when the viewer may see only that a comment was hidden, not what it said.
    show_text: bool = True


def build_tree(comments: list[Comment], viewer: User | None, moderator: bool) -> list[CommentNode]:
    """Arrange comments as threads. Hidden comments show only to moderators and their author;
    others see a placeholder if people replied to it, and nothing otherwise."""
    nodes = {c.id: CommentNode(c, show_text=may_read(c, viewer, moderator)) for c in comments}
    roots: list[CommentNode] = []
    for comment in comments:
        node = nodes[comment.id]
        parent = nodes.get(comment.parent_id) if comment.parent_id else None
        (parent.replies if parent is not None else roots).append(node)

    def prune(items: list[CommentNode]) -> list[CommentNode]:
        kept = []
        for node in items:
            node.replies = prune(node.replies)
            gone = (not node.show_text) or node.comment.is_deleted
            if gone and not node.replies:
                continue
            kept.append(node)
        return kept

    return prune(roots)


def load_threads(
    session: Session, subject_type: str, subject_ids: Iterable[int], viewer: User | None = None, moderator: bool = False
) -> dict[int, list[CommentNode]]:
    """Every comment tree for these subjects, in a fixed number of queries."""
    ids = list(subject_ids)
    if not ids:
        return {}
    comments = session.scalars(
        select(Comment)
        .join(DiscussionThread, Comment.thread_id == DiscussionThread.id)
        .where(DiscussionThread.subject_type == subject_type, DiscussionThread.subject_id.in_(ids))
        .options(
            selectinload(Comment.author),
            selectinload(Comment.on_behalf_of),
            contains_eager(Comment.thread),
        )
        .order_by(Comment.id)
    ).all()
    grouped: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        grouped[comment.thread.subject_id].append(comment)
    return {sid: build_tree(grouped.get(sid, []), viewer, moderator) for sid in ids}


def load_thread(
    session: Session, subject_type: str, subject_id: int, viewer: User | None = None, moderator: bool = False
) -> list[CommentNode]:
    return load_threads(session, subject_type, [subject_id], viewer, moderator)[subject_id]
