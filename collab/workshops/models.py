"""Co-production workshops: the plan, who is coming, the live ideas board, and what came out of it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.agreements.models import Clause, Proposal
from collab.alliances.models import Alliance, _enum
from collab.db import Base, UTCDateTime, utcnow
from collab.specs.models import SpecComment, SpecSection

#: Workshops are planned in UK local time unless the organiser says otherwise.
DEFAULT_TIME_ZONE = "Europe/London"


class Workshop(Base):
    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: What the workshop is for, in a sentence or two (plain text).
    purpose: Mapped[str] = mapped_column(Text, default="")
    #: Start and end, stored in UTC; shown and exported in ``time_zone``.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: An IANA time zone name (Europe/London by default).
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE)
    in_person: Mapped[bool] = mapped_column(Boolean, default=True)
    address: Mapped[str] = mapped_column(Text, default="")
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    hearing_loop: Mapped[bool] = mapped_column(Boolean, default=False)
    quiet_room: Mapped[bool] = mapped_column(Boolean, default=False)
    accessible_toilets: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Anything else about getting there and getting in (plain text).
    access_notes: Mapped[str] = mapped_column(Text, default="")
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    meeting_link: Mapped[str] = mapped_column(String(500), default="")
    #: How many people can come; replies beyond it go on the waiting list.
    capacity: Mapped[int] = mapped_column(Integer)
    #: The participation payment per person who claims it and attends, in pence (0: none offered).
    payment_pence: Mapped[int] = mapped_column(Integer, default=0)
    #: Bumped whenever the date, time or place changes (iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The live board: bumped (in the database, atomically) by every change anyone can see,
    #: so each client's poll is answered 304 while it is unchanged, whichever instance serves it.
    board_revision: Mapped[int] = mapped_column(Integer, default=0)
    #: The agenda item the facilitator is on (None: not started); checked to be this workshop's.
    current_item_id: Mapped[int | None] = mapped_column(Integer)
    #: Dots each person may place while voting is open (0: voting is not open).
    voting_dots: Mapped[int] = mapped_column(Integer, default=0)
    voting_closed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Notes written afterwards (Markdown).
    notes: Mapped[str] = mapped_column(Text, default="")

    alliance: Mapped[Alliance] = relationship()
    created_by: Mapped[User | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="workshop", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at <= utcnow()

    @property
    def voting_open(self) -> bool:
        return self.voting_dots > 0 and not self.voting_closed

    @property
    def access_features(self) -> list[str]:
        """The accessibility of the venue, in words."""
        names = [
            (self.step_free, "Step-free access"),
            (self.hearing_loop, "Hearing loop"),
            (self.quiet_room, "Quiet room"),
            (self.accessible_toilets, "Accessible toilets"),
        ]
        return [label for present, label in names if present]

    @property
    def short_date(self) -> str:
        """'3 March' for 'From the 3 March workshop'."""
        return f"{self.local_start.day} {self.local_start:%B}"


class AgendaItem(Base):
    __tablename__ = "workshop_agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    #: Order on the agenda, from 1.
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    #: The time box in minutes.
    minutes: Mapped[int] = mapped_column(Integer)
    spec_section_id: Mapped[int | None] = mapped_column(ForeignKey("spec_section.id", ondelete="SET NULL"))
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clause.id", ondelete="SET NULL"))

    workshop: Mapped[Workshop] = relationship(back_populates="agenda")
    spec_section: Mapped[SpecSection | None] = relationship()
    clause: Mapped[Clause | None] = relationship()

    @property
    def alliance(self) -> Alliance:
        return self.workshop.alliance


class Reply(StrEnum):
    PENDING = "pending"
    YES = "yes"
    #: Said yes when the workshop was full: on the waiting list, promoted in order.
    WAITING = "waiting"
    MAYBE = "maybe"
    NO = "no"

    @property
    def label(self) -> str:
        return {
            "pending": "Not replied yet",
            "yes": "Coming",
            "waiting": "On the waiting list",
            "maybe": "Maybe",
            "no": "Not coming",
        }[self.value]


#: Access needs people can tick; anything else goes in the free text.
ACCESS_NEEDS: dict[str, str] = {
    "bsl": "BSL interpreter",
    "step_free": "Step-free access",
    "large_print": "Large print",
    "hearing_loop": "Hearing loop",
    "carer": "A carer coming with me",
    "dietary": "Dietary needs",
}


class Invitee(Base):
    """One person invited to one workshop, and their reply."""

    __tablename__ = "workshop_invitee"
    __table_args__ = (UniqueConstraint("workshop_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reply: Mapped[Reply] = mapped_column(_enum(Reply, "workshop_reply"), default=Reply.PENDING)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Place in the waiting list queue (given under the workshop's lock, so it is strictly in order).
    waiting_number: Mapped[int | None] = mapped_column(Integer)
    #: Keys of ACCESS_NEEDS; seen only by organisers.
    access_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    access_needs_other: Mapped[str] = mapped_column(Text, default="")
    claims_payment: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Whether the person may be named in exports (service users are counted, not named, otherwise).
    named_in_exports: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Marked by an organiser afterwards (None: not marked yet).
    attended: Mapped[bool | None] = mapped_column(Boolean)
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    workshop: Mapped[Workshop] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def alliance(self) -> Alliance:
        return self.workshop.alliance

    @property
    def access_need_labels(self) -> list[str]:
        return [ACCESS_NEEDS[key] for key in self.access_needs if key in ACCESS_NEEDS]


class WorkshopSettings(Base):
    """An alliance's usual participation payment: what a new workshop starts from (each workshop keeps its own)."""

    __tablename__ = "workshop_settings"

    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), primary_key=True)
    #: In pence per person (0: none offered unless a workshop says otherwise).
    payment_pence: Mapped[int] = mapped_column(Integer, default=0)


