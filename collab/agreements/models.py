"""The alliance agreement: clauses, their history, proposals and consent, versions and signatures."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance, Organisation, Role, _enum
from collab.audit import KEYED_SCHEME, LEGACY_SCHEME, canonical_json, keyed_digest
from collab.db import Base, UTCDateTime, utcnow


class Agreement(Base):
    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One agreement per alliance.
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: True while members with the drafting permission may edit clauses directly. Publishing a
    #: version closes drafting; after that changes go through proposals until a commissioner
    #: opens drafting for the next version.
    drafting: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    clauses: Mapped[list[Clause]] = relationship(
        back_populates="agreement", order_by="Clause.position", cascade="all, delete-orphan"
    )


class Clause(Base):
    __tablename__ = "clause"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    #: Order in the agreement; clause numbers count only clauses that are not retired.
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    #: Markdown source.
    body: Mapped[str] = mapped_column(Text, default="")
    #: Optimistic locking: bumped by every accepted save (collab.documents.locking).
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    agreement: Mapped[Agreement] = relationship(back_populates="clauses")
    updated_by: Mapped[User | None] = relationship()

    @property
    def alliance(self) -> Alliance:
        return self.agreement.alliance

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class RevisionSource(StrEnum):
    CREATED = "created"
    EDIT = "edit"
    PROPOSAL = "proposal"
    RETIRED = "retired"


class ClauseRevision(Base):
    """Every accepted change to a clause, in order: the clause's history."""

    __tablename__ = "clause_revision"
    __table_args__ = (UniqueConstraint("clause_id", "lock_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clause.id", ondelete="CASCADE"), index=True)
    #: The clause's lock version this revision produced (unique per clause: no lost update).
    lock_version: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    source: Mapped[RevisionSource] = mapped_column(_enum(RevisionSource, "clause_revision_source"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class ProposalKind(StrEnum):
    AMEND = "amend"
    NEW_CLAUSE = "new_clause"


class ProposalStatus(StrEnum):
    OPEN = "open"
    CARRIED = "carried"
    WITHDRAWN = "withdrawn"
    #: A commissioner used a reserved power to decide it.
    RESERVED = "reserved"

    @property
    def label(self) -> str:
        return {
            "open": "Open",
            "carried": "Carried",
            "withdrawn": "Withdrawn",
            "reserved": "Decided by reserved power",
        }[self.value]


class Proposal(Base):
    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ProposalKind] = mapped_column(_enum(ProposalKind, "proposal_kind"))
    #: The clause to change; None for a new clause until it is carried (then the new clause).
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id", ondelete="SET NULL"), index=True)
    heading: Mapped[str] = mapped_column(String(200))
    #: The proposed text (Markdown).
    body: Mapped[str] = mapped_column(Text)
    #: Why the proposer wants the change.
    reason: Mapped[str] = mapped_column(Text)
    #: The clause's heading and text when the proposal was made or last revised (for the diff).
    base_heading: Mapped[str] = mapped_column(String(200), default="")
    base_body: Mapped[str] = mapped_column(Text, default="")
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ProposalStatus] = mapped_column(
        _enum(ProposalStatus, "proposal_status"), default=ProposalStatus.OPEN
    )
    #: Bumped when the proposer revises it; responses count only for the current revision.
    revision: Mapped[int] = mapped_column(Integer, default=1)
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: For reserved-power decisions and withdrawals: the reason, shown to everyone.
    decision_reason: Mapped[str | None] = mapped_column(Text)
    #: For reserved-power decisions: whether the change was applied.
    applied: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The seats that had not answered the current revision when it was decided, as
    #: [{"key": "org:5", "label": "Mind in Riverside"}] (None for decisions made before it was kept).
    unanswered_seats: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    #: Whose words these are when a group's (a workshop table): "From the 3 March workshop, table 2 (4 people)".
    group_label: Mapped[str | None] = mapped_column(String(200), default=None)
    #: How many people that group speaks for (None: the proposer's own proposal). Counted as a group, never one person.
    group_size: Mapped[int | None] = mapped_column(Integer, default=None)
    #: The event it came from, such as "workshop:12", and its name on screen; written by the area that raised it.
    source_key: Mapped[str | None] = mapped_column(String(60), default=None)
    source_label: Mapped[str | None] = mapped_column(String(200), default=None)

    agreement: Mapped[Agreement] = relationship()
    clause: Mapped[Clause | None] = relationship()
    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    responses: Mapped[list[ProposalResponse]] = relationship(
        back_populates="proposal", order_by="ProposalResponse.id", cascade="all, delete-orphan"
    )

    @property
    def alliance(self) -> Alliance:
        return self.agreement.alliance

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN

    def current_responses(self) -> list[ProposalResponse]:
        return [r for r in self.responses if r.revision == self.revision]


class ResponseKind(StrEnum):
    AGREE = "agree"
    STAND_ASIDE = "stand_aside"
    OBJECT = "object"

    @property
    def label(self) -> str:
        return {"agree": "Agree", "stand_aside": "Stand aside", "object": "Object"}[self.value]


