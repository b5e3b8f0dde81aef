"""Comments on paragraphs, whole sections and whole specifications: adding, replying, responses, and the lists of them.

Support ("this matters to me too") is in ``support``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Role
from collab.db import utcnow
from collab.documents import services as documents
from collab.documents.models import Comment
from collab.documents.visibility import readable_by
from collab.errors import DomainError
from collab.notifications.services import notify, resolve
from collab.specs.models import (
    POSITION_SCALE,
    AnchorState,
    Outcome,
    Spec,
    SpecComment,
    SpecParagraph,
    SpecResponse,
    SpecSection,
    SpecSectionVersion,
    SpecStatus,
    SpecVersion,
)
from collab.specs.services._common import SECTION_SUBJECT, SUBJECT, WHOLE_SUBJECT, section_text
from collab.specs.services.telling import consultation_action, tell_comment_made_for

#: What a comment can be on: a paragraph, a section as a whole, or the whole specification.
Target = SpecParagraph | SpecSection | Spec


def _place(session: Session, target: Target) -> tuple[Spec, SpecSection | None, SpecParagraph | None]:
    """The spec, section and paragraph a comment on ``target`` is about (None where it is a whole)."""
    if isinstance(target, SpecParagraph):
        return target.spec, target.section, target
    if isinstance(target, SpecSection):
        return target.spec, target, None
    return target, None, None


def _position_key(section: SpecSection | None, paragraph: SpecParagraph | None) -> int:
    """Reading order: the whole spec first, then each section's paragraphs, then the section as a whole."""
    if section is None:
        return -1
    return section.position * POSITION_SCALE + (paragraph.position if paragraph is not None else POSITION_SCALE - 1)


def add_comment(
    session: Session,
    actor: User,
    target: Target,
    *,
    body: str,
    on_behalf_of: User | None = None,
    on_behalf_of_name: str | None = None,
    on_behalf_role: Role | None = None,
    group_size: int | None = None,
    source_key: str | None = None,
    source_label: str | None = None,
    url: str = "",
) -> SpecComment:
    """Comment on a paragraph, a whole section or the whole spec during consultation.

    Facilitators may add one for someone else.

    ``group_size`` marks the words of a group (a workshop table of 4, named in ``on_behalf_of_name``);
    ``source_key``/``source_label`` say where it came from ("workshop:12", "3 March workshop: …"),
    so "you said, we did" can count groups with their size and be filtered by source.
    """
    if group_size is not None and (group_size < 1 or not (on_behalf_of_name or "").strip()):
        raise DomainError("A group's comment needs the group's name and how many people it speaks for")
    spec, section, paragraph = _place(session, target)
    if not spec.is_taking_comments:
        raise DomainError(f"Comments are closed. {spec.comments_closed_reason}")
    if paragraph is not None and paragraph.is_removed:
        raise DomainError("That paragraph is not in the current draft")
    if paragraph is None and section is not None and session.scalar(
        select(SpecSectionVersion.id).where(SpecSectionVersion.version_id == spec.current_version_id,
                                            SpecSectionVersion.section_id == section.id)
    ) is None:
        raise DomainError("That section is not in the shared draft yet, so it cannot take comments")
    alliance = spec.alliance
    roles = dict(
        session.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.alliance_id == alliance.id,
                Membership.user_id.in_([actor.id] + ([on_behalf_of.id] if on_behalf_of else [])),
            )
        ).all()
    )
    if on_behalf_of is not None and on_behalf_of.id not in roles:
        raise DomainError("Choose a member of this alliance", field="on_behalf_of")
    if on_behalf_of is not None:
        speaker_role = roles[on_behalf_of.id]
    elif (on_behalf_of_name or "").strip():
        speaker_role = on_behalf_role or Role.SERVICE_USER
    else:
        speaker_role = roles.get(actor.id, Role.OBSERVER)
    subject_type, subject_id = (
        (SUBJECT, paragraph.id) if paragraph is not None
        else (SECTION_SUBJECT, section.id) if section is not None else (WHOLE_SUBJECT, spec.id)
    )
    comment = documents.add_comment(
        session, actor, alliance, subject_type, subject_id, body=body, on_behalf_of=on_behalf_of,
        on_behalf_of_name=on_behalf_of_name, subject_label=subject_label(spec, section, paragraph), url=url,
    )
    number = session.scalar(select(SpecVersion.number).where(SpecVersion.id == spec.current_version_id)) or 1
    meta = SpecComment(
        comment_id=comment.id, spec_id=spec.id, section_id=section.id if section is not None else None,
        paragraph_id=paragraph.id if paragraph is not None else None,
        version_number=number, quote=paragraph.text if paragraph is not None else "", speaker_role=speaker_role,
        anchor=AnchorState.CURRENT, position_key=_position_key(section, paragraph),
        support_count=0, created_at=comment.created_at, group_size=group_size,
        source_key=(source_key or None) and source_key[:60], source_label=(source_label or None) and source_label[:200],
    )
    session.add(meta)
    session.flush()
    # Issue 9: whoever's words these are no longer needs asking to comment; someone who had a
    # comment added in their name is told, so they can check it.
    speaker = on_behalf_of.id if on_behalf_of is not None else (None if (on_behalf_of_name or "").strip() else actor.id)
    if speaker is not None:
        resolve(session, consultation_action(spec, speaker))
    if on_behalf_of is not None and on_behalf_of.id != actor.id:
        tell_comment_made_for(session, actor, spec, on_behalf_of, url + f"#comment-{comment.id}" if url else "")
    return meta


