"""Organisations, alliances, membership and invitations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.db import Base, UTCDateTime, utcnow


def _enum(cls: type[StrEnum], name: str) -> Enum:
    """Store a StrEnum by its value, as a plain string column with a check."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [m.value for m in members],
    )


class OrganisationType(StrEnum):
    CHARITY = "charity"
    SOCIAL_ENTERPRISE = "social_enterprise"
    COMMUNITY_GROUP = "community_group"
    SMALL_BUSINESS = "small_business"
    NHS_BODY = "nhs_body"
    COUNCIL_SERVICE = "council_service"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "charity": "Charity",
            "social_enterprise": "Social enterprise or CIC",
            "community_group": "Community group",
            "small_business": "Small business",
            "nhs_body": "NHS body",
            "council_service": "Council service",
            "other": "Other",
        }[self.value]


class SizeBand(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"

    @property
    def label(self) -> str:
        return {
            "micro": "Micro (fewer than 10 staff)",
            "small": "Small (10 to 49 staff)",
            "medium": "Medium (50 to 249 staff)",
            "large": "Large (250 staff or more)",
        }[self.value]

    @property
    def short_label(self) -> str:
        return self.value.capitalize()


class Role(StrEnum):
    COMMISSIONER = "commissioner"
    PROVIDER = "provider"
    SERVICE_USER = "service_user"
    FACILITATOR = "facilitator"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        return {
            "commissioner": "Commissioner",
            "provider": "Provider",
            "service_user": "Service user or carer",
            "facilitator": "Facilitator",
            "observer": "Observer",
        }[self.value]

    @property
    def plural(self) -> str:
        return {
            "commissioner": "Commissioners",
            "provider": "Providers",
            "service_user": "Service users and carers",
            "facilitator": "Facilitators",
            "observer": "Observers",
        }[self.value]


class Visibility(StrEnum):
    PRIVATE = "private"
    PUBLIC = "public"


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    org_type: Mapped[OrganisationType] = mapped_column(_enum(OrganisationType, "organisation_type"))
    size_band: Mapped[SizeBand] = mapped_column(_enum(SizeBand, "size_band"))
    #: Free text, such as "Riverside, north of the river".
    locality: Mapped[str] = mapped_column(String(200))
    #: The first half of a postcode, such as "RV2".
    postcode_district: Mapped[str | None] = mapped_column(String(8))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    company_number: Mapped[str | None] = mapped_column(String(20))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_small(self) -> bool:
        """Micro and small organisations: the ones tendering tends to shut out."""
        return self.size_band in (SizeBand.MICRO, SizeBand.SMALL)


class Alliance(Base):
    __tablename__ = "alliance"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Used in URLs; unique.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    #: Markdown source.
    purpose: Mapped[str] = mapped_column(Text, default="")
    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility, "visibility"), default=Visibility.PRIVATE
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    outcomes: Mapped[list[SharedOutcome]] = relationship(
        back_populates="alliance",
        order_by="SharedOutcome.position",
        cascade="all, delete-orphan",
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="alliance", cascade="all, delete-orphan"
    )

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def alliance(self) -> Alliance:
        """An alliance is its own alliance, for permission checks."""
        return self


class SharedOutcome(Base):
    __tablename__ = "shared_outcome"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))

    alliance: Mapped[Alliance] = relationship(back_populates="outcomes")


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "alliance_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "alliance_role"))
    #: The organisation the person represents here (required for providers).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    alliance: Mapped[Alliance] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation | None] = relationship()


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


class Invitation(Base):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(_enum(Role, "alliance_role"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    #: SHA-256 of the token in the emailed link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    alliance: Mapped[Alliance] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def status(self, now: datetime | None = None) -> InvitationStatus:
        if self.used_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REVOKED
        if (now or utcnow()) >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def is_pending(self) -> bool:
        return self.status() == InvitationStatus.PENDING


class CorrectionStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


#: The organisation details a correction may change, in the order forms show them.
ORGANISATION_FIELDS: tuple[str, ...] = (
    "name", "org_type", "size_band", "locality", "postcode_district", "charity_number", "company_number",
)


class OrganisationCorrection(Base):
    """A change to an organisation's details proposed by someone who may not edit it directly.

    A commissioner of an alliance the organisation belongs to proposes; one of the
    organisation's representatives (or a site administrator) accepts or declines.
    """

    __tablename__ = "organisation_correction"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    #: Only the fields that would change, as {field: new value} (enum fields by value).
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: Why the change is needed, in the proposer's words.
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[CorrectionStatus] = mapped_column(
        _enum(CorrectionStatus, "correction_status"), default=CorrectionStatus.PENDING
    )
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_pending(self) -> bool:
        return self.status == CorrectionStatus.PENDING
