"""Specifications' items on "For you": open consultations you have not commented on, and what
changed (replies and responses to your comments, new drafts shared, specs published).

Registered in ``collab.specs.init_app``. A fixed number of queries, however many alliances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from collab.accounts.models import User
from collab.alliances.models import Membership
from collab.attention import Item, due_on
from collab.db import utcnow
from collab.documents.models import Comment, DiscussionThread
from collab.permissions import Permission, permissions_for_role
from collab.specs import links
from collab.specs.models import Spec, SpecComment, SpecParagraph, SpecResponse, SpecSection, SpecStatus, SpecVersion
from collab.specs.services import SECTION_SUBJECT, SPEC_SUBJECTS, SUBJECT, WHOLE_SUBJECT, said_by

AREA = "specs"


def spec_items(session: Session, person: Any, memberships: Sequence[Membership], since: datetime | None) -> Iterable[Item]:
    """Every specification item for this person."""
    by_alliance = {m.alliance_id: m for m in memberships}
    reading = [m.alliance_id for m in memberships if Permission.SPEC_VIEW in permissions_for_role(m.role)]
    commenting = [
        alliance_id for alliance_id in reading
        if Permission.DOCUMENT_COMMENT_ADD in permissions_for_role(by_alliance[alliance_id].role)
    ]
    yield from _consultations(session, person, by_alliance, commenting)
    if since is not None and reading:
        yield from _answers(session, person, by_alliance, reading, since)
        yield from _drafts(session, person, by_alliance, reading, since)


def _item(membership: Membership, **fields: Any) -> Item:
    alliance = membership.alliance
    return Item(alliance_id=alliance.id, alliance_name=alliance.name, alliance_slug=alliance.slug, area=AREA, **fields)


def _consultations(session: Session, person: Any, by_alliance: dict[int, Membership], commenting: list[int]) -> Iterable[Item]:
    if not commenting:
        return
    today = utcnow().date()
    mine = (
        select(SpecComment.id)
        .join(Comment, Comment.id == SpecComment.comment_id)
        .where(SpecComment.spec_id == Spec.id, said_by(person), Comment.deleted_at.is_(None))
    )
    specs = session.scalars(
        select(Spec)
        .where(
            ~mine.exists(),
            Spec.alliance_id.in_(commenting),
            Spec.status == SpecStatus.CONSULTATION,
            or_(Spec.consultation_opens_on.is_(None), Spec.consultation_opens_on <= today),
            or_(Spec.consultation_closes_on.is_(None), Spec.consultation_closes_on >= today),
        )
        .order_by(Spec.consultation_closes_on, Spec.id)
    ).all()
    for spec in specs:
        membership = by_alliance[spec.alliance_id]
        yield _item(
            membership,
            title=f"Have your say on “{spec.title}”",
            url=links.spec_url(membership.alliance.slug, spec.id),
            due=due_on(spec.consultation_closes_on) if spec.consultation_closes_on else None,
            detail="It is open for comments and you have not commented yet. "
            "Choose a paragraph and say what you think.",
            extra={"kind": "consultation", "spec_id": spec.id},
        )


def _answers(
    session: Session, person: Any, by_alliance: dict[int, Membership], reading: list[int], since: datetime
) -> Iterable[Item]:
    """Replies to your comments and responses ("you said, we did") since ``since``."""
    parent = aliased(Comment)
    # A reply's thread is on a paragraph, on a section as a whole, or on the whole specification.
    spec_id = func.coalesce(
        SpecParagraph.spec_id, SpecSection.spec_id,
        case((DiscussionThread.subject_type == WHOLE_SUBJECT, DiscussionThread.subject_id)),
    )
    replies = session.execute(
        select(Comment.id, Comment.created_at, Comment.on_behalf_of_name, User.display_name,
               SpecParagraph.id, SpecSection.id, Spec.id, Spec.title, Spec.alliance_id)
        .join(parent, parent.id == Comment.parent_id)
        .join(DiscussionThread, DiscussionThread.id == Comment.thread_id)
        .outerjoin(SpecParagraph, and_(DiscussionThread.subject_type == SUBJECT,
                                       SpecParagraph.id == DiscussionThread.subject_id))
        .outerjoin(SpecSection, and_(DiscussionThread.subject_type == SECTION_SUBJECT,
                                     SpecSection.id == DiscussionThread.subject_id))
        .join(Spec, Spec.id == spec_id)
        .outerjoin(User, User.id == Comment.author_id)
        .where(
            DiscussionThread.subject_type.in_(SPEC_SUBJECTS),
            DiscussionThread.alliance_id.in_(reading),
            Comment.created_at > since,
            Comment.deleted_at.is_(None),
            Comment.hidden_at.is_(None),
            or_(Comment.author_id.is_(None), Comment.author_id != person.id),
            parent.deleted_at.is_(None),
            or_(and_(parent.author_id == person.id, parent.on_behalf_of_name.is_(None)), parent.on_behalf_of_id == person.id),
        )
    ).all()
    for comment_id, created_at, on_behalf, author, paragraph_id, section_id, found_spec, title, alliance_id in replies:
        membership = by_alliance[alliance_id]
        who = on_behalf or author or "A former member"
        yield _item(
            membership,
            title=f"{who} replied to your comment on “{title}”",
            url=links.place_url(membership.alliance.slug, found_spec, paragraph_id, section_id) + f"#comment-{comment_id}",
            needs_you=False, happened_at=created_at,
        )
    responses = session.execute(
        select(SpecResponse.outcome, SpecResponse.responded_at, SpecResponse.updated_at, SpecComment.comment_id,
               SpecComment.paragraph_id, SpecComment.section_id, Spec.id, Spec.title, Spec.alliance_id)
        .join(SpecComment, SpecComment.id == SpecResponse.spec_comment_id)
        .join(Comment, Comment.id == SpecComment.comment_id)
        .join(Spec, Spec.id == SpecComment.spec_id)
        .where(
            Spec.alliance_id.in_(reading),
            or_(SpecResponse.responded_at > since, SpecResponse.updated_at > since),
            said_by(person),
            Comment.deleted_at.is_(None),
        )
    ).all()
    for outcome, responded_at, updated_at, comment_id, on_paragraph, on_section, found_spec, title, alliance_id in responses:
        membership = by_alliance[alliance_id]
        yield _item(
            membership,
            title=f"Your comment on “{title}” has a response: {outcome.label.lower()}",
            url=links.place_url(membership.alliance.slug, found_spec, on_paragraph, on_section) + f"#comment-{comment_id}",
            needs_you=False, happened_at=max(t for t in (responded_at, updated_at) if t is not None),
        )


def _drafts(
    session: Session, person: Any, by_alliance: dict[int, Membership], reading: list[int], since: datetime
) -> Iterable[Item]:
    """Drafts shared and specifications published since ``since`` (by someone else)."""
    versions = session.execute(
        select(SpecVersion.number, SpecVersion.stage, SpecVersion.created_at, Spec.id, Spec.title, Spec.alliance_id)
        .join(Spec, Spec.id == SpecVersion.spec_id)
        .where(
            Spec.alliance_id.in_(reading),
            SpecVersion.created_at > since,
            or_(SpecVersion.created_by_id.is_(None), SpecVersion.created_by_id != person.id),
        )
    ).all()
    for number, stage, created_at, spec_id, title, alliance_id in versions:
        membership = by_alliance[alliance_id]
        slug = membership.alliance.slug
        if stage == SpecStatus.PUBLISHED:
            yield _item(membership, title=f"“{title}” was published", url=links.spec_url(slug, spec_id),
                        needs_you=False, happened_at=created_at)
        elif number == 1:
            yield _item(membership, title=f"“{title}” opened for comments", url=links.spec_url(slug, spec_id),
                        needs_you=False, happened_at=created_at)
        else:
            yield _item(membership, title=f"Draft {number} of “{title}” was shared",
                        url=links.version_url(slug, spec_id, number), needs_you=False, happened_at=created_at,
                        detail="Comments have moved with their paragraphs.")
