"""Discussion threads and comments that any document element can have.

A thread is keyed by (subject_type, subject_id): "agreement_clause" 12, "agreement_proposal" 4,
or, for specifications, "spec_paragraph" 981. The owning area registers its subject type
once (``collab.documents.subjects.register_subject``) so the shared comment routes know how to
load the subject, check it belongs to the alliance and link back to it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance
from collab.db import Base, UTCDateTime, utcnow

#: How long an author may change or delete their own comment.
EDIT_WINDOW = timedelta(minutes=15)


class DiscussionThread(Base):
    __tablename__ = "discussion_thread"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The alliance whose members may see and join the thread (used for permissions).
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    #: What the thread is about, such as "agreement_clause" or "spec_paragraph".
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    alliance: Mapped[Alliance] = relationship()
    comments: Mapped[list[Comment]] = relationship(
        back_populates="thread", order_by="Comment.id", cascade="all, delete-orphan"
    )


class Comment(Base):
    __tablename__ = "comment"
    __table_args__ = (
        # Counting the visible comments of many threads at once reads only this index.
        Index("ix_comment_thread_id_visibility", "thread_id", "deleted_at", "hidden_at", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("discussion_thread.id", ondelete="CASCADE"), index=True
    )
    #: The comment this one replies to; None for a top-level comment.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    #: The person who wrote it in Collab (a facilitator, when added on someone's behalf).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    #: The member whose words these are, when a facilitator typed them in for them.
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: The name of that person as given, also used when they have no account.
    on_behalf_of_name: Mapped[str | None] = mapped_column(String(100))
    #: Markdown source.
    body: Mapped[str] = mapped_column(Text)
    #: Sanitised HTML rendered from body when it was saved.
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when the author deleted it; the text is blanked, the place in the thread stays.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: Why a moderator hid it; shown to the author and to moderators.
    hidden_reason: Mapped[str | None] = mapped_column(Text)

    thread: Mapped[DiscussionThread] = relationship(back_populates="comments")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])

    @property
    def alliance(self) -> Alliance:
        return self.thread.alliance

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def speaker_name(self) -> str:
        """Whose words these are: 'Cleo' (or the author)."""
        if self.on_behalf_of_name:
            return self.on_behalf_of_name
        if self.on_behalf_of is not None:
            return self.on_behalf_of.display_name
        return self.author.display_name if self.author is not None else "Former member"

    @property
    def byline(self) -> str:
        """'Cleo, added by Sam Rivers' or 'Cleo'."""
        author = self.author.display_name if self.author is not None else "a former member"
        if self.on_behalf_of_name or self.on_behalf_of_id:
            return f"{self.speaker_name}, added by {author}"
        return self.speaker_name

    def editable_until(self) -> datetime:
        return self.created_at + EDIT_WINDOW

    def can_change(self, user: User | None, now: datetime | None = None) -> bool:
        """Authors may change or delete their own comment within the edit window."""
        if user is None or not getattr(user, "is_authenticated", False) or self.author_id != user.id:
            return False
        if self.is_deleted or self.is_hidden:
            return False
        return (now or utcnow()) < self.editable_until()