class CalendarFeed(Base):
    """A person's secret calendar address: calendar apps send no cookies, so the URL is the key."""

    __tablename__ = "workshop_calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    #: SHA-256 of the token in the address; the token itself is shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Theme(Base):
    __tablename__ = "workshop_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)


class Idea(Base):
    __tablename__ = "workshop_idea"
    __table_args__ = (UniqueConstraint("workshop_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_agenda_item.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(500))
    #: Who typed it (the facilitator, for an idea added on someone's behalf).
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: Whose idea it is when someone else typed it: a member, or a name.
    for_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    for_name: Mapped[str | None] = mapped_column(String(120))
    #: True when the person agreed to it being added in their name (ticked by whoever typed it).
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_theme.id", ondelete="SET NULL"))
    #: A duplicate folded into another idea (its votes moved there).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("workshop_idea.id", ondelete="SET NULL"))
    #: Made by the sending browser, so an idea sent again after a dropped connection is stored once.
    client_key: Mapped[str | None] = mapped_column(String(64))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    #: A change proposed to a spec section from this idea (a comment in the workshop's name).
    spec_comment_id: Mapped[int | None] = mapped_column(ForeignKey("spec_comment.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    for_user: Mapped[User | None] = relationship(foreign_keys=[for_user_id])
    theme: Mapped[Theme | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship()

    @property
    def whose(self) -> str:
        if self.for_user is not None:
            return self.for_user.display_name
        if self.for_name:
            return self.for_name
        return self.author.display_name if self.author is not None else "Someone"


class Vote(Base):
    __tablename__ = "workshop_vote"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("workshop_idea.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    dots: Mapped[int] = mapped_column(Integer)


class Contribution(Base):
    """What a table or group said, entered afterwards in bulk, with how many people it speaks for."""

    __tablename__ = "workshop_contribution"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    group_name: Mapped[str] = mapped_column(String(120))
    people: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    spec_comment_id: Mapped[int | None] = mapped_column(ForeignKey("spec_comment.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))

    workshop: Mapped[Workshop] = relationship()
    spec_comment: Mapped[SpecComment | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship()

    @property
    def tag(self) -> str:
        """'From the 3 March workshop, table 2 (4 people)'."""
        return group_tag(self.workshop, self.group_name, self.people)


def group_tag(workshop: Workshop, group_name: str, people: int) -> str:
    """How a group's words are labelled wherever they go: 'From the 3 March workshop, table 2 (4 people)'."""
    count = f"{people} {'person' if people == 1 else 'people'}"
    return f"From the {workshop.short_date} workshop, {group_name} ({count})"


class Decision(Base):
    __tablename__ = "workshop_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))
    spec_comment_id: Mapped[int | None] = mapped_column(ForeignKey("spec_comment.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal | None] = relationship()


class ActionStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class Action(Base):
    __tablename__ = "workshop_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus, "workshop_action_status"), default=ActionStatus.OPEN)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    workshop: Mapped[Workshop] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])

    @property
    def alliance(self) -> Alliance:
        return self.workshop.alliance

    def is_overdue(self, today: date) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < today

