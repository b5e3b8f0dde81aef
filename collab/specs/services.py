"""Service specifications: the rules. Plain functions; they flush, never commit.

Life of a spec: drafting → consultation (a version is frozen and people comment on its
paragraphs) → reviewing (commissioners answer every comment, share redrafts) → published.
Every frozen version re-anchors the comments (collab.specs.anchoring).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Role
from collab.db import utcnow
from collab.documents import services as documents
from collab.documents.canonical import Section as CanonicalSection
from collab.documents.canonical import canonical_markdown, sha256_hex
from collab.documents.diff import plain_diff, render_compact_diff
from collab.documents.locking import save_if_unchanged
from collab.documents.models import Comment, DiscussionThread
from collab.errors import DomainError, NotAllowed
from collab.markdown import render_markdown
from collab.notifications import notify
from collab.specs import readability
from collab.specs.anchoring import Anchor, AnchorStatus, Block, BlockKind, normalise, reanchor, split_blocks
from collab.specs.models import (
    POSITION_SCALE,
    STANDARD_SECTIONS,
    AnchorState,
    CommentSupport,
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

SUBJECT = "spec_paragraph"
MAX_TITLE = 200
MAX_SECTION_BODY = 50_000
MAX_SECTIONS = 30


# Reading -------------------------------------------------------------------------------


def specs_for(session: Session, alliance: Alliance) -> list[Spec]:
    return list(session.scalars(select(Spec).where(Spec.alliance_id == alliance.id).order_by(Spec.id.desc())))


def get_spec(session: Session, alliance: Alliance, spec_id: int) -> Spec | None:
    spec = session.get(Spec, spec_id)
    return spec if spec is not None and spec.alliance_id == alliance.id else None


def versions_of(session: Session, spec: Spec) -> list[SpecVersion]:
    return list(
        session.scalars(
            select(SpecVersion)
            .where(SpecVersion.spec_id == spec.id)
            .options(selectinload(SpecVersion.created_by))
            .order_by(SpecVersion.number.desc())
        )
    )


def get_version(session: Session, spec: Spec, number: int) -> SpecVersion | None:
    return session.scalar(
        select(SpecVersion)
        .where(SpecVersion.spec_id == spec.id, SpecVersion.number == number)
        .options(selectinload(SpecVersion.sections))
    )


def section_versions(session: Session, version: SpecVersion) -> list[SpecSectionVersion]:
    return list(
        session.scalars(
            select(SpecSectionVersion)
            .where(SpecSectionVersion.version_id == version.id)
            .order_by(SpecSectionVersion.position)
        )
    )


# Drafting ------------------------------------------------------------------------------


def _check_text(value: str | None, name: str, field_name: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {name}", field=field_name)
    if len(value) > limit:
        raise DomainError(f"{name[0].upper() + name[1:]} must be {limit:,} characters or fewer", field=field_name)
    return value


def score_text(body: str) -> dict[str, Any]:
    """A readability score stored with the text, so pages never recompute it."""
    result = readability.score(body)
    return {
        "words": result.words,
        "sentences": result.sentences,
        "syllables": result.syllables,
        "longest": [{"text": s.text, "words": s.words} for s in result.longest],
    }


def load_score(stored: dict[str, Any] | None) -> readability.ReadabilityScore:
    stored = stored or {}
    return readability.ReadabilityScore(
        words=stored.get("words", 0),
        sentences=stored.get("sentences", 0),
        syllables=stored.get("syllables", 0),
        longest=[readability.Sentence(s["text"], s["words"]) for s in stored.get("longest", [])],
    )


def create_spec(
    session: Session, actor: User, alliance: Alliance, *, title: str, service_area: str, summary: str = ""
) -> Spec:
    """Start a specification with the nine standard sections, empty."""
    spec = Spec(
        alliance_id=alliance.id,
        title=_check_text(title, "a title", "title", MAX_TITLE),
        service_area=_check_text(service_area, "the service area", "service_area", 200),
        summary=_check_text(summary, "a summary", "summary", 5000, required=False),
        status=SpecStatus.DRAFTING,
        created_by_id=actor.id,
        created_at=utcnow(),
    )
    spec.sections = [
        SpecSection(position=i, heading=heading, hint=hint, body="", readability={}, updated_by_id=actor.id,
                    updated_at=utcnow())
        for i, (heading, hint) in enumerate(STANDARD_SECTIONS, start=1)
    ]
    session.add(spec)
    session.flush()
    audit.record(session, actor, "spec.created", spec, alliance=alliance, label=spec.title)
    return spec


def _require_editable(spec: Spec) -> None:
    if not spec.is_editable:
        raise DomainError("This specification is published, so it cannot be changed")


def update_details(
    session: Session,
    actor: User,
    spec: Spec,
    expected_version: int,
    *,
    title: str,
    service_area: str,
    summary: str,
    easy_read: str,
) -> Spec:
    """Change the title, service area, summary and easy-read summary (optimistic locking)."""
    _require_editable(spec)
    values = {
        "title": _check_text(title, "a title", "title", MAX_TITLE),
        "service_area": _check_text(service_area, "the service area", "service_area", 200),
        "summary": _check_text(summary, "a summary", "summary", 5000, required=False),
        "easy_read": _check_text(easy_read, "the easy-read summary", "easy_read", 10_000, required=False),
    }
    spec = save_if_unchanged(session, Spec, spec.id, expected_version, **values)
    audit.record(session, actor, "spec.details_changed", spec, alliance=spec.alliance, label=spec.title)
    return spec


def save_section(
    session: Session, actor: User, section: SpecSection, expected_version: int, *, heading: str, body: str
) -> SpecSection:
    """Save a section's working text; refused (EditConflict) if someone saved first."""
    _require_editable(section.spec)
    heading = _check_text(heading, "a heading", "heading", 200)
    body = _check_text(body, "the text", "body", MAX_SECTION_BODY, required=False)
    before = section.body
    saved = save_if_unchanged(
        session, SpecSection, section.id, expected_version,
        heading=heading, body=body, updated_by_id=actor.id, updated_at=utcnow(), readability=score_text(body),
    )
    audit.record(
        session, actor, "spec.section_saved", saved, alliance=saved.spec.alliance, label=saved.heading,
        detail={"spec": saved.spec.title, "changed_text": before != body},
    )
    return saved