def subject_label(spec: Spec, section: SpecSection | None, paragraph: SpecParagraph | None) -> str:
    """How the audit trail and notifications name what a comment is on."""
    if paragraph is not None:
        return f"a paragraph of {spec.title}"
    if section is not None:
        return f"the section “{section.heading}” of {spec.title}"
    return f"the whole of {spec.title}"


def reply(session: Session, actor: User, parent: SpecComment, *, body: str, url: str = "") -> Comment:
    """Reply in a comment's thread (open while the spec is in consultation or review)."""
    spec = parent.spec
    if spec.status not in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING):
        raise DomainError("Replies are closed for this specification")
    if parent.comment.is_hidden:
        raise DomainError("That comment is hidden, so you cannot reply to it")
    subject_type, subject_id = parent.subject
    return documents.add_comment(
        session, actor, spec.alliance, subject_type, subject_id, body=body, parent=parent.comment,
        subject_label=subject_label(spec, parent.section, parent.paragraph), url=url,
    )


def _change_since_comment(session: Session, spec_comment: SpecComment, section: SpecSection) -> int | None:
    """The draft in which ``section`` first reads differently from what the commenter read.

    None when the change is only in the working copy so far (the next shared draft gets it).
    Refused when the section reads exactly as it did when the comment was made: "changed"
    must point to a real change, or the report would promise one that never happened.
    """
    rows = session.execute(
        select(SpecVersion.number, SpecSectionVersion.heading, SpecSectionVersion.body)
        .join(SpecVersion, SpecVersion.id == SpecSectionVersion.version_id)
        .where(
            SpecVersion.spec_id == spec_comment.spec_id,
            SpecSectionVersion.section_id == section.id,
            SpecVersion.number >= spec_comment.version_number,
        )
        .order_by(SpecVersion.number)
    ).all()
    texts = {number: section_text(heading, body) for number, heading, body in rows}
    commented_on = spec_comment.version_number
    before = texts.get(commented_on, "")
    if section_text(section.heading, section.body) == before:
        raise DomainError(
            f"“{section.heading}” has not been changed since this comment was made on draft {commented_on}. "
            "Edit the section first and then say it was changed, or choose another answer",
            field="change_section",
        )
    return next((number for number, text in texts.items() if number > commented_on and text != before), None)


