"""Page assembly shared by every document type: the comment thread a document page includes."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from collab.db import db
from collab.documents import services
from collab.documents.forms import CommentForm
from collab.documents.subjects import Subject
from collab.security import Permission, can


def thread_dom_id(subject_type: str, subject_id: int) -> str:
    return f"thread-{subject_type.replace('_', '-')}-{subject_id}"


def thread_context(
    subject_type: str, subject_id: int, subject: Subject, form: CommentForm | None = None
) -> dict[str, Any]:
    """What templates/documents/_thread.html needs (call from any document page)."""
    alliance = subject.alliance
    moderator = can(Permission.DOCUMENT_COMMENT_HIDE, alliance)
    return {
        "thread": {
            "dom_id": thread_dom_id(subject_type, subject_id),
            "subject_type": subject_type,
            "subject_id": subject_id,
            "subject": subject,
            "alliance": alliance,
            "nodes": services.load_thread(db.session, subject_type, subject_id, current_user, moderator),
            "can_comment": subject.open_for_comments and can(Permission.DOCUMENT_COMMENT_ADD, alliance),
            "on_behalf": can(Permission.DOCUMENT_COMMENT_ON_BEHALF, alliance),
            "moderator": moderator,
            "form": form or CommentForm(formdata=None),
        }
    }