def add_section(session: Session, actor: User, spec: Spec, *, heading: str, body: str = "") -> SpecSection:
    """Add a section at the end."""
    _require_editable(spec)
    if len(spec.sections) >= MAX_SECTIONS:
        raise DomainError(f"A specification can have at most {MAX_SECTIONS} sections")
    section = SpecSection(
        spec_id=spec.id,
        position=max((s.position for s in spec.sections), default=0) + 1,
        heading=_check_text(heading, "a heading", "heading", 200),
        body=_check_text(body, "the text", "body", MAX_SECTION_BODY, required=False),
        updated_by_id=actor.id,
        updated_at=utcnow(),
    )
    section.readability = score_text(section.body)
    spec.sections.append(section)
    session.flush()
    audit.record(session, actor, "spec.section_added", section, alliance=spec.alliance, label=section.heading,
                 detail={"spec": spec.title})
    return section


def move_section(session: Session, actor: User, section: SpecSection, direction: str) -> None:
    """Move a section one place up or down."""
    spec = section.spec
    _require_editable(spec)
    ordered = sorted(spec.sections, key=lambda s: s.position)
    index = ordered.index(section)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(ordered):
        raise DomainError("That section cannot move that way")
    other = ordered[other_index]
    section.position, other.position = other.position, section.position
    spec.lock_version += 1
    _renumber_comments(session, spec)
    audit.record(session, actor, "spec.section_moved", section, alliance=spec.alliance, label=section.heading,
                 detail={"spec": spec.title, "direction": direction})


# Versions and re-anchoring -------------------------------------------------------------


def _render_block(block: Block) -> str:
    html = str(render_markdown(block.markdown))
    if block.kind == BlockKind.ITEM and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    elif block.kind == BlockKind.HEADING:
        # The section heading is h2; headings inside a section sit below it.
        for level in (5, 4, 3, 2):
            html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return html


def _canonical(spec: Spec, number: int, sections: list[SpecSection]) -> str:
    parts = [CanonicalSection(i, s.heading, s.body) for i, s in enumerate(sections, start=1)]
    return canonical_markdown(
        spec.title,
        [("Alliance", spec.alliance.name), ("Service area", spec.service_area), ("Version", str(number))],
        parts,
    )