def respond(
    session: Session,
    actor: User,
    spec_comment: SpecComment,
    *,
    outcome: Outcome,
    text: str,
    change_section: SpecSection | None = None,
    url: str = "",
) -> SpecResponse:
    """Answer a comment ("you said, we did"); the person it came from is told."""
    spec = spec_comment.spec
    if spec.status not in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING):
        raise DomainError("Responses can be given only during consultation and review")
    text = (text or "").strip()
    if not text:
        message = "Say why the specification was not changed" if outcome == Outcome.NOT_CHANGED else "Enter your response"
        raise DomainError(message, field="text")
    if len(text) > 5000:
        raise DomainError("The response must be 5,000 characters or fewer", field="text")
    if outcome in (Outcome.CHANGED, Outcome.PARTLY_CHANGED):
        if change_section is None:
            raise DomainError("Choose the section you changed", field="change_section")
    else:
        change_section = None
    if change_section is not None and change_section.spec_id != spec.id:
        raise DomainError("Choose a section of this specification", field="change_section")
    change_version = _change_since_comment(session, spec_comment, change_section) if change_section else None
    response = spec_comment.response
    is_new = response is None
    if response is None:
        response = SpecResponse(spec_comment_id=spec_comment.id, spec_id=spec.id, responded_at=utcnow())
        session.add(response)
        spec_comment.response = response
    else:
        response.updated_at = utcnow()
    response.outcome = outcome
    response.text = text
    response.change_section_id = change_section.id if change_section else None
    response.change_version_number = change_version
    response.responded_by_id = actor.id
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise DomainError("Someone else answered this comment at the same time. Reload the page to see it.") from None
    audit.record(
        session, actor, "spec.comment_answered", spec_comment, alliance=spec.alliance, label=spec.title,
        detail={"outcome": outcome.value, "comment_by": spec_comment.comment.speaker_name, "changed_answer": not is_new},
    )
    comment = spec_comment.comment
    recipients = [u for u in (comment.author, comment.on_behalf_of) if u is not None]
    notify(
        session, recipients, "spec_comment_answered",
        f"Your comment on {spec.title} has a response: {outcome.label.lower()}",
        body=text[:500], url=url, alliance=spec.alliance, exclude=actor,
    )
    return response


@dataclass
class CommentFilter:
    section_id: int | None = None
    #: "awaiting" or "responded".
    status: str | None = None
    service_users: bool = False
    paragraph_id: int | None = None
    #: "section": only comments on a section as a whole (with section_id); "spec": only on the whole spec.
    level: str | None = None
    #: Only comments from this source (a workshop: "workshop:12").
    source: str | None = None


def comments_query(spec: Spec, filters: CommentFilter, viewer: Any, moderator: bool, *, brief: bool = False) -> Select[Any]:
    """Top-level comments on a spec, filtered, in section then paragraph order.

    ``brief`` leaves out who responded and which section changed (the report does not show them).
    """
    stmt = (
        select(SpecComment)
        .join(Comment, Comment.id == SpecComment.comment_id)
        .outerjoin(SpecResponse, SpecResponse.spec_comment_id == SpecComment.id)
        .where(SpecComment.spec_id == spec.id, readable_by(viewer, moderator))
        .options(
            selectinload(SpecComment.comment).selectinload(Comment.author),
            selectinload(SpecComment.comment).selectinload(Comment.on_behalf_of),
            selectinload(SpecComment.section),
            selectinload(SpecComment.paragraph),
        )
        .order_by(SpecComment.position_key, SpecComment.id)
    )
    if brief:
        stmt = stmt.options(selectinload(SpecComment.response))
    else:
        stmt = stmt.options(
            selectinload(SpecComment.response).selectinload(SpecResponse.responded_by),
            selectinload(SpecComment.response).selectinload(SpecResponse.change_section),
        )
    if filters.section_id:
        stmt = stmt.where(SpecComment.section_id == filters.section_id)
    if filters.paragraph_id:
        stmt = stmt.where(SpecComment.paragraph_id == filters.paragraph_id)
    if filters.level == "section":
        stmt = stmt.where(SpecComment.paragraph_id.is_(None), SpecComment.section_id.is_not(None))
    elif filters.level == "spec":
        stmt = stmt.where(SpecComment.section_id.is_(None))
    if filters.status == "awaiting":
        stmt = stmt.where(SpecResponse.id.is_(None))
    elif filters.status == "responded":
        stmt = stmt.where(SpecResponse.id.is_not(None))
    if filters.service_users:
        stmt = stmt.where(SpecComment.speaker_role == Role.SERVICE_USER)
    if filters.source:
        stmt = stmt.where(SpecComment.source_key == filters.source)
    return stmt


