"""Notifications shown in Collab, and each person's email choices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import Base, UTCDateTime, utcnow


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
