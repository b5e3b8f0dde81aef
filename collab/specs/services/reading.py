"""Finding specifications and their shared versions, and comparing two versions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from collab.alliances.models import Alliance
from collab.specs.models import (
    Spec,
    SpecComment,
    SpecResponse,
    SpecSectionVersion,
    SpecVersion,
)


def specs_for(session: Session, alliance: Alliance) -> list[Spec]:
    return list(session.scalars(select(Spec).where(Spec.alliance_id == alliance.id).order_by(Spec.id.desc())))


def get_spec(session: Session, alliance: Alliance, spec_id: int) -> Spec | None:
    spec = session.get(Spec, spec_id)
    return spec if spec is not None and spec.alliance_id == alliance.id else None


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