class ProposalResponse(Base):
    """One seat's response to one revision of a proposal (changed in place if they change their mind)."""

    __tablename__ = "proposal_response"
    __table_args__ = (UniqueConstraint("proposal_id", "revision", "seat_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    #: "org:<organisation id>" for an organisation's seat, "person:<user id>" for a service-user seat.
    seat_key: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    #: Who answered for the seat.
    responder_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    response: Mapped[ResponseKind] = mapped_column(_enum(ResponseKind, "proposal_response_kind"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="responses")
    organisation: Mapped[Organisation | None] = relationship()
    responder: Mapped[User | None] = relationship()


class AgreementVersion(Base):
    """A published, frozen version. Never changed after it is written."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: Unguessable id for the public verification link (/verify/<public_id>).
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    #: The canonical Markdown (collab.documents.canonical); its SHA-256 is ``sha256``.
    canonical_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: Set when every member organisation has signed.
    in_force_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The alliance's name when the version was published (the canonical text says it;
    #: verification rebuilds the text from frozen data only, so a rename changes nothing).
    alliance_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    #: 128 random bits written into the canonical text, so that nobody can compute the
    #: version's SHA-256 from a guess of its words. None for versions published before it.
    reference: Mapped[str | None] = mapped_column(String(40))
    #: ``id:hash`` of the newest audit entry when the version was published.
    audit_head: Mapped[str | None] = mapped_column(String(90))

    agreement: Mapped[Agreement] = relationship()
    published_by: Mapped[User | None] = relationship()
    clauses: Mapped[list[VersionClause]] = relationship(
        back_populates="version", order_by="VersionClause.number", cascade="all, delete-orphan"
    )
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="version", order_by="Signature.signed_at"
    )

    @property
    def alliance(self) -> Alliance:
        return self.agreement.alliance

    @property
    def is_in_force(self) -> bool:
        return self.in_force_at is not None


class VersionClause(Base):
    __tablename__ = "agreement_version_clause"
    __table_args__ = (UniqueConstraint("version_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_version.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    #: The working clause it was frozen from (to compare the same clause across versions).
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id", ondelete="SET NULL"))
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)

    version: Mapped[AgreementVersion] = relationship(back_populates="clauses")


class Signature(Base):
    """An organisation's signature on one version. Never edited or deleted."""

    __tablename__ = "signature"
    __table_args__ = (UniqueConstraint("version_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("agreement_version.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    #: Kept as it was at signing time, so the record reads the same if the organisation is renamed.
    organisation_name: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    role: Mapped[Role] = mapped_column(_enum(Role, "alliance_role"))
    #: The full name the signatory typed.
    typed_name: Mapped[str] = mapped_column(String(200))
    #: The signed-in account's display name at signing time (the typed name must match it).
    account_name: Mapped[str | None] = mapped_column(String(100))
    #: The exact statement they ticked.
    statement: Mapped[str] = mapped_column(Text)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(400), default="")
    #: The SHA-256 of the version they signed, copied at signing time.
    version_sha256: Mapped[str] = mapped_column(String(64))
    #: The organisation joined after the version came into force and signed it to join.
    is_accession: Mapped[bool] = mapped_column(Boolean, default=False)
    #: HMAC-SHA256 under SIGNING_KEY over every field above (see ``compute_hash``); a changed
    #: row no longer matches and cannot be re-hashed without the key.
    record_hash: Mapped[str] = mapped_column(String(64))
    #: KEYED_SCHEME, or LEGACY_SCHEME for signatures made before hashes were keyed.
    hash_scheme: Mapped[str] = mapped_column(String(20), default=KEYED_SCHEME, server_default=LEGACY_SCHEME)

    version: Mapped[AgreementVersion] = relationship(back_populates="signatures")
    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()

    def compute_hash(self) -> str:
        payload = {
            "version_id": self.version_id,
            "version_sha256": self.version_sha256,
            "organisation_id": self.organisation_id,
            "organisation_name": self.organisation_name,
            "user_id": self.user_id,
            "role": Role(self.role).value,
            "typed_name": self.typed_name,
            "statement": self.statement,
            "signed_at": self.signed_at.isoformat(timespec="microseconds"),
            "ip_address": self.ip_address,
            "user_agent": self.user_agent,
            "is_accession": bool(self.is_accession),
        }
        if self.is_legacy:
            canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        payload["account_name"] = self.account_name
        payload["scheme"] = KEYED_SCHEME
        return keyed_digest("SIGNING_KEY", canonical_json(payload))

    @property
    def is_legacy(self) -> bool:
        return self.hash_scheme == LEGACY_SCHEME


class ImmutableRecord(Exception):
    """Raised when code tries to change a signature or a published version."""


@event.listens_for(Signature, "before_update")
def _no_signature_update(_mapper: object, _connection: object, target: Signature) -> None:
    raise ImmutableRecord("A signature cannot be changed")


@event.listens_for(Signature, "before_delete")
def _no_signature_delete(_mapper: object, _connection: object, target: Signature) -> None:
    raise ImmutableRecord("A signature cannot be deleted")


@event.listens_for(VersionClause, "before_update")
def _no_version_clause_update(_mapper: object, _connection: object, target: VersionClause) -> None:
    raise ImmutableRecord("A published version cannot be changed")
