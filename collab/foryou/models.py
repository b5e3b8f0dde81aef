"""When each person last looked at what needs them: overall (the For you page) and per alliance."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from collab.db import Base, UTCDateTime, utcnow


class AttentionVisit(Base):
    """One person's visits to one place where their items are listed.

    ``scope`` is "all" for the For you page and "alliance:<id>" for an alliance home's panel, so
    looking at one alliance does not hide another alliance's news on the For you page.
    """

    __tablename__ = "attention_visit"
    __table_args__ = (UniqueConstraint("user_id", "scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    #: "all", or "alliance:<id>".
    scope: Mapped[str] = mapped_column(String(40))
    #: The alliance of an "alliance:<id>" scope (so the row goes when the alliance does).
    alliance_id: Mapped[int | None] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    #: The latest request that showed the list.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The start of the current sitting: "changed since your last visit" means since the visit
    #: before it. A reload moments later keeps showing the same changes instead of none.
    sitting_started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the previous sitting ended (None on the first visit).
    previous_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