def _place_paragraphs(
    session: Session, spec: Spec, section: SpecSection, blocks: list[Block], number: int,
    live: list[SpecParagraph],
) -> dict[str, SpecParagraph]:
    """Carry the section's paragraphs over to the new blocks; returns block key -> paragraph."""
    anchors = {Anchor(p.key, p.text, p.position): p for p in live}
    placements = reanchor(anchors.keys(), blocks)
    by_key = {b.key: b for b in blocks}
    claimed: dict[str, SpecParagraph] = {}
    # Exact matches claim their blocks first, then edits, best match first.
    order = sorted(placements.items(), key=lambda kv: (kv[1].status == AnchorStatus.EDITED, -kv[1].similarity))
    for anchor, placement in order:
        paragraph = anchors[anchor]
        if placement.key is None:
            paragraph.removed_in_version = number
            _mark_comments(session, paragraph, AnchorState.REMOVED)
            continue
        if placement.key in claimed:
            # Two old paragraphs became one: their comments join the one that claimed it.
            _merge_into(session, spec, paragraph, claimed[placement.key], number)
            continue
        block = by_key[placement.key]
        claimed[placement.key] = paragraph
        paragraph.key, paragraph.text, paragraph.position = block.key, block.markdown, block.index
        paragraph.last_version = number
        if placement.status == AnchorStatus.MOVED:
            _mark_comments(session, paragraph, AnchorState.MOVED, only=(AnchorState.CURRENT,))
        elif placement.status == AnchorStatus.EDITED:
            _mark_comments(session, paragraph, AnchorState.EDITED, only=(AnchorState.CURRENT, AnchorState.MOVED))
    for block in blocks:
        if block.commentable and block.key not in claimed:
            paragraph = SpecParagraph(
                spec_id=spec.id, section_id=section.id, key=block.key, text=block.markdown,
                position=block.index, first_version=number, last_version=number,
            )
            session.add(paragraph)
            claimed[block.key] = paragraph
    return claimed


def _mark_comments(
    session: Session, paragraph: SpecParagraph, state: AnchorState, only: tuple[AnchorState, ...] | None = None
) -> None:
    if paragraph.id is None:
        return
    stmt = update(SpecComment).where(SpecComment.paragraph_id == paragraph.id)
    if only:
        stmt = stmt.where(SpecComment.anchor.in_(only))
    session.execute(stmt.values(anchor=state).execution_options(synchronize_session=False))


def _merge_into(session: Session, spec: Spec, gone: SpecParagraph, keeper: SpecParagraph, number: int) -> None:
    gone.removed_in_version = number
    old_thread = documents.get_thread(session, SUBJECT, gone.id)
    if old_thread is not None:
        new_thread = documents.get_or_create_thread(session, spec.alliance, SUBJECT, keeper.id)
        session.execute(
            update(Comment).where(Comment.thread_id == old_thread.id).values(thread_id=new_thread.id)
            .execution_options(synchronize_session=False)
        )
    session.execute(
        update(SpecComment).where(SpecComment.paragraph_id == gone.id)
        .values(paragraph_id=keeper.id, anchor=AnchorState.EDITED)
        .execution_options(synchronize_session=False)
    )


def _renumber_comments(session: Session, spec: Spec) -> None:
    """Put every comment's position_key back in step with its paragraph and section (one statement)."""
    session.flush()
    key = (
        select(SpecSection.position * POSITION_SCALE + SpecParagraph.position)
        .join(SpecSection, SpecSection.id == SpecParagraph.section_id)
        .where(SpecParagraph.id == SpecComment.paragraph_id)
        .scalar_subquery()
    )
    session.execute(
        update(SpecComment).where(SpecComment.spec_id == spec.id).values(position_key=key)
        .execution_options(synchronize_session=False)
    )


def _freeze(session: Session, actor: User, spec: Spec, stage: SpecStatus, note: str) -> SpecVersion:
    """Freeze the working copy into a new version and carry every comment over to it."""
    session.flush()
    number = (session.scalar(select(func.max(SpecVersion.number)).where(SpecVersion.spec_id == spec.id)) or 0) + 1
    sections = sorted(spec.sections, key=lambda s: s.position)
    text = _canonical(spec, number, sections)
    version = SpecVersion(
        spec_id=spec.id, number=number, stage=stage, note=note, title=spec.title, summary=spec.summary,
        easy_read=spec.easy_read, canonical_text=text, sha256=sha256_hex(text), created_by_id=actor.id,
        created_at=utcnow(),
    )
    session.add(version)
    live = session.scalars(
        select(SpecParagraph).where(SpecParagraph.spec_id == spec.id, SpecParagraph.removed_in_version.is_(None))
    ).all()
    by_section: dict[int, list[SpecParagraph]] = {}
    for paragraph in live:
        by_section.setdefault(paragraph.section_id, []).append(paragraph)
    frozen: list[tuple[SpecSection, list[Block], dict[str, SpecParagraph]]] = []
    for section in sections:
        blocks = split_blocks(section.body)
        frozen.append((section, blocks, _place_paragraphs(session, spec, section, blocks, number, by_section.get(section.id, []))))
    session.flush()  # new paragraphs get their ids
    for section, blocks, paragraphs in frozen:
        version.sections.append(
            SpecSectionVersion(
                section_id=section.id,
                position=section.position,
                heading=section.heading,
                body=section.body,
                blocks=[
                    {
                        "paragraph": paragraphs[b.key].id if b.key in paragraphs else None,
                        "key": b.key,
                        "kind": b.kind.value,
                        "html": _render_block(b),
                        "list": b.list_group,
                        "ordered": b.ordered,
                        "level": b.level,
                        "start": b.start,
                    }
                    for b in blocks
                ],
            )
        )
    session.flush()
    spec.current_version_id = version.id
    session.flush()
    _renumber_comments(session, spec)
    _mark_changes_shared(session, spec, number, {s.id: section_text(s.heading, s.body) for s in sections})
    return version


