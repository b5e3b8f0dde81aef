"""Pieces every part of the specification rules shares: limits, text checks, who sees a comment."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, or_, select

from collab.documents.models import Comment, DiscussionThread
from collab.errors import DomainError
from collab.errors import check_text as check_text  # one rule for every area (re-exported)
from collab.specs.models import PARAGRAPH_SUBJECT, Outcome, Spec, SpecParagraph, SpecSection
from collab.specs.models import SECTION_SUBJECT as SECTION_SUBJECT  # re-exported
from collab.specs.models import WHOLE_SUBJECT as WHOLE_SUBJECT  # re-exported

SUBJECT = PARAGRAPH_SUBJECT
#: Every subject a spec comment's thread can have: a paragraph, a whole section, the whole spec.
SPEC_SUBJECTS = (PARAGRAPH_SUBJECT, SECTION_SUBJECT, WHOLE_SUBJECT)


def spec_comment_ids(spec_id: int, condition: ColumnElement[bool]) -> Select[tuple[int]]:
    """Ids of the spec's comments and replies (in any of its threads) that meet ``condition``.

    Found from the thread index: paragraph threads through the paragraphs (as before), and the
    few threads on a whole section or on the whole spec beside them.
    """
    on_paragraphs = (
        select(Comment.id)
        .join(DiscussionThread, DiscussionThread.id == Comment.thread_id)
        .join(SpecParagraph, SpecParagraph.id == DiscussionThread.subject_id)
        .where(DiscussionThread.subject_type == SUBJECT, SpecParagraph.spec_id == spec_id, condition)
    )
    on_wholes = (
        select(Comment.id)
        .join(DiscussionThread, DiscussionThread.id == Comment.thread_id)
        .where(
            or_(
                and_(DiscussionThread.subject_type == SECTION_SUBJECT,
                     DiscussionThread.subject_id.in_(select(SpecSection.id).where(SpecSection.spec_id == spec_id))),
                and_(DiscussionThread.subject_type == WHOLE_SUBJECT, DiscussionThread.subject_id == spec_id),
            ),
            condition,
        )
    )
    return on_paragraphs.union_all(on_wholes)  # type: ignore[return-value]


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