def replies_for(
    session: Session, spec_comments: Iterable[SpecComment], viewer: Any, moderator: bool
) -> dict[int, list[documents.CommentNode]]:
    """Reply trees under each top-level comment (two queries, whatever the page size)."""
    roots = {sc.comment_id: sc for sc in spec_comments}
    if not roots:
        return {}
    thread_ids = {sc.comment.thread_id for sc in roots.values()}
    comments = session.scalars(
        select(Comment)
        .where(Comment.thread_id.in_(thread_ids), Comment.parent_id.is_not(None))
        .options(selectinload(Comment.author), selectinload(Comment.on_behalf_of))
        .order_by(Comment.id)
    ).all()
    by_id = {c.id: c for c in comments}

    def root_of(comment: Comment) -> int | None:
        seen = 0
        while comment.parent_id is not None and comment.parent_id in by_id and seen < 100:
            comment = by_id[comment.parent_id]
            seen += 1
        return comment.parent_id

    grouped: dict[int, list[Comment]] = {}
    for comment in comments:
        root = root_of(comment)
        if root in roots:
            grouped.setdefault(root, []).append(comment)
    result = {}
    for root_id, items in grouped.items():
        # Build the tree with the root's id as the top, so replies hang from it.
        tree = documents.build_tree(items, viewer, moderator)
        result[root_id] = tree
    return result


def spec_comment_for(session: Session, spec: Spec, spec_comment_id: int) -> SpecComment | None:
    """A comment on this specification that has not been deleted (None otherwise)."""
    sc = session.get(SpecComment, spec_comment_id)
    if sc is None or sc.spec_id != spec.id or sc.comment.is_deleted:
        return None
    return sc


def paragraph_comments(
    session: Session, spec: Spec, paragraph: SpecParagraph, viewer: Any, moderator: bool
) -> list[SpecComment]:
    """The top-level comments on one paragraph that this viewer can see, oldest first."""
    return list(session.scalars(comments_query(spec, CommentFilter(paragraph_id=paragraph.id), viewer, moderator)))


def section_comments(
    session: Session, spec: Spec, section: SpecSection | None, viewer: Any, moderator: bool
) -> list[SpecComment]:
    """The top-level comments on a section as a whole (or, with None, on the whole spec), oldest first."""
    filters = CommentFilter(section_id=section.id, level="section") if section is not None else CommentFilter(level="spec")
    return list(session.scalars(comments_query(spec, filters, viewer, moderator)))


def whole_counts(session: Session, spec: Spec, viewer: Any, moderator: bool) -> dict[int | None, int]:
    """Comments on each section as a whole, by section id, and on the whole spec (key None); one query.

    The same count as each thread's heading: visible top-level comments, not replies.
    """
    rows = session.execute(
        select(SpecComment.section_id, func.count(SpecComment.id))
        .join(Comment, Comment.id == SpecComment.comment_id)
        .where(SpecComment.spec_id == spec.id, SpecComment.paragraph_id.is_(None), readable_by(viewer, moderator))
        .group_by(SpecComment.section_id)
    )
    return dict(rows.all())


def members_by_name(session: Session, alliance: Alliance) -> list[tuple[str, int, Role]]:
    """(name, user id, role) of everyone in the alliance, by name: whom a comment can be made for."""
    rows = session.execute(
        select(Membership.user_id, Membership.role)
        .where(Membership.alliance_id == alliance.id)
    ).all()
    names = dict(session.execute(select(User.id, User.display_name).where(User.id.in_([r[0] for r in rows]))).all())
    people = sorted(((names.get(uid, ""), uid, role) for uid, role in rows), key=lambda t: t[0].lower())
    return [(name, uid, Role(role)) for name, uid, role in people]


def add_comment_for(
    session: Session, actor: User, target: Target, *, body: str,
    person_id: int | None, name: str | None, url: str = "",
) -> SpecComment:
    """A comment a facilitator adds for someone else: a member (by id) or a named participant, not both.

    With neither, it is the actor's own comment. Whether the person is a member of the
    alliance is checked by ``add_comment``.
    """
    person = session.get(User, person_id) if person_id else None
    if person_id and person is None:
        raise DomainError("Choose a member of this alliance", field="on_behalf_of")
    if person is not None and name:
        raise DomainError("Choose a member or type a name, not both", field="on_behalf_of_name")
    return add_comment(session, actor, target, body=body, on_behalf_of=person, on_behalf_of_name=name, url=url)