#: Outcomes that claim the text of a section was changed.
CHANGE_OUTCOMES = (Outcome.CHANGED, Outcome.PARTLY_CHANGED)


def section_text(heading: str, body: str) -> str:
    """A section as "you said, we did" compares it: its heading, then its text."""
    return f"{heading}\n\n{body}".strip()


def _section_texts(
    session: Session, spec_id: int, section_ids: Iterable[int], numbers: Iterable[int]
) -> dict[tuple[int, int], str]:
    """(section id, version number) -> the section's text in that version (one query)."""
    section_ids, numbers = set(section_ids), set(numbers)
    if not section_ids or not numbers:
        return {}
    rows = session.execute(
        select(SpecVersion.number, SpecSectionVersion.section_id, SpecSectionVersion.heading, SpecSectionVersion.body)
        .join(SpecVersion, SpecVersion.id == SpecSectionVersion.version_id)
        .where(
            SpecVersion.spec_id == spec_id,
            SpecSectionVersion.section_id.in_(section_ids),
            SpecVersion.number.in_(numbers),
        )
    )
    return {(section_id, number): section_text(heading, body) for number, section_id, heading, body in rows}


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


def _mark_changes_shared(session: Session, spec: Spec, number: int, new_texts: dict[int, str]) -> None:
    """Responses waiting for their change get this draft's number, if the draft really has the change."""
    pending = session.execute(
        select(SpecResponse.change_section_id, SpecComment.version_number)
        .distinct()
        .join(SpecComment, SpecComment.id == SpecResponse.spec_comment_id)
        .where(
            SpecResponse.spec_id == spec.id,
            SpecResponse.outcome.in_(CHANGE_OUTCOMES),
            SpecResponse.change_version_number.is_(None),
            SpecResponse.change_section_id.is_not(None),
        )
    ).all()
    if not pending:
        return
    before = _section_texts(session, spec.id, {s for s, _ in pending}, {v for _, v in pending})
    for section_id, commented_on in pending:
        if new_texts.get(section_id, "") == before.get((section_id, commented_on), ""):
            continue  # the section was put back as it was: no change to point to
        session.execute(
            update(SpecResponse)
            .where(
                SpecResponse.spec_id == spec.id,
                SpecResponse.outcome.in_(CHANGE_OUTCOMES),
                SpecResponse.change_version_number.is_(None),
                SpecResponse.change_section_id == section_id,
                SpecResponse.spec_comment_id.in_(
                    select(SpecComment.id).where(SpecComment.spec_id == spec.id, SpecComment.version_number == commented_on)
                ),
            )
            .values(change_version_number=number)
            .execution_options(synchronize_session=False)
        )


def open_consultation(
    session: Session, actor: User, spec: Spec, *, opens_on: date, closes_on: date, note: str = ""
) -> SpecVersion:
    """Freeze the draft and open it for comments between two dates."""
    if not spec.is_drafting:
        raise DomainError("Only a specification that is being drafted can be opened for comments")
    if closes_on <= opens_on:
        raise DomainError("The closing date must be after the opening date", field="closes_on")
    if not any(s.body.strip() for s in spec.sections):
        raise DomainError("Write at least one section before opening the specification for comments")
    spec.status = SpecStatus.CONSULTATION
    spec.consultation_opens_on, spec.consultation_closes_on = opens_on, closes_on
    version = _freeze(session, actor, spec, SpecStatus.CONSULTATION, note or "Draft for comments")
    audit.record(session, actor, "spec.consultation_opened", spec, alliance=spec.alliance, label=spec.title,
                 detail={"version": version.number, "opens": opens_on.isoformat(), "closes": closes_on.isoformat()})
    return version


def share_redraft(session: Session, actor: User, spec: Spec, *, note: str) -> SpecVersion:
    """Share the working copy as a new draft; comments move with their paragraphs."""
    if spec.status not in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING):
        raise DomainError("A new draft can be shared only while the specification is open for comments or being reviewed")
    note = _check_text(note, "what changed in this draft", "note", 2000)
    previous = spec.current_version
    if previous is not None and _canonical(spec, previous.number, sorted(spec.sections, key=lambda s: s.position)) == previous.canonical_text:
        raise DomainError("Nothing has changed since the last draft was shared")
    version = _freeze(session, actor, spec, spec.status, note)
    audit.record(session, actor, "spec.draft_shared", spec, alliance=spec.alliance, label=spec.title,
                 detail={"version": version.number, "note": note})
    return version


