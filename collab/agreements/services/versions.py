"""Versions: publishing the working draft as an immutable version with its canonical text and
SHA-256, loading versions, and comparing two of them clause by clause.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.agreements import links
from collab.agreements.models import Agreement, AgreementVersion, VersionClause
from collab.agreements.services._common import active_clauses
from collab.agreements.services.seats import member_organisations
from collab.db import utcnow
from collab.documents.canonical import Section, canonical_markdown
from collab.documents.freezing import fingerprint, next_number, refuse_unchanged
from collab.errors import Conflict, DomainError
from collab.notifications.services import notify, resolve


def signature_action(version: AgreementVersion, organisation_id: int) -> str:
    """The action key of "sign this version for your organisation" (settled when anyone signs for it)."""
    return f"version:{version.id}:org:{organisation_id}"


def versions(session: Session, agreement: Agreement) -> list[AgreementVersion]:
    """Every published version, newest first, with signatures and publisher."""
    return list(
        session.scalars(
            select(AgreementVersion)
            .where(AgreementVersion.agreement_id == agreement.id)
            .options(selectinload(AgreementVersion.signatures), selectinload(AgreementVersion.published_by))
            .order_by(AgreementVersion.number.desc())
        )
    )


def latest_version(session: Session, agreement: Agreement) -> AgreementVersion | None:
    """The newest published version, or None."""
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement.id)
        .order_by(AgreementVersion.number.desc())
        .limit(1)
    )


def version_in_force(session: Session, agreement: Agreement) -> AgreementVersion | None:
    """The newest version every member organisation signed."""
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement.id, AgreementVersion.in_force_at.is_not(None))
        .order_by(AgreementVersion.number.desc())
        .limit(1)
    )


def get_version(session: Session, agreement: Agreement, number: int) -> AgreementVersion | None:
    """Version ``number`` of the agreement with its clauses, or None."""
    return session.scalar(
        select(AgreementVersion)
        .where(AgreementVersion.agreement_id == agreement.id, AgreementVersion.number == number)
        .options(selectinload(AgreementVersion.clauses))
    )


def version_text(
    title: str, alliance_name: str, number: int, clauses: Iterable[tuple[int, str, str]], reference: str | None = None
) -> str:
    """The canonical Markdown of a version (rules in collab.documents.canonical).

    ``reference`` is the version's random reference: with it in the text, the SHA-256
    cannot be worked out from a guess of the words (versions published before it have none).
    """
    metadata = [("Alliance", alliance_name), ("Version", str(number))]
    if reference:
        metadata.append(("Reference", reference))
    return canonical_markdown(title, metadata, [Section(n, heading, body) for n, heading, body in clauses])


def frozen_text(version: AgreementVersion) -> str:
    """Rebuild a version's canonical text from what was frozen into it when it was published."""
    return version_text(
        version.title, version.alliance_name, version.number,
        [(c.number, c.heading, c.body) for c in version.clauses], version.reference,
    )


def publish(session: Session, actor: User, agreement: Agreement) -> AgreementVersion:
    """Freeze the current clauses into version N with its canonical text and SHA-256."""
    clauses = active_clauses(session, agreement)
    if not clauses:
        raise DomainError("Add at least one clause before you publish a version")
    latest = latest_version(session, agreement)
    number = next_number(session, AgreementVersion.number, AgreementVersion.agreement_id == agreement.id)
    alliance = agreement.alliance
    frozen = [(n, c.heading, c.body) for n, c in enumerate(clauses, start=1)]
    if latest is not None:  # compared without the random reference, which differs every time
        previous = version_text(latest.title, alliance.name, number, [(c.number, c.heading, c.body) for c in latest.clauses])
        refuse_unchanged(previous, version_text(agreement.title, alliance.name, number, frozen),
                         f"Nothing has changed since version {latest.number}, so there is nothing new to publish")
    reference = secrets.token_hex(16)
    text = version_text(agreement.title, alliance.name, number, frozen, reference)
    version = AgreementVersion(
        agreement_id=agreement.id, number=number, public_id=secrets.token_urlsafe(24), title=agreement.title,
        canonical_text=text, sha256=fingerprint(text), published_at=utcnow(), published_by_id=actor.id,
        alliance_name=alliance.name, reference=reference, audit_head=audit.current_head(session) or None,
    )
    version.clauses = [
        VersionClause(number=n, clause_id=c.id, heading=c.heading, body=c.body)
        for n, c in enumerate(clauses, start=1)
    ]
    try:
        with session.begin_nested():
            session.add(version)
    except IntegrityError:
        raise Conflict("Someone published a version at the same moment. Reload the page to see it.") from None
    agreement.drafting = False
    session.flush()
    audit.record(
        session, actor, "agreement.published", version, alliance=alliance, label=f"Version {number}",
        detail={"number": number, "sha256": version.sha256, "clauses": len(clauses), "audit_head": version.audit_head},
    )
    if latest is not None and latest.in_force_at is None:
        # The version before can no longer be signed: nobody is asked to sign it any more.
        resolve(session, f"version:{latest.id}:", prefix=True)
    organisation_of = {
        p.id: seat.organisation.id
        for seat in member_organisations(session, alliance) if seat.organisation is not None for p in seat.people
    }
    signatories = [p for seat in member_organisations(session, alliance) for p in seat.people]
    notify(
        session, signatories, "agreement_signature_needed",
        f"Version {number} of the {alliance.name} agreement is ready for your signature",
        body="Every member organisation signs it before it comes into force. One person signs for each organisation.",
        url=links.sign_url(alliance, number), alliance=alliance,
        action_key=lambda person: signature_action(version, organisation_of[person.id]),
    )
    return version


# Comparing versions -------------------------------------------------------------------------


@dataclass
class ClauseComparison:
    before: VersionClause | None
    after: VersionClause | None

    @property
    def status(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        if (self.before.heading, self.before.body) == (self.after.heading, self.after.body):
            return "unchanged"
        return "changed"


def compare_versions(older: AgreementVersion, newer: AgreementVersion) -> list[ClauseComparison]:
    """Pair clauses across two versions (by the working clause they came from), in the newer order."""
    before_by_clause = {c.clause_id: c for c in older.clauses if c.clause_id is not None}
    used: set[int] = set()
    rows: list[ClauseComparison] = []
    for after in newer.clauses:
        before = before_by_clause.get(after.clause_id) if after.clause_id is not None else None
        if before is not None:
            used.add(before.id)
        rows.append(ClauseComparison(before, after))
    for before in older.clauses:
        if before.id not in used:
            rows.append(ClauseComparison(before, None))
    return rows
