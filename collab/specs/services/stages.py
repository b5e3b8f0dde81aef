"""Stages: drafting → consultation (people comment on a frozen version) → reviewing (every comment answered, redrafts shared) → published."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.db import utcnow
from collab.documents.freezing import refuse_unchanged
from collab.documents.models import Comment
from collab.errors import DomainError, NotAllowed
from collab.notifications.services import notify
from collab.specs import links
from collab.specs.models import (
    Spec,
    SpecComment,
    SpecResponse,
    SpecStatus,
    SpecVersion,
)
from collab.specs.services._common import check_text, spec_comment_ids
from collab.specs.services.paragraphs import canonical, freeze
from collab.specs.services.telling import tell_closed, tell_consultation_opened, tell_draft_shared
from collab.timezone import today_in_london


def open_consultation(
    session: Session, actor: User, spec: Spec, *, opens_on: date, closes_on: date, note: str = "", url: str = ""
) -> SpecVersion:
    """Freeze the draft and open it for comments between two dates."""
    check_consultation(spec, opens_on=opens_on, closes_on=closes_on)
    spec.status = SpecStatus.CONSULTATION
    spec.consultation_opens_on, spec.consultation_closes_on = opens_on, closes_on
    version = freeze(session, actor, spec, SpecStatus.CONSULTATION, note or "Draft for comments")
    audit.record(session, actor, "spec.consultation_opened", spec, alliance=spec.alliance, label=spec.title,
                 detail={"version": version.number, "opens": opens_on.isoformat(), "closes": closes_on.isoformat()})
    tell_consultation_opened(session, actor, spec, url)
    return version


def share_redraft(session: Session, actor: User, spec: Spec, *, note: str, url: str = "") -> SpecVersion:
    """Share the working copy as a new draft; comments move with their paragraphs."""
    if spec.status not in (SpecStatus.CONSULTATION, SpecStatus.REVIEWING):
        raise DomainError("A new draft can be shared only while the specification is open for comments or being reviewed")
    note = check_text(note, "what changed in this draft", "note", 2000)
    previous = spec.current_version
    if previous is not None:
        now = canonical(spec, previous.number, sorted(spec.sections, key=lambda s: s.position))
        refuse_unchanged(previous.canonical_text, now, "Nothing has changed since the last draft was shared")
    version = freeze(session, actor, spec, spec.status, note)
    audit.record(session, actor, "spec.draft_shared", spec, alliance=spec.alliance, label=spec.title,
                 detail={"version": version.number, "note": note})
    tell_draft_shared(session, actor, spec, version, note, url)
    return version


#: A consultation shorter than this gets a warning before it opens (the form's hint says four weeks).
MIN_CONSULTATION_DAYS = 28


def check_consultation(spec: Spec, *, opens_on: date, closes_on: date) -> None:
    """The rules a consultation must meet to open (DomainError otherwise)."""
    if not spec.is_drafting:
        raise DomainError("Only a specification that is being drafted can be opened for comments")
    if closes_on <= opens_on:
        raise DomainError("The closing date must be after the opening date", field="closes_on")
    if not any(s.body.strip() for s in spec.sections):
        raise DomainError("Write at least one section before opening the specification for comments")


def consultation_warnings(spec: Spec, *, opens_on: date, closes_on: date) -> list[str]:
    """What is worth fixing before a consultation opens, in plain words (a warning, never a refusal).

    Raises DomainError first if the consultation could not open at all (``check_consultation``).
    """
    check_consultation(spec, opens_on=opens_on, closes_on=closes_on)
    problems: list[str] = []
    empty = [s.heading for s in spec.sections if not s.body.strip()]
    if empty:
        count = len(empty)
        problems.append(
            f"{count} of {len(spec.sections)} sections {'has' if count == 1 else 'have'} nothing written yet: "
            + ", ".join(f"\u201c{heading}\u201d" for heading in empty)
            + ". People cannot comment on what is not there."
        )
    if not spec.easy_read.strip():
        problems.append("There is no easy-read summary. Without one, some people who use the service cannot take part.")
    days = (closes_on - opens_on).days
    if 0 < days < MIN_CONSULTATION_DAYS:
        problems.append(
            f"Comments would be open for {days} day{'' if days == 1 else 's'}. Give people at least four weeks "
            f"({MIN_CONSULTATION_DAYS} days), so that those who need help or time can take part."
        )
    return problems


def _days_left(spec: Spec, today: date) -> int:
    closes = spec.consultation_closes_on
    return max(0, (closes - today).days + 1) if closes is not None else 0


def closes_early(spec: Spec, today: date | None = None) -> bool:
    """Closing now would cut the consultation short: its closing date has not passed yet."""
    return spec.is_in_consultation and _days_left(spec, today or today_in_london()) > 0


def days_left(spec: Spec, today: date | None = None) -> int:
    """Days of commenting that closing now would take away (the closing day counts)."""
    return _days_left(spec, today or today_in_london())


def _alliance_people(session: Session, spec: Spec) -> list[User]:
    from collab.alliances.models import Membership

    return list(session.scalars(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.alliance_id == spec.alliance_id)
    ))


def close_consultation(
    session: Session, actor: User, spec: Spec, *, reason: str = "", url: str = "", today: date | None = None
) -> None:
    """Stop taking comments and start answering them.

    Before the closing date this cuts people out, so a reason is required: it is kept on the
    specification and in the audit trail, and everyone in the alliance is told (``url`` is the
    specification's page for the notification).
    """
    if not spec.is_in_consultation:
        raise DomainError("This specification is not open for comments")
    today = today or today_in_london()
    early = closes_early(spec, today)
    reason = (reason or "").strip()
    if early and not reason:
        raise DomainError("Say why you are closing comments before the closing date. Everyone in the alliance will see it.",
                          field="reason")
    if len(reason) > 2000:
        raise DomainError("The reason must be 2,000 characters or fewer", field="reason")
    left = _days_left(spec, today)
    spec.status = SpecStatus.REVIEWING
    if early:
        spec.closed_early_at, spec.closed_early_by_id, spec.closed_early_reason = utcnow(), actor.id, reason
    session.flush()
    closes = spec.consultation_closes_on
    audit.record(session, actor, "spec.consultation_closed", spec, alliance=spec.alliance, label=spec.title,
                 detail={"early": True, "reason": reason, "days_left": left,
                         "closes": closes.isoformat() if closes else None} if early else {})
    if early:
        due = f"{closes.day} {closes:%B %Y}" if closes else "its closing date"
        notify(
            session, _alliance_people(session, spec), "consultation_closed_early",
            f"{spec.alliance.name}: comments on \u201c{spec.title}\u201d closed early",
            body=f"{actor.display_name} closed comments {left} day{'' if left == 1 else 's'} before {due}. "
            f"Their reason: {reason}",
            url=url or links.spec_url(spec.alliance.slug, spec.id), alliance=spec.alliance, exclude=actor,
        )
    tell_closed(session, spec)  # nobody is asked to comment any more


def unanswered_count(session: Session, spec: Spec) -> int:
    """Top-level comments still waiting for a response (hidden and deleted ones do not count)."""
    hidden_or_deleted = spec_comment_ids(spec.id, or_(Comment.hidden_at.is_not(None), Comment.deleted_at.is_not(None)))
    return session.scalar(
        select(func.count(SpecComment.id))
        .outerjoin(SpecResponse, SpecResponse.spec_comment_id == SpecComment.id)
        .where(
            SpecComment.spec_id == spec.id,
            SpecResponse.id.is_(None),
            SpecComment.comment_id.not_in(hidden_or_deleted),
        )
    ) or 0


def publish(session: Session, actor: User, spec: Spec, *, override_reason: str | None = None) -> SpecVersion:
    """Publish the final specification. Blocked while comments are unanswered, unless a
    commissioner confirms with a reason (recorded on the spec and in the audit trail)."""
    if not spec.is_reviewing:
        raise DomainError("Close the consultation and review the comments before publishing")
    waiting = unanswered_count(session, spec)
    reason = (override_reason or "").strip()
    if waiting:
        from collab.security import Permission, can

        # Only commissioners hold SPEC_MANAGE (collab/specs/permissions.py).
        if not can(Permission.SPEC_MANAGE, spec, user=actor):
            raise NotAllowed("Only a commissioner can publish while comments are unanswered")
        if not reason:
            raise DomainError(
                f"{waiting} comment{'s are' if waiting != 1 else ' is'} still waiting for a response. "
                "Answer them, or give the reason for publishing now",
                field="reason",
            )
        if len(reason) > 2000:
            raise DomainError("The reason must be 2,000 characters or fewer", field="reason")
        spec.publish_override_by_id = actor.id
        spec.publish_override_reason = reason
        spec.publish_override_unanswered = waiting
    spec.status = SpecStatus.PUBLISHED
    spec.published_at = utcnow()
    version = freeze(session, actor, spec, SpecStatus.PUBLISHED, "Published")
    audit.record(
        session, actor, "spec.published", spec, alliance=spec.alliance, label=spec.title,
        detail={"version": version.number, "unanswered": waiting, "reason": reason or None},
    )
    return version
