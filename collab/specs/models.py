"""Service specifications: the spec, its sections, frozen versions, paragraphs and comments.

- ``Spec`` holds the title, status and consultation dates; ``SpecSection`` rows are the
  working copy authors edit (with optimistic locking via ``lock_version``).
- ``SpecVersion`` freezes every section when a draft is published (consultation opens,
  a redraft is shared, or the spec is published). ``SpecSectionVersion`` keeps the
  section's Markdown and its blocks already rendered, so pages never run Markdown.
- ``SpecParagraph`` is a paragraph's identity across versions: comments are threads on
  it (subject type "spec_paragraph"), and re-anchoring moves, edits or removes it.
- ``SpecComment`` adds what a spec needs to a top-level shared ``Comment``: where it was
  made (a paragraph; a section as a whole, subject "spec_section"; or the whole spec, subject
  "spec_whole"), the quoted text, who it came from, its anchor status, supports and a response.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from collab.accounts.models import User
from collab.alliances.models import Alliance, Role, _enum
from collab.db import Base, UTCDateTime, utcnow
from collab.documents.models import Comment
from collab.timezone import today_in_london


class SpecStatus(StrEnum):
    DRAFTING = "drafting"
    CONSULTATION = "consultation"
    REVIEWING = "reviewing"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {
            "drafting": "Drafting",
            "consultation": "Open for comments",
            "reviewing": "Reviewing comments",
            "published": "Published",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "drafting": "govuk-tag--grey",
            "consultation": "govuk-tag--blue",
            "reviewing": "govuk-tag--yellow",
            "published": "govuk-tag--green",
        }[self.value]


#: The nine sections every new specification starts with, with a hint for authors.
STANDARD_SECTIONS: list[tuple[str, str]] = [
    ("Outcomes", "What will be better for people because this service exists?"),
    ("Who the service is for", "Who can use it? Think about age, place and needs."),
    ("Eligibility and access", "How do people get help? How quickly? What if they do not meet the rules?"),
    ("Service model", "What the service does, where and when, and who does it."),
    ("Quality standards", "What good looks like, and how people can complain."),
    ("Key result areas and measures", "How we will know the service is working."),
    ("Budget envelope", "How much money there is, and for how long."),
    ("Social value commitments", "What else the service will do for the area: jobs, volunteering, the environment."),
    ("How people who use the service stay involved", "How people who use the service help to run and change it."),
]


class Spec(Base):
    __tablename__ = "spec"

    id: Mapped[int] = mapped_column(primary_key=True)
    alliance_id: Mapped[int] = mapped_column(ForeignKey("alliance.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: Such as "Adult mental health" or "Youth work".
    service_area: Mapped[str] = mapped_column(String(200))
    #: Markdown: what the service is, in a few sentences.
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Markdown: the easy-read version, short sentences and everyday words.
    easy_read: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[SpecStatus] = mapped_column(_enum(SpecStatus, "spec_status"), default=SpecStatus.DRAFTING)
    consultation_opens_on: Mapped[date | None] = mapped_column(Date)
    consultation_closes_on: Mapped[date | None] = mapped_column(Date)
    #: The newest frozen version (None until consultation opens).
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("spec_version.id", ondelete="SET NULL", use_alter=True, name="fk_spec_current_version_id_spec_version")
    )
    #: Bumped by every change to title, summary, easy read or section order (optimistic locking).
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When published with comments still unanswered: who confirmed it, and why.
    publish_override_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    publish_override_reason: Mapped[str | None] = mapped_column(Text)
    publish_override_unanswered: Mapped[int | None] = mapped_column(Integer)
    #: When a commissioner closed comments before the closing date: when, who, and the reason
    #: they had to give (shown on the specification and sent to everyone it cut short).
    closed_early_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_early_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    closed_early_reason: Mapped[str | None] = mapped_column(Text)

    alliance: Mapped[Alliance] = relationship()
    sections: Mapped[list[SpecSection]] = relationship(
        back_populates="spec", order_by="SpecSection.position", cascade="all, delete-orphan"
    )
    current_version: Mapped[SpecVersion | None] = relationship(foreign_keys=[current_version_id], post_update=True)
    publish_override_by: Mapped[User | None] = relationship(foreign_keys=[publish_override_by_id])
    closed_early_by: Mapped[User | None] = relationship(foreign_keys=[closed_early_by_id])

    @property
    def is_drafting(self) -> bool:
        return self.status == SpecStatus.DRAFTING

    @property
    def is_in_consultation(self) -> bool:
        return self.status == SpecStatus.CONSULTATION

    @property
    def is_taking_comments(self) -> bool:
        """In consultation and between the opening and closing dates (inclusive, UK dates)."""
        if not self.is_in_consultation:
            return False
        today = today_in_london()
        opens, closes = self.consultation_opens_on, self.consultation_closes_on
        return (opens is None or opens <= today) and (closes is None or today <= closes)

    @property
    def comments_closed_reason(self) -> str:
        today = today_in_london()
        if self.is_in_consultation and self.consultation_opens_on and today < self.consultation_opens_on:
            return f"Comments open on {self.consultation_opens_on.day} {self.consultation_opens_on:%B %Y}."
        if self.is_in_consultation and self.consultation_closes_on and today > self.consultation_closes_on:
            return f"Comments closed on {self.consultation_closes_on.day} {self.consultation_closes_on:%B %Y}."
        return "This specification is not open for new comments."

    @property
    def is_reviewing(self) -> bool:
        return self.status == SpecStatus.REVIEWING

    @property
    def is_published(self) -> bool:
        return self.status == SpecStatus.PUBLISHED

    @property
    def is_editable(self) -> bool:
        """Sections can be changed until the spec is published."""
        return self.status != SpecStatus.PUBLISHED


class SpecSection(Base):
    __tablename__ = "spec_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("spec.id", ondelete="CASCADE"), index=True)
    #: Order in the spec, from 1.
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    #: A prompt for authors (from the standard sections), not part of the spec.
    hint: Mapped[str] = mapped_column(String(300), default="")
    #: Markdown source of the working copy.
    body: Mapped[str] = mapped_column(Text, default="")
    #: Bumped by every save; an edit from an older copy is refused (optimistic locking).
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    #: The plain-language score of body, worked out when it was saved (collab.specs.readability).
    readability: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    spec: Mapped[Spec] = relationship(back_populates="sections")
    updated_by: Mapped[User | None] = relationship()

    @property
    def alliance(self) -> Alliance:
        return self.spec.alliance


class SpecVersion(Base):
    """A frozen copy of the whole spec, made each time a draft is shared."""

    __tablename__ = "spec_version"
    __table_args__ = (UniqueConstraint("spec_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("spec.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    #: The spec's status when this version was made ("consultation", "reviewing", "published").
    stage: Mapped[SpecStatus] = mapped_column(_enum(SpecStatus, "spec_status"))
    #: What changed, in the author's words.
    note: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    easy_read: Mapped[str] = mapped_column(Text, default="")
    #: Canonical Markdown (collab.documents.canonical) and its SHA-256.
    canonical_text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    spec: Mapped[Spec] = relationship(foreign_keys=[spec_id])
    created_by: Mapped[User | None] = relationship()
    sections: Mapped[list[SpecSectionVersion]] = relationship(
        back_populates="version", order_by="SpecSectionVersion.position", cascade="all, delete-orphan"
    )

    @property
    def alliance(self) -> Alliance:
        return self.spec.alliance


class SpecSectionVersion(Base):
    __tablename__ = "spec_section_version"
    __table_args__ = (UniqueConstraint("version_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("spec_version.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("spec_section.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    #: The section's blocks as shown: [{"paragraph": id, "key", "kind", "html", "list", "ordered", "level", "start"}].
    blocks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)

    version: Mapped[SpecVersion] = relationship(back_populates="sections")
    section: Mapped[SpecSection] = relationship()


class SpecParagraph(Base):
    """A paragraph or list item whose identity lasts across redrafts (comments hang on it)."""

    __tablename__ = "spec_paragraph"
    __table_args__ = (Index("ix_spec_paragraph_section_id_position", "section_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("spec.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("spec_section.id", ondelete="CASCADE"))
    #: The block key in the newest version (collab.specs.anchoring).
    key: Mapped[str] = mapped_column(String(40))
    #: Markdown of the block in the newest version it is in.
    text: Mapped[str] = mapped_column(Text)
    #: Index of the block in its section in the newest version.
    position: Mapped[int] = mapped_column(Integer)
    first_version: Mapped[int] = mapped_column(Integer)
    last_version: Mapped[int] = mapped_column(Integer)
    #: Set when a redraft dropped it; its comments stay, marked as about removed text.
    removed_in_version: Mapped[int | None] = mapped_column(Integer)

    spec: Mapped[Spec] = relationship()
    section: Mapped[SpecSection] = relationship()

    @property
    def alliance(self) -> Alliance:
        return self.spec.alliance

    @property
    def is_removed(self) -> bool:
        return self.removed_in_version is not None


class AnchorState(StrEnum):
    """Where a comment stands after redrafts (see collab.specs.anchoring)."""

    CURRENT = "current"
    MOVED = "moved"
    EDITED = "edited"
    REMOVED = "removed"


class Outcome(StrEnum):
    CHANGED = "changed"
    PARTLY_CHANGED = "partly_changed"
    NOT_CHANGED = "not_changed"
    ANSWERED = "answered"

    @property
    def label(self) -> str:
        return {
            "changed": "Changed",
            "partly_changed": "Partly changed",
            "not_changed": "Not changed",
            "answered": "Answered",
        }[self.value]

    @property
    def tag_class(self) -> str:
        return {
            "changed": "govuk-tag--green",
            "partly_changed": "govuk-tag--turquoise",
            "not_changed": "govuk-tag--orange",
            "answered": "govuk-tag--blue",
        }[self.value]


#: Paragraphs per section that position_key leaves room for.
POSITION_SCALE = 100_000


#: Thread subjects: comments on a paragraph, on a section as a whole, and on the whole specification.
PARAGRAPH_SUBJECT = "spec_paragraph"
SECTION_SUBJECT = "spec_section"
WHOLE_SUBJECT = "spec_whole"


class SpecComment(Base):
    """A top-level comment on a paragraph, on a section as a whole, or on the whole specification.

    Which one: a paragraph (``paragraph_id`` and its ``section_id``), a whole section (``section_id``
    only) or the whole specification (neither); the CHECK keeps a paragraph from losing its section.
    """

    __tablename__ = "spec_comment"
    __table_args__ = (
        CheckConstraint("paragraph_id IS NULL OR section_id IS NOT NULL", name="paragraph_has_section"),
        Index("ix_spec_comment_spec_id_section_id", "spec_id", "section_id"),
        Index("ix_spec_comment_paragraph_id", "paragraph_id"),
        Index("ix_spec_comment_spec_id_position_key", "spec_id", "position_key", "id"),
        Index("ix_spec_comment_spec_id_speaker_role", "spec_id", "speaker_role", "comment_id"),
        Index("ix_spec_comment_spec_id_anchor", "spec_id", "anchor", "section_id"),
        Index("ix_spec_comment_spec_id_source_key", "spec_id", "source_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"), unique=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("spec.id", ondelete="CASCADE"))
    #: The section the comment is in (or, without a paragraph, about as a whole); None: the whole spec.
    section_id: Mapped[int | None] = mapped_column(ForeignKey("spec_section.id", ondelete="CASCADE"))
    #: The paragraph the comment is on; None for a comment on a whole section or on the whole spec.
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("spec_paragraph.id", ondelete="CASCADE"))
    #: The version number the comment was made on.
    version_number: Mapped[int] = mapped_column(Integer)
    #: The paragraph's text when the comment was made ("" for a section or the whole spec).
    quote: Mapped[str] = mapped_column(Text)
    #: The role of the person whose words these are, when they were written.
    speaker_role: Mapped[Role] = mapped_column(_enum(Role, "alliance_role"))
    anchor: Mapped[AnchorState] = mapped_column(_enum(AnchorState, "spec_anchor_state"), default=AnchorState.CURRENT)
    #: Where the paragraph is in the spec (section position × POSITION_SCALE + paragraph position), kept
    #: up to date when drafts are shared, so lists of comments come out in reading order from an index.
    position_key: Mapped[int] = mapped_column(Integer, default=0)
    #: How many people said "this matters to me too" (kept with each support, for sorting and counts).
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    #: How many people a group's comment speaks for (a workshop table of 4); None: one person's words.
    #: "You said, we did" counts these as groups with their size, never as one person of a role.
    group_size: Mapped[int | None] = mapped_column(Integer, default=None)
    #: Where the comment came from, for filtering the report: an event such as "workshop:12" (None: the
    #: consultation itself). Written by the area that made it; the specs area only compares and shows it.
    source_key: Mapped[str | None] = mapped_column(String(60), default=None)
    #: How that source is named on screen: "3 March workshop: Evening support".
    source_label: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    comment: Mapped[Comment] = relationship()
    spec: Mapped[Spec] = relationship()
    section: Mapped[SpecSection | None] = relationship()
    paragraph: Mapped[SpecParagraph | None] = relationship()
    response: Mapped[SpecResponse | None] = relationship(back_populates="spec_comment", uselist=False)

    @property
    def level(self) -> str:
        """What the comment is on: "paragraph", "section" (as a whole) or "spec" (as a whole)."""
        if self.paragraph_id is not None:
            return "paragraph"
        return "section" if self.section_id is not None else "spec"

    @property
    def subject(self) -> tuple[str, int]:
        """The discussion thread's subject (type, id) that holds this comment and its replies."""
        if self.paragraph_id is not None:
            return PARAGRAPH_SUBJECT, self.paragraph_id
        if self.section_id is not None:
            return SECTION_SUBJECT, self.section_id
        return WHOLE_SUBJECT, self.spec_id

    @property
    def thread_dom_id(self) -> str:
        """The id of the element that shows this comment's thread on a page ("thread-p-12")."""
        return {"paragraph": f"thread-p-{self.paragraph_id}", "section": f"thread-s-{self.section_id}",
                "spec": "thread-spec"}[self.level]

    @property
    def where_label(self) -> str:
        """Where the comment is, as lists show it: the section's heading, or the whole thing."""
        if self.section_id is None:
            return "On the whole specification"
        heading = self.section.heading if self.section is not None else ""
        return heading if self.paragraph_id is not None else f"{heading}: on the whole section"

    @property
    def alliance(self) -> Alliance:
        return self.spec.alliance

    @property
    def from_service_user(self) -> bool:
        return self.speaker_role == Role.SERVICE_USER and self.group_size is None

    @property
    def from_group(self) -> bool:
        return self.group_size is not None


