"""Sentences for comment activity on the alliance's activity page (any document type)."""

from __future__ import annotations

from collab.audit import AuditEntry, describes
from collab.notifications.kinds import register_kind

# The notifications this area sends (people choose which also come by email).
register_kind(
    "comment_reply",
    "Someone replied to your comment",
    "When someone answers a comment you made on the agreement or a specification.",
)
register_kind(
    "comment_hidden",
    "A moderator hid one of your comments",
    "We tell you why, so you know what happened.",
)



@describes("comment.added")
def _comment(e: AuditEntry) -> str:
    verb = "replied in the discussion on" if e.detail.get("reply") else "commented on"
    on_behalf = e.detail.get("on_behalf_of")
    who = f"{e.actor_name} (for {on_behalf})" if on_behalf else e.actor_name
    return f"{who} {verb} {e.subject_label}" if e.subject_label else f"{who} added a comment"


@describes("comment.edited")
def _comment_edited(e: AuditEntry) -> str:
    return f"{e.actor_name} changed a comment"


@describes("comment.deleted")
def _comment_deleted(e: AuditEntry) -> str:
    return f"{e.actor_name} deleted a comment"


@describes("comment.hidden")
def _comment_hidden(e: AuditEntry) -> str:
    return f"{e.actor_name} hid a comment"
