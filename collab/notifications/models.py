"""Notifications shown in Collab, and each person's email choices."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance, _enum
from collab.db import Base, UTCDateTime, utcnow


class EmailFrequency(StrEnum):
    """How often a person's notification emails come (issue 9)."""

    EACH = "each"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {
            "each": "As each one happens",
            "daily": "Once a day, as a summary",
            "weekly": "Once a week, as a summary",
            "never": "Never: I will look in Collab",
        }[self.value]

    @property
    def hint(self) -> str:
        return {
            "each": "One email for each notification, a few minutes after it happens.",
            "daily": "One email each morning listing what you have not seen yet. No email on days with nothing new.",
            "weekly": "One email each Monday morning listing what you have not seen yet.",
            "never": "You still see every notification in Collab, and the count beside Notifications.",
        }[self.value]


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    alliance_id: Mapped[int | None] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"))
    #: A registered kind, such as "agreement_response_needed" (see collab.notifications.kinds).
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    #: Plain text, a sentence or two.
    body: Mapped[str] = mapped_column(Text, default="")
    #: A path inside Collab, such as /alliances/riverside/agreement/proposals/3.
    url: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When it went out by email, alone or in a digest. Claimed (set) before sending, so a
    #: job that runs twice, or two workers at once, never email it twice.
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The daily or weekly digest that listed it, if it went out that way.
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("notification_digest.id", ondelete="SET NULL"))
    #: For "action needed" notifications: what would settle it, such as "proposal:12:seat:org:5".
    #: Everyone told about the same action gets the same key; ``services.resolve`` settles them all.
    action_key: Mapped[str | None] = mapped_column(String(120), index=True)
    #: When the action was done (by this person or anyone else who could do it for them).
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    alliance: Mapped[Alliance | None] = relationship()

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def needs_you(self) -> bool:
        """Still counted in the header: not read, and not dealt with by anyone."""
        return self.read_at is None and self.resolved_at is None


class NotificationPreference(Base):
    __tablename__ = "notification_preference"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    #: Whether this kind also comes by email.
    email: Mapped[bool] = mapped_column(Boolean, default=True)


class EmailSetting(Base):
    """How often one person's notification emails come; no row means "each"."""

    __tablename__ = "notification_email_setting"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[EmailFrequency] = mapped_column(
        _enum(EmailFrequency, "email_frequency"), default=EmailFrequency.EACH
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotificationDigest(Base):
    """One daily or weekly summary email for one person and one period.

    The row is claimed (inserted and committed) before the email is sent, and the unique
    constraint makes a second claim for the same person and period fail: a digest is never
    sent twice, however many workers run the job at once.
    """

    __tablename__ = "notification_digest"
    __table_args__ = (UniqueConstraint("user_id", "frequency", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    frequency: Mapped[EmailFrequency] = mapped_column(_enum(EmailFrequency, "email_frequency"))
    #: The first day of the period (a daily digest's day, a weekly digest's Monday), in Europe/London.
    period_start: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the email was handed to the mail server; None for a period with nothing to send.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    notification_count: Mapped[int] = mapped_column(Integer, default=0)


class SentReminder(Base):
    """A reminder one person was sent about one thing, so it is sent only once."""

    __tablename__ = "sent_reminder"
    __table_args__ = (UniqueConstraint("kind", "subject", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The notification kind, such as "spec_consultation_closing".
    kind: Mapped[str] = mapped_column(String(40))
    #: What it was about, such as "spec:12:2026-12-24" (closing date) or "proposal:5:r2" (revision 2).
    subject: Mapped[str] = mapped_column(String(80))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
