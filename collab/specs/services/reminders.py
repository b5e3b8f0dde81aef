"""Reminders: "comments on this specification close in three days", once per person and consultation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab.accounts.models import User
from collab.alliances.models import Membership
from collab.notifications.services import claim_reminders, notify
from collab.permissions import Permission
from collab.security import can
from collab.specs.models import Spec, SpecStatus

#: The notification kind (registered in collab/specs/activity.py).
CLOSING_KIND = "spec_consultation_closing"
#: How many days before the closing date people are reminded.
REMINDER_DAYS = 3


def closing_consultations(session: Session, today: date) -> list[Spec]:
    """Consultations taking comments that close within the next three days (today included)."""
    return list(
        session.scalars(
            select(Spec)
            .where(
                Spec.status == SpecStatus.CONSULTATION,
                Spec.consultation_closes_on.is_not(None),
                Spec.consultation_closes_on >= today,
                Spec.consultation_closes_on <= today + timedelta(days=REMINDER_DAYS),
                (Spec.consultation_opens_on.is_(None)) | (Spec.consultation_opens_on <= today),
            )
            .options(selectinload(Spec.alliance))
            .order_by(Spec.id)
        )
    )


def people_who_can_comment(session: Session, spec: Spec) -> list[User]:
    """Members of the spec's alliance whose role lets them comment (through the one policy module)."""
    memberships = session.scalars(
        select(Membership)
        .where(Membership.alliance_id == spec.alliance_id)
        .options(selectinload(Membership.user))
        .order_by(Membership.id)
    )
    return [
        m.user for m in memberships
        if m.user.is_active_account
        and can(Permission.SPEC_VIEW, spec, user=m.user)
        and can(Permission.DOCUMENT_COMMENT_ADD, spec, user=m.user)
    ]


def send_closing_reminders(session: Session, today: date, spec_url: Callable[[Spec], str]) -> int:
    """Remind everyone who can comment on a consultation closing within three days; returns how many were told.

    Each person is reminded once per consultation and closing date (a new draft shared during
    the consultation does not remind again; a later closing date does), however often this runs
    and however many workers run it at once.
    """
    told = 0
    for spec in closing_consultations(session, today):
        closes = spec.consultation_closes_on
        assert closes is not None
        people = people_who_can_comment(session, spec)
        fresh = claim_reminders(session, CLOSING_KIND, f"spec:{spec.id}:{closes.isoformat()}", [p.id for p in people])
        if not fresh:
            continue
        when = "today" if closes == today else f"on {closes:%A} {closes.day} {closes:%B}"
        notes = notify(
            session, [p for p in people if p.id in fresh], CLOSING_KIND,
            f"Comments on {spec.title} close {when}",
            body=f"The consultation on {spec.title} in {spec.alliance.name} takes comments until the end of "
            f"{closes:%A} {closes.day} {closes:%B %Y}. If there is something you want to say, comment before then.",
            url=spec_url(spec), alliance=spec.alliance,
        )
        told += len(notes)
    return told
