"""Drafting: the working copy of a specification (details, sections, order, plain-language scores, linked clauses)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.agreements.models import Agreement, Clause
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.documents.locking import save_if_unchanged
from collab.errors import DomainError
from collab.specs import readability
from collab.specs.models import (
    STANDARD_SECTIONS,
    Spec,
    SpecClauseLink,
    SpecSection,
    SpecStatus,
)
from collab.specs.services._common import MAX_SECTION_BODY, MAX_SECTIONS, MAX_TITLE, check_text, require_editable
from collab.specs.services.paragraphs import renumber_comments


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
        title=check_text(title, "a title", "title", MAX_TITLE),
        service_area=check_text(service_area, "the service area", "service_area", 200),
        summary=check_text(summary, "a summary", "summary", 5000, required=False),
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
    require_editable(spec)
    values = {
        "title": check_text(title, "a title", "title", MAX_TITLE),
        "service_area": check_text(service_area, "the service area", "service_area", 200),
        "summary": check_text(summary, "a summary", "summary", 5000, required=False),
        "easy_read": check_text(easy_read, "the easy-read summary", "easy_read", 10_000, required=False),
    }
    spec = save_if_unchanged(session, Spec, spec.id, expected_version, **values)
    audit.record(session, actor, "spec.details_changed", spec, alliance=spec.alliance, label=spec.title)
    return spec


def save_section(
    session: Session, actor: User, section: SpecSection, expected_version: int, *, heading: str, body: str
) -> SpecSection:
    """Save a section's working text; refused (EditConflict) if someone saved first."""
    require_editable(section.spec)
    heading = check_text(heading, "a heading", "heading", 200)
    body = check_text(body, "the text", "body", MAX_SECTION_BODY, required=False)
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
    require_editable(spec)
    if len(spec.sections) >= MAX_SECTIONS:
        raise DomainError(f"A specification can have at most {MAX_SECTIONS} sections")
    section = SpecSection(
        spec_id=spec.id,
        position=max((s.position for s in spec.sections), default=0) + 1,
        heading=check_text(heading, "a heading", "heading", 200),
        body=check_text(body, "the text", "body", MAX_SECTION_BODY, required=False),
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
    require_editable(spec)
    ordered = sorted(spec.sections, key=lambda s: s.position)
    index = ordered.index(section)
    other_index = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other_index < len(ordered):
        raise DomainError("That section cannot move that way")
    other = ordered[other_index]
    section.position, other.position = other.position, section.position
    spec.lock_version += 1
    renumber_comments(session, spec)
    audit.record(session, actor, "spec.section_moved", section, alliance=spec.alliance, label=section.heading,
                 detail={"spec": spec.title, "direction": direction})


def link_clauses(session: Session, actor: User, spec: Spec, clauses: list[Any], *, unknown: int = 0) -> None:
    """Set the agreement clauses this specification relies on (clauses of its own alliance only)."""
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


def clause_links(session: Session, spec: Spec) -> list[SpecClauseLink]:
    """The agreement clauses this specification relies on, in the agreement's order."""
    return list(
        session.scalars(
            select(SpecClauseLink).join(Clause).where(SpecClauseLink.spec_id == spec.id)
            .options(selectinload(SpecClauseLink.clause)).order_by(Clause.position)
        )
    )


def linkable_clauses(session: Session, spec: Spec) -> list[Clause]:
    """The clauses in force in this alliance's agreements, which a specification may rely on."""
    return list(
        session.scalars(
            select(Clause).join(Agreement).where(Agreement.alliance_id == spec.alliance_id, Clause.retired_at.is_(None))
            .order_by(Clause.position)
        )
    )


def find_section(session: Session, section_id: int) -> SpecSection | None:
    """A section by id, of any specification (callers check which one it belongs to)."""
    return session.get(SpecSection, section_id)


def reload_spec(session: Session, spec_id: int) -> Spec | None:
    """The specification as saved now (after an edit conflict), not as this request first read it."""
    return session.get(Spec, spec_id, populate_existing=True)


def reload_section(session: Session, section_id: int) -> SpecSection | None:
    """The section as saved now (after an edit conflict), not as this request first read it."""
    return session.get(SpecSection, section_id, populate_existing=True)