class CommentSupport(Base):
    """One person saying "this matters to me too" about one comment."""

    __tablename__ = "spec_comment_support"
    __table_args__ = (UniqueConstraint("spec_comment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    spec_comment_id: Mapped[int] = mapped_column(ForeignKey("spec_comment.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SpecResponse(Base):
    """The commissioners' answer to one comment: "you said, we did"."""

    __tablename__ = "spec_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    spec_comment_id: Mapped[int] = mapped_column(ForeignKey("spec_comment.id", ondelete="CASCADE"), unique=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("spec.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[Outcome] = mapped_column(_enum(Outcome, "spec_outcome"))
    #: What we did, or why not (required for "not changed").
    text: Mapped[str] = mapped_column(Text)
    #: The section whose text changed, for "changed" and "partly changed".
    change_section_id: Mapped[int | None] = mapped_column(ForeignKey("spec_section.id", ondelete="SET NULL"))
    #: The version the change is in; None until a draft with the change is shared.
    change_version_number: Mapped[int | None] = mapped_column(Integer)
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    spec_comment: Mapped[SpecComment] = relationship(back_populates="response")
    responded_by: Mapped[User | None] = relationship()
    change_section: Mapped[SpecSection | None] = relationship()


# Kept in a module of its own (this one was long); imported here so every caller finds it where it was.
from collab.specs.link_models import SpecClauseLink  # noqa: E402, F401
