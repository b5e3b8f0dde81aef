"""Telling members about a specification's stages: open for comments, a new draft, closed early.

The consultation's "have your say" notifications are action-needed: each is settled when the
person comments (or a facilitator comments for them), or when comments close.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab.accounts.models import User
from collab.alliances.models import Membership
from collab.db import utcnow
from collab.notifications.services import notify, resolve
from collab.permissions import Permission, permissions_for_role
from collab.specs import links
from collab.specs.models import Spec, SpecVersion


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _members(session: Session, spec: Spec, permission: Permission | None = None) -> list[User]:
    rows = session.scalars(
        select(Membership).where(Membership.alliance_id == spec.alliance_id).options(selectinload(Membership.user))
    )
    return [m.user for m in rows if permission is None or permission in permissions_for_role(m.role)]


def consultation_action(spec: Spec, user_id: int) -> str:
    """The action key of "have your say on this specification" for one person."""
    return f"spec:{spec.id}:consultation:user:{user_id}"


def tell_consultation_opened(session: Session, actor: User, spec: Spec, url: str = "") -> None:
    """Everyone who may comment is asked to, with the closing date."""
    closes = spec.consultation_closes_on
    opens = spec.consultation_opens_on
    until = f" until {_day(closes)}" if closes else ""
    if opens is not None and opens > utcnow().date():
        title = f"“{spec.title}” opens for comments on {_day(opens)}"
    else:
        title = f"“{spec.title}” is open for your comments{until}"
    notify(
        session, _members(session, spec, Permission.DOCUMENT_COMMENT_ADD), "spec_consultation_opened", title,
        body="Read the draft and say what you think about any paragraph. Every comment gets an answer.",
        url=url or links.spec_url(spec.alliance.slug, spec.id), alliance=spec.alliance, exclude=actor,
        action_key=lambda person: consultation_action(spec, person.id),
    )


def tell_draft_shared(session: Session, actor: User, spec: Spec, version: SpecVersion, note: str, url: str = "") -> None:
    """Everyone who can read the specification hears that a new draft is shared, and what changed."""
    notify(
        session, _members(session, spec, Permission.SPEC_VIEW), "spec_draft_shared",
        f"Draft {version.number} of “{spec.title}” is shared",
        body=f"What changed: {note[:500]}",
        url=url or links.version_url(spec.alliance.slug, spec.id, version.number), alliance=spec.alliance,
        exclude=actor,
    )


def tell_closed(session: Session, spec: Spec) -> None:
    """Comments have closed: nobody is asked to comment any more.

    (Closing early also tells everyone why: ``stages.close_consultation`` sends that, with the reason.)
    """
    resolve(session, f"spec:{spec.id}:consultation:", prefix=True)


def tell_comment_made_for(session: Session, actor: User, spec: Spec, person: User, url: str = "") -> None:
    """A facilitator commented in someone's name: that person is told, so they can check it."""
    notify(
        session, [person], "spec_comment_on_behalf",
        f"{actor.display_name} added a comment for you on “{spec.title}”",
        body="Check that it says what you meant. If it does not, reply to it or ask them to change it.",
        url=url or links.spec_url(spec.alliance.slug, spec.id), alliance=spec.alliance, exclude=actor,
    )
