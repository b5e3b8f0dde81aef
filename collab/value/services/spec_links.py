"""Specification sections linked to the alliance's key result areas.

A section (usually "Key result areas and measures") says which KRAs it speaks to; the spec shows
them with their target and minimum standard, and the scorecard shows which specs link to each KRA.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.errors import DomainError
from collab.specs.models import Spec, SpecSection
from collab.value.models import KeyResultArea, SpecKraLink

#: The section a spec links to its KRAs by default: one whose heading says so, best match first.
KRA_SECTION_WORDS = (re.compile(r"key result", re.IGNORECASE), re.compile(r"outcome|measure", re.IGNORECASE))


def default_section(spec: Spec) -> SpecSection | None:
    """The spec's key result areas section, else an outcomes or measures section, else its first section."""
    sections = list(spec.sections)
    for words in KRA_SECTION_WORDS:
        found = next((s for s in sections if words.search(s.heading)), None)
        if found is not None:
            return found
    return sections[0] if sections else None


def links_of_section(session: Session, section: SpecSection) -> set[int]:
    return set(session.scalars(select(SpecKraLink.kra_id).where(SpecKraLink.section_id == section.id)))


def link_section(session: Session, actor: User, section: SpecSection, kras: Sequence[KeyResultArea],
                 *, unknown: int = 0) -> None:
    """Set the KRAs a section speaks to (KRAs of the spec's own alliance only)."""
    spec = section.spec
    if unknown or any(k.alliance_id != spec.alliance_id for k in kras):
        raise DomainError("Choose only this alliance's key result areas", field="kras")
    existing = {link.kra_id: link for link in session.scalars(
        select(SpecKraLink).where(SpecKraLink.section_id == section.id))}
    wanted = {k.id for k in kras}
    for kra_id, link in existing.items():
        if kra_id not in wanted:
            session.delete(link)
    for kra in kras:
        if kra.id not in existing:
            session.add(SpecKraLink(alliance_id=spec.alliance_id, spec_id=spec.id, section_id=section.id,
                                    kra_id=kra.id, created_by_id=actor.id, created_at=utcnow()))
    session.flush()
    audit.record(session, actor, "value.spec_kras_linked", spec, alliance=spec.alliance, label=spec.title,
                 detail={"section": section.heading, "kras": sorted(k.name for k in kras)})


def kras_for_spec(session: Session, spec: Spec) -> list[tuple[SpecSection, list[KeyResultArea]]]:
    """Each section of the spec that links to KRAs, with those KRAs in the scorecard's order (two queries)."""
    rows = session.execute(
        select(SpecKraLink.section_id, KeyResultArea).join(KeyResultArea, KeyResultArea.id == SpecKraLink.kra_id)
        .where(SpecKraLink.spec_id == spec.id).order_by(KeyResultArea.position)
    ).all()
    by_section: dict[int, list[KeyResultArea]] = defaultdict(list)
    for section_id, kra in rows:
        by_section[section_id].append(kra)
    return [(s, by_section[s.id]) for s in spec.sections if s.id in by_section]


def specs_by_kra(session: Session, alliance: Alliance) -> dict[int, list[tuple[Spec, SpecSection]]]:
    """For the scorecard: the specs (and sections) that link to each KRA (one query)."""
    rows = session.execute(
        select(SpecKraLink.kra_id, Spec, SpecSection)
        .join(Spec, Spec.id == SpecKraLink.spec_id).join(SpecSection, SpecSection.id == SpecKraLink.section_id)
        .where(SpecKraLink.alliance_id == alliance.id).order_by(Spec.title, SpecSection.position)
    ).all()
    found: dict[int, list[tuple[Spec, SpecSection]]] = defaultdict(list)
    for kra_id, spec, section in rows:
        found[kra_id].append((spec, section))
    return dict(found)
