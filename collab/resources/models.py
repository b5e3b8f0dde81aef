"""Shared resources: the register, opening hours, bookings, needs and offers, calendar feeds.

- ``Resource`` is something a member organisation offers the alliance (a room, a van, staff
  time …) with its value per hour, day or unit. It is paused or retired, never deleted, so
  its bookings (and the value they count) stay.
- ``WeeklyOpening`` rows are its weekly pattern in local time (Europe/London);
  ``AvailabilityException`` closes a date or opens it at other hours.
- ``Booking`` is one occurrence, stored in UTC; a weekly repeat is several bookings sharing a
  ``series``. The rate is copied onto the booking when it is made, so changing a resource's
  value later does not rewrite what was shared before.
- ``Need`` is what a member is looking for; ``NeedOffer`` an owner's answer to it.
- ``CalendarFeed`` holds the hash of a person's secret calendar address.

No double booking: services take a lock on the resource row before counting what overlaps,
and on PostgreSQL an exclusion constraint (migration 0015) refuses overlapping approved
bookings of a single-unit resource whatever the code does.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance, Organisation, _enum
from collab.db import Base, UTCDateTime, utcnow


class ResourceKind(StrEnum):
    ROOM = "room"
    VEHICLE = "vehicle"
    EQUIPMENT = "equipment"
    STAFF_TIME = "staff_time"
    TRAINING_PLACE = "training_place"
    VOLUNTEER_HOURS = "volunteer_hours"
    DATA = "data"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "room": "Room or space",
            "vehicle": "Vehicle",
            "equipment": "Equipment",
            "staff_time": "Staff time or skill",
            "training_place": "Training place",
            "volunteer_hours": "Volunteer hours",
            "data": "Data or information",
            "other": "Something else",
        }[self.value]


class RateUnit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    UNIT = "unit"

    @property
    def label(self) -> str:
        return {"hour": "per hour", "day": "per day", "unit": "per unit or place"}[self.value]


class ResourceStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return {"active": "Available", "paused": "Paused", "retired": "Retired"}[self.value]

    @property
    def tag_class(self) -> str:
        return {"active": "govuk-tag--green", "paused": "govuk-tag--yellow", "retired": "govuk-tag--grey"}[self.value]


class BookingStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "requested": "Waiting for approval",
            "approved": "Approved",
            "declined": "Declined",
            "cancelled": "Cancelled",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "requested": "govuk-tag--blue",
            "approved": "govuk-tag--green",
            "declined": "govuk-tag--red",
            "cancelled": "govuk-tag--grey",
        }[self.value]


class NeedStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"open": "Open", "met": "Met", "closed": "Closed"}[self.value]


class Resource(Base):
    __tablename__ = "resource"
    __table_args__ = (
        CheckConstraint("units >= 1", name="units_positive"),
        CheckConstraint("rate >= 0", name="rate_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    #: The member organisation that owns it and approves its bookings.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    #: The person to ask about it.
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    kind: Mapped[ResourceKind] = mapped_column(_enum(ResourceKind, "resource_kind"))
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown, rendered only through collab.markdown.
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    #: Conditions of use, such as "DBS-checked staff only".
    conditions: Mapped[str] = mapped_column(Text, default="")
    #: Access information for a space: step-free, hearing loop, accessible toilet …
    accessibility: Mapped[str] = mapped_column(Text, default="")
    #: How many people it holds (rooms, vehicles, training), if that matters.
    capacity: Mapped[int | None] = mapped_column(Integer)
    #: How many can be booked at the same time (1 for a room; 5 laptops; 12 training places).
    units: Mapped[int] = mapped_column(Integer, default=1)
    #: The value of one hour, day or unit, counted as an in-kind contribution.
    rate: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    rate_unit: Mapped[RateUnit] = mapped_column(_enum(RateUnit, "resource_rate_unit"), default=RateUnit.HOUR)
    #: Requests are approved at once when the slot is free.
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[ResourceStatus] = mapped_column(
        _enum(ResourceStatus, "resource_status"), default=ResourceStatus.ACTIVE
    )
    #: Bumped on every booking decision: the row every booking of this resource is serialised on.
    booking_version: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
    openings: Mapped[list[WeeklyOpening]] = relationship(
        back_populates="resource", cascade="all, delete-orphan",
        order_by="(WeeklyOpening.weekday, WeeklyOpening.opens)",
    )
    exceptions: Mapped[list[AvailabilityException]] = relationship(
        back_populates="resource", cascade="all, delete-orphan", order_by="AvailabilityException.on_date"
    )

    @property
    def owner_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def is_active(self) -> bool:
        return self.status == ResourceStatus.ACTIVE

    @property
    def is_retired(self) -> bool:
        return self.status == ResourceStatus.RETIRED


class WeeklyOpening(Base):
    """One opening window in the weekly pattern, in local time (Europe/London)."""

    __tablename__ = "resource_opening"
    __table_args__ = (
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        CheckConstraint("closes > opens", name="closes_after_opens"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    #: Monday is 0, as in Python's ``date.weekday()``.
    weekday: Mapped[int] = mapped_column(SmallInteger)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)

    resource: Mapped[Resource] = relationship(back_populates="openings")


class AvailabilityException(Base):
    """A closed date, or a date open at other hours than the weekly pattern (local time)."""

    __tablename__ = "resource_exception"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[date] = mapped_column(Date)
    #: True: closed all day. False: open from ``opens`` to ``closes`` that day instead.
    closed: Mapped[bool] = mapped_column(Boolean, default=True)
    opens: Mapped[time | None] = mapped_column(Time)
    closes: Mapped[time | None] = mapped_column(Time)
    note: Mapped[str] = mapped_column(String(200), default="")

    resource: Mapped[Resource] = relationship(back_populates="exceptions")


class Booking(Base):
    __tablename__ = "resource_booking"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_starts"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        Index("ix_resource_booking_resource_id_starts_at", "resource_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resource.id", ondelete="RESTRICT"))
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    #: The borrowing organisation (None: a person booking for a group with no organisation).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: How many units (laptops, places, hours of volunteer time) of the resource.
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[BookingStatus] = mapped_column(_enum(BookingStatus, "booking_status"), default=BookingStatus.REQUESTED)
    #: Copied from the resource when requested: a single-unit resource's approved bookings may
    #: never overlap (the PostgreSQL exclusion constraint reads this).
    exclusive: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Weekly repeats share a series id (random hex).
    series: Mapped[str | None] = mapped_column(String(32), index=True)
    #: The resource's rate when the booking was made.
    rate: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0"))
    rate_unit: Mapped[RateUnit] = mapped_column(_enum(RateUnit, "resource_rate_unit"), default=RateUnit.HOUR)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Why it was declined (required), or a note with an approval.
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")

    resource: Mapped[Resource] = relationship()
    alliance: Mapped[Alliance] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])

    @property
    def owner_organisation_id(self) -> int:
        return self.resource.organisation_id

    @property
    def is_open(self) -> bool:
        """Still waiting or approved (not declined or cancelled)."""
        return self.status in (BookingStatus.REQUESTED, BookingStatus.APPROVED)


class Need(Base):
    """What a member is looking for: "a quiet room for a peer group, Tuesdays"."""

    __tablename__ = "resource_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    posted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    kind: Mapped[ResourceKind] = mapped_column(_enum(ResourceKind, "resource_kind"))
    title: Mapped[str] = mapped_column(String(200))
    #: Markdown.
    description: Mapped[str] = mapped_column(Text, default="")
    #: When it is needed, in the poster's words ("Tuesdays, 6pm to 8pm, from March").
    when: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[NeedStatus] = mapped_column(_enum(NeedStatus, "need_status"), default=NeedStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    alliance: Mapped[Alliance] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    posted_by: Mapped[User | None] = relationship()
    offers: Mapped[list[NeedOffer]] = relationship(back_populates="need", order_by="NeedOffer.id")


class NeedOffer(Base):
    """An owner's answer to a need, optionally pointing at one of its resources."""

    __tablename__ = "resource_need_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("resource_need.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resource.id", ondelete="SET NULL"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need: Mapped[Need] = relationship(back_populates="offers")
    organisation: Mapped[Organisation] = relationship()
    offered_by: Mapped[User | None] = relationship()
    resource: Mapped[Resource | None] = relationship()


class CalendarFeed(Base):
    """A person's secret calendar address (calendar apps send no cookies); only its hash is kept."""

    __tablename__ = "resource_calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
