"""Paragraphs: freezing the working copy into a version, and carrying every paragraph (and its comments) over to it.

Every frozen version re-anchors the comments (collab.specs.anchoring).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.db import utcnow
from collab.documents import services as documents
from collab.documents.canonical import Section as CanonicalSection
from collab.documents.canonical import canonical_markdown
from collab.documents.freezing import fingerprint, next_number
from collab.documents.models import Comment, DiscussionThread
from collab.documents.visibility import readable_by
from collab.markdown import render_markdown
from collab.specs.anchoring import Anchor, AnchorStatus, Block, BlockKind, reanchor, split_blocks
from collab.specs.models import (
    POSITION_SCALE,
    AnchorState,
    Spec,
    SpecComment,
    SpecParagraph,
    SpecResponse,
    SpecSection,
    SpecSectionVersion,
    SpecStatus,
    SpecVersion,
)
from collab.specs.services._common import CHANGE_OUTCOMES, SUBJECT, section_text


def _render_block(block: Block) -> str:
    html = str(render_markdown(block.markdown))
    if block.kind == BlockKind.ITEM and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    elif block.kind == BlockKind.HEADING:
        # The section heading is h2; headings inside a section sit below it.
        for level in (5, 4, 3, 2):
            html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return html


def canonical(spec: Spec, number: int, sections: list[SpecSection]) -> str:
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


def renumber_comments(session: Session, spec: Spec) -> None:
    """Put every comment's position_key back in step with its paragraph and section (one statement).

    Comments on a section as a whole come after its paragraphs; those on the whole spec first (-1).
    """
    session.flush()
    on_paragraph = (
        select(SpecSection.position * POSITION_SCALE + SpecParagraph.position)
        .join(SpecSection, SpecSection.id == SpecParagraph.section_id)
        .where(SpecParagraph.id == SpecComment.paragraph_id)
        .scalar_subquery()
    )
    on_section = (
        select(SpecSection.position * POSITION_SCALE + (POSITION_SCALE - 1))
        .where(SpecSection.id == SpecComment.section_id)
        .scalar_subquery()
    )
    key = case(
        (SpecComment.paragraph_id.is_not(None), on_paragraph),
        (SpecComment.section_id.is_not(None), on_section),
        else_=-1,
    )
    session.execute(
        update(SpecComment).where(SpecComment.spec_id == spec.id).values(position_key=key)
        .execution_options(synchronize_session=False)
    )


def freeze(session: Session, actor: User, spec: Spec, stage: SpecStatus, note: str) -> SpecVersion:
    """Freeze the working copy into a new version and carry every comment over to it."""
    number = next_number(session, SpecVersion.number, SpecVersion.spec_id == spec.id)
    sections = sorted(spec.sections, key=lambda s: s.position)
    text = canonical(spec, number, sections)
    version = SpecVersion(
        spec_id=spec.id, number=number, stage=stage, note=note, title=spec.title, summary=spec.summary,
        easy_read=spec.easy_read, canonical_text=text, sha256=fingerprint(text), created_by_id=actor.id,
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
    renumber_comments(session, spec)
    _mark_changes_shared(session, spec, number, {s.id: section_text(s.heading, s.body) for s in sections})
    return version


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
    # (the query keeps only responses that name a section)
    pairs = [(section_id, number) for section_id, number in pending if section_id is not None]
    if not pairs:
        return
    before = _section_texts(session, spec.id, {s for s, _ in pairs}, {v for _, v in pairs})
    for section_id, commented_on in pairs:
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


def paragraph_for(session: Session, spec: Spec, paragraph_id: int) -> SpecParagraph | None:
    paragraph = session.get(SpecParagraph, paragraph_id)
    return paragraph if paragraph is not None and paragraph.spec_id == spec.id else None


def paragraph_counts(session: Session, spec: Spec, viewer: Any, moderator: bool) -> dict[int, int]:
    """Top-level comments per paragraph that this viewer can see (one query).

    The same count as the heading of the paragraph's thread ("Comments on this paragraph (3)"),
    which lists the same comments: replies are counted apart, under each comment.
    """
    rows = session.execute(
        select(DiscussionThread.subject_id, func.count(Comment.id))
        .join(Comment, Comment.thread_id == DiscussionThread.id)
        .join(SpecParagraph, SpecParagraph.id == DiscussionThread.subject_id)
        .where(
            DiscussionThread.subject_type == SUBJECT,
            SpecParagraph.spec_id == spec.id,
            Comment.parent_id.is_(None),
            readable_by(viewer, moderator),
        )
        .group_by(DiscussionThread.subject_id)
    )
    return dict(rows.all())


def removed_paragraph_comments(session: Session, spec: Spec) -> dict[int, int]:
    """Per section: how many comments are about paragraphs that were removed (one query)."""
    rows = session.execute(
        select(SpecComment.section_id, func.count(SpecComment.id))
        .where(SpecComment.spec_id == spec.id, SpecComment.anchor == AnchorState.REMOVED,
               SpecComment.section_id.is_not(None))
        .group_by(SpecComment.section_id)
    )
    return {section_id: n for section_id, n in rows.all() if section_id is not None}


def find_paragraph(session: Session, paragraph_id: int) -> SpecParagraph | None:
    """A paragraph by id, of any specification (for the shared comment routes, which check access)."""
    return session.get(SpecParagraph, paragraph_id)