def close_consultation(session: Session, actor: User, spec: Spec) -> None:
    """Stop taking comments and start answering them."""
    if not spec.is_in_consultation:
        raise DomainError("This specification is not open for comments")
    spec.status = SpecStatus.REVIEWING
    session.flush()
    audit.record(session, actor, "spec.consultation_closed", spec, alliance=spec.alliance, label=spec.title)


def unanswered_count(session: Session, spec: Spec) -> int:
    """Top-level comments still waiting for a response (hidden and deleted ones do not count)."""
    hidden_or_deleted = (
        select(Comment.id)
        .join(DiscussionThread, DiscussionThread.id == Comment.thread_id)
        .join(SpecParagraph, SpecParagraph.id == DiscussionThread.subject_id)
        .where(
            DiscussionThread.subject_type == SUBJECT,
            SpecParagraph.spec_id == spec.id,
            or_(Comment.hidden_at.is_not(None), Comment.deleted_at.is_not(None)),
        )
    )
    return session.scalar(
        select(func.count(SpecComment.id))
        .outerjoin(SpecResponse, SpecResponse.spec_comment_id == SpecComment.id)
        .where(
            SpecComment.spec_id == spec.id,
            SpecResponse.id.is_(None),
            SpecComment.comment_id.not_in(hidden_or_deleted),
        )
    ) or 0


def publish(session: Session, actor: User, spec: Spec, *, override_reason: str | None = None) -> SpecVersion:
    """Publish the final specification. Blocked while comments are unanswered, unless a
    commissioner confirms with a reason (recorded on the spec and in the audit trail)."""
    if not spec.is_reviewing:
        raise DomainError("Close the consultation and review the comments before publishing")
    waiting = unanswered_count(session, spec)
    reason = (override_reason or "").strip()
    if waiting:
        from collab.security import Permission, can

        # Only commissioners hold SPEC_MANAGE (collab/specs/permissions.py).
        if not can(Permission.SPEC_MANAGE, spec, user=actor):
            raise NotAllowed("Only a commissioner can publish while comments are unanswered")
        if not reason:
            raise DomainError(
                f"{waiting} comment{'s are' if waiting != 1 else ' is'} still waiting for a response. "
                "Answer them, or give the reason for publishing now",
                field="reason",
            )
        if len(reason) > 2000:
            raise DomainError("The reason must be 2,000 characters or fewer", field="reason")
        spec.publish_override_by_id = actor.id
        spec.publish_override_reason = reason
        spec.publish_override_unanswered = waiting
    spec.status = SpecStatus.PUBLISHED
    spec.published_at = utcnow()
    version = _freeze(session, actor, spec, SpecStatus.PUBLISHED, "Published")
    audit.record(
        session, actor, "spec.published", spec, alliance=spec.alliance, label=spec.title,
        detail={"version": version.number, "unanswered": waiting, "reason": reason or None},
    )
    return version


# Comments ------------------------------------------------------------------------------


def paragraph_for(session: Session, spec: Spec, paragraph_id: int) -> SpecParagraph | None:
    paragraph = session.get(SpecParagraph, paragraph_id)
    return paragraph if paragraph is not None and paragraph.spec_id == spec.id else None


def add_comment(
    session: Session,
    actor: User,
    paragraph: SpecParagraph,
    *,
    body: str,
    on_behalf_of: User | None = None,
    on_behalf_of_name: str | None = None,
    on_behalf_role: Role | None = None,
    url: str = "",
) -> SpecComment:
    """Comment on a paragraph during consultation; facilitators may add one for someone else."""
    spec = paragraph.spec
    if not spec.is_taking_comments:
        raise DomainError(f"Comments are closed. {spec.comments_closed_reason}")
    if paragraph.is_removed:
        raise DomainError("That paragraph is not in the current draft")
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
    comment = documents.add_comment(
        session, actor, alliance, SUBJECT, paragraph.id, body=body, on_behalf_of=on_behalf_of,
        on_behalf_of_name=on_behalf_of_name, subject_label=f"a paragraph of {spec.title}", url=url,
    )
    number = session.scalar(select(SpecVersion.number).where(SpecVersion.id == spec.current_version_id)) or 1
    meta = SpecComment(
        comment_id=comment.id, spec_id=spec.id, section_id=paragraph.section_id, paragraph_id=paragraph.id,
        version_number=number, quote=paragraph.text, speaker_role=speaker_role, anchor=AnchorState.CURRENT,
        position_key=paragraph.section.position * POSITION_SCALE + paragraph.position,
        support_count=0, created_at=comment.created_at,
    )
    session.add(meta)
    session.flush()
    return meta


def reply(session: Session, actor: User, parent: SpecComment, *, body: str, url: str = "") -> Comment:
    """Reply in a comment's thread (open while the spec is in consultation or review)."""
    spec = parent.spec
    if spec.status not in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING):
        raise DomainError("Replies are closed for this specification")
    if parent.comment.is_hidden:
        raise DomainError("That comment is hidden, so you cannot reply to it")
    return documents.add_comment(
        session, actor, spec.alliance, SUBJECT, parent.paragraph_id, body=body, parent=parent.comment,
        subject_label=f"a paragraph of {spec.title}", url=url,
    )


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


def visible_clause(viewer: Any, moderator: bool) -> Any:
    """Hidden comments only for moderators and their author; deleted ones never."""
    clause = Comment.deleted_at.is_(None)
    if moderator:
        return clause
    viewer_id = getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None
    return and_(clause, or_(Comment.hidden_at.is_(None), Comment.author_id == viewer_id))


@dataclass
class CommentFilter:
    section_id: int | None = None
    #: "awaiting" or "responded".
    status: str | None = None
    service_users: bool = False
    paragraph_id: int | None = None


def comments_query(spec: Spec, filters: CommentFilter, viewer: Any, moderator: bool, *, brief: bool = False) -> Select[Any]:
    """Top-level comments on a spec, filtered, in section then paragraph order.

    ``brief`` leaves out who responded and which section changed (the report does not show them).
    """
    stmt = (
        select(SpecComment)
        .join(Comment, Comment.id == SpecComment.comment_id)
        .outerjoin(SpecResponse, SpecResponse.spec_comment_id == SpecComment.id)
        .where(SpecComment.spec_id == spec.id, visible_clause(viewer, moderator))
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
    if filters.status == "awaiting":
        stmt = stmt.where(SpecResponse.id.is_(None))
    elif filters.status == "responded":
        stmt = stmt.where(SpecResponse.id.is_not(None))
    if filters.service_users:
        stmt = stmt.where(SpecComment.speaker_role == Role.SERVICE_USER)
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


def paragraph_counts(session: Session, spec: Spec, viewer: Any, moderator: bool) -> dict[int, int]:
    """Comments (and replies) per paragraph that this viewer can see (one query)."""
    rows = session.execute(
        select(DiscussionThread.subject_id, func.count(Comment.id))
        .join(Comment, Comment.thread_id == DiscussionThread.id)
        .join(SpecParagraph, SpecParagraph.id == DiscussionThread.subject_id)
        .where(
            DiscussionThread.subject_type == SUBJECT,
            SpecParagraph.spec_id == spec.id,
            visible_clause(viewer, moderator),
        )
        .group_by(DiscussionThread.subject_id)
    )
    return dict(rows.all())


def removed_paragraph_comments(session: Session, spec: Spec) -> dict[int, int]:
    """Per section: how many comments are about paragraphs that were removed (one query)."""
    rows = session.execute(
        select(SpecComment.section_id, func.count(SpecComment.id))
        .where(SpecComment.spec_id == spec.id, SpecComment.anchor == AnchorState.REMOVED)
        .group_by(SpecComment.section_id)
    )
    return dict(rows.all())


# "You said, we did" ----------------------------------------------------------------------

OUTCOME_ORDER = [Outcome.CHANGED, Outcome.PARTLY_CHANGED, Outcome.NOT_CHANGED, Outcome.ANSWERED]
ROLE_ORDER = [Role.SERVICE_USER, Role.PROVIDER, Role.COMMISSIONER, Role.FACILITATOR, Role.OBSERVER]


@dataclass
class ReportCounts:
    total: int = 0
    awaiting: int = 0
    by_outcome: dict[Outcome, int] = field(default_factory=dict)
    #: role -> {"comments": n, "responded": n, outcome: n}
    by_role: dict[Role, dict[str, int]] = field(default_factory=dict)


def unseen_comment_ids(spec: Spec, viewer: Any, moderator: bool) -> Select[Any]:
    """The ids of this spec's comments the viewer may not see (deleted, or hidden from them).

    There are few of these, and they are found from the comment index alone, which is far
    cheaper than joining every comment of a long consultation to test it.
    """
    hidden = Comment.hidden_at.is_not(None)
    if not moderator:
        viewer_id = getattr(viewer, "id", None) if getattr(viewer, "is_authenticated", False) else None
        hidden_from_viewer = and_(hidden, Comment.author_id != viewer_id) if viewer_id is not None else hidden
        condition = or_(Comment.deleted_at.is_not(None), hidden_from_viewer)
    else:
        condition = Comment.deleted_at.is_not(None)
    return (
        select(Comment.id)
        .join(DiscussionThread, DiscussionThread.id == Comment.thread_id)
        .join(SpecParagraph, SpecParagraph.id == DiscussionThread.subject_id)
        .where(DiscussionThread.subject_type == SUBJECT, SpecParagraph.spec_id == spec.id, condition)
    )


def report_counts(session: Session, spec: Spec, viewer: Any, moderator: bool) -> ReportCounts:
    """Counts of comments and responses by outcome and by role (one query)."""
    rows = session.execute(
        select(SpecComment.speaker_role, SpecResponse.outcome, func.count(SpecComment.id))
        .outerjoin(SpecResponse, SpecResponse.spec_comment_id == SpecComment.id)
        .where(SpecComment.spec_id == spec.id, SpecComment.comment_id.not_in(unseen_comment_ids(spec, viewer, moderator)))
        .group_by(SpecComment.speaker_role, SpecResponse.outcome)
    ).all()
    counts = ReportCounts(by_outcome=dict.fromkeys(OUTCOME_ORDER, 0))
    for role, outcome, n in rows:
        role = Role(role)
        entry = counts.by_role.setdefault(role, {"comments": 0, "responded": 0, **{o.value: 0 for o in OUTCOME_ORDER}})
        entry["comments"] += n
        counts.total += n
        if outcome is None:
            counts.awaiting += n
        else:
            outcome = Outcome(outcome)
            entry["responded"] += n
            entry[outcome.value] += n
            counts.by_outcome[outcome] += n
    counts.by_role = {r: counts.by_role[r] for r in ROLE_ORDER if r in counts.by_role}
    return counts


def _report_batches(session: Session, spec: Spec, viewer: Any, moderator: bool) -> Iterator[list[SpecComment]]:
    stmt = comments_query(spec, CommentFilter(), viewer, moderator)
    offset = 0
    while True:
        batch = session.scalars(stmt.limit(500).offset(offset)).all()
        if not batch:
            return
        yield list(batch)
        offset += len(batch)


def report_rows(session: Session, spec: Spec, viewer: Any, moderator: bool) -> Iterator[SpecComment]:
    """Every visible top-level comment, in report order, loaded in batches (for CSV)."""
    for batch in _report_batches(session, spec, viewer, moderator):
        yield from batch


@dataclass(frozen=True)
class ResponseChange:
    """What a "changed" response points to: the section before the comment and after the change."""

    #: The draft the comment was made on, and the draft with the change (None: not shared yet).
    from_number: int
    to_number: int | None
    heading: str = ""
    old: str = ""
    new: str = ""

    @property
    def shared(self) -> bool:
        return self.to_number is not None

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def html(self) -> Any:
        return render_compact_diff(self.old, self.new)

    def text(self) -> str:
        if not self.shared:
            return "The change will be in the next draft"
        if not self.changed:
            return "No change to the text of this section was found"
        return plain_diff(self.old, self.new)


def response_changes(session: Session, spec: Spec, items: Iterable[SpecComment]) -> dict[int, ResponseChange]:
    """For each comment answered "changed", the text change it points to, keyed by comment (one query)."""
    answered = [
        (sc, sc.response) for sc in items
        if sc.response is not None and sc.response.outcome in CHANGE_OUTCOMES and sc.response.change_section_id
    ]
    shared = [(sc, r) for sc, r in answered if r.change_version_number]
    rows = session.execute(
        select(SpecVersion.number, SpecSectionVersion.section_id, SpecSectionVersion.heading, SpecSectionVersion.body)
        .join(SpecVersion, SpecVersion.id == SpecSectionVersion.version_id)
        .where(
            SpecVersion.spec_id == spec.id,
            SpecSectionVersion.section_id.in_({r.change_section_id for _, r in shared}),
            SpecVersion.number.in_({sc.version_number for sc, _ in shared} | {r.change_version_number for _, r in shared}),
        )
    ).all() if shared else []
    found = {(section_id, number): (heading, section_text(heading, body)) for number, section_id, heading, body in rows}
    changes = {}
    for sc, r in answered:
        if not r.change_version_number:
            changes[sc.id] = ResponseChange(from_number=sc.version_number, to_number=None)
            continue
        _, old = found.get((r.change_section_id, sc.version_number), ("", ""))
        heading, new = found.get((r.change_section_id, r.change_version_number), ("", ""))
        changes[sc.id] = ResponseChange(sc.version_number, r.change_version_number, heading, old, new)
    return changes


CSV_HEADER = [
    "Comment number", "Section", "Paragraph now", "What the comment was about (quote)", "Comment",
    "From", "Role", "Added by", "Date", "Supported by", "Outcome", "Response", "Responded by",
    "Section changed", "Changed in version", "How the section changed",
]


def report_csv_rows(session: Session, spec: Spec, viewer: Any, moderator: bool) -> Iterator[list[Any]]:
    """The report for a spreadsheet, one row per comment, read in batches as it is written.

    Cells are returned raw: collab.csv_export escapes them.
    """
    for batch in _report_batches(session, spec, viewer, moderator):
        changes = response_changes(session, spec, batch)
        for sc in batch:
            c, r = sc.comment, sc.response
            hidden = c.is_hidden and not moderator and c.author_id != getattr(viewer, "id", None)
            change = changes.get(sc.id)
            yield [
                sc.id,
                sc.section.heading,
                "(removed)" if sc.paragraph.is_removed else normalise(sc.paragraph.text),
                normalise(sc.quote),
                "(hidden by a moderator)" if hidden else c.body,
                c.speaker_name,
                sc.speaker_role.label,
                c.author.display_name if (c.on_behalf_of_name and c.author) else "",
                c.created_at.date().isoformat(),
                sc.support_count,
                r.outcome.label if r else "Awaiting response",
                r.text if r else "",
                r.responded_by.display_name if r and r.responded_by else "",
                r.change_section.heading if r and r.change_section else "",
                r.change_version_number or "" if r else "",
                change.text() if change else "",
            ]


# Version comparison ------------------------------------------------------------------------


@dataclass
class SectionChange:
    heading: str
    old_heading: str | None
    old_body: str
    new_body: str

    @property
    def changed(self) -> bool:
        return self.old_body != self.new_body or (self.old_heading is not None and self.old_heading != self.heading)


def compare(session: Session, old: SpecVersion, new: SpecVersion) -> list[SectionChange]:
    """Section by section, what changed from one version to another (two queries)."""
    rows = session.scalars(
        select(SpecSectionVersion)
        .where(SpecSectionVersion.version_id.in_([old.id, new.id]))
        .order_by(SpecSectionVersion.position)
    ).all()
    before = {r.section_id: r for r in rows if r.version_id == old.id}
    after = [r for r in rows if r.version_id == new.id]
    changes = [
        SectionChange(
            heading=r.heading,
            old_heading=before[r.section_id].heading if r.section_id in before else None,
            old_body=before[r.section_id].body if r.section_id in before else "",
            new_body=r.body,
        )
        for r in after
    ]
    after_ids = {r.section_id for r in after}
    for section_id, r in before.items():
        if section_id not in after_ids:
            changes.append(SectionChange(heading=r.heading, old_heading=r.heading, old_body=r.body, new_body=""))
    return changes


def spec_outcome_counts(session: Session, spec_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(comments, responded) per spec, for the list page (one query)."""
    if not spec_ids:
        return {}
    rows = session.execute(
        select(
            SpecComment.spec_id,
            func.count(SpecComment.id),
            func.count(SpecResponse.id),
        )
        .outerjoin(SpecResponse, SpecResponse.spec_comment_id == SpecComment.id)
        .where(SpecComment.spec_id.in_(spec_ids))
        .group_by(SpecComment.spec_id)
    )
    return {sid: (n, responded) for sid, n, responded in rows}




def link_clauses(session: Session, actor: User, spec: Spec, clauses: list[Any], *, unknown: int = 0) -> None:
    """Set the agreement clauses this specification relies on (clauses of its own alliance only)."""
    from collab.specs.models import SpecClauseLink

    if unknown:
        raise DomainError("Choose only clauses of this alliance's agreement")
    if any(c.agreement.alliance_id != spec.alliance_id for c in clauses):
        raise DomainError("Choose only clauses of this alliance's agreement")
    existing = {link.clause_id: link for link in session.scalars(select(SpecClauseLink).where(SpecClauseLink.spec_id == spec.id))}
    wanted = {c.id for c in clauses}
    for clause_id, link in existing.items():
        if clause_id not in wanted:
            session.delete(link)
    for clause in clauses:
        if clause.id not in existing:
            session.add(SpecClauseLink(spec_id=spec.id, clause_id=clause.id, created_by_id=actor.id, created_at=utcnow()))
    session.flush()
    audit.record(session, actor, "spec.clauses_linked", spec, alliance=spec.alliance, label=spec.title,
                 detail={"count": len(wanted)})
