"""Needs: what a member is looking for, and offers from organisations that can help."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.errors import DomainError, NotAllowed
from collab.notifications.services import notify
from collab.resources.models import Need, NeedOffer, NeedStatus, Resource, ResourceKind, ResourceStatus
from collab.resources.services._common import MAX_TEXT, MAX_TITLE, check_text, membership_of


def post_need(session: Session, actor: Any, alliance: Alliance, *, kind: str, title: str, description: str = "",
              when: str = "") -> Need:
    """Say what you are looking for; owners can answer with an offer."""
    membership = membership_of(session, actor, alliance)
    if membership is None:
        raise NotAllowed("Only members of the alliance can post a need")
    try:
        need_kind = ResourceKind(kind)
    except ValueError:
        raise DomainError("Choose what kind of thing you need", field="kind") from None
    need = Need(
        alliance_id=alliance.id, organisation_id=membership.organisation_id, posted_by_id=actor.id, kind=need_kind,
        title=check_text(title, "what you need", "title", MAX_TITLE),
        description=check_text(description, "more about it", "description", MAX_TEXT, required=False),
        when=check_text(when, "when you need it", "when", 300, required=False),
        created_at=utcnow(),
    )
    session.add(need)
    session.flush()
    audit.record(session, actor, "resource.need_posted", need, alliance=alliance, label=need.title)
    return need


def answer_need(session: Session, actor: Any, need: Need, *, message: str, resource_id: int | None = None,
                link: str = "") -> NeedOffer:
    """Offer help with a need, on behalf of your organisation, optionally naming one of its resources."""
    if need.status != NeedStatus.OPEN:
        raise DomainError("This need is no longer open")
    membership = membership_of(session, actor, need.alliance)
    if membership is None or membership.organisation_id is None:
        raise NotAllowed("Only people who represent an organisation can make an offer")
    resource = None
    if resource_id is not None:
        resource = session.get(Resource, resource_id)
        if (resource is None or resource.alliance_id != need.alliance_id
                or resource.organisation_id != membership.organisation_id
                or resource.status == ResourceStatus.RETIRED):
            raise DomainError("Choose one of your organisation's resources", field="resource_id")
    offer = NeedOffer(need=need, organisation_id=membership.organisation_id, offered_by_id=actor.id,
                      resource_id=resource.id if resource else None,
                      message=check_text(message, "your offer", "message", MAX_TEXT), created_at=utcnow())
    session.add(offer)
    session.flush()
    audit.record(session, actor, "resource.need_answered", need, alliance=need.alliance, label=need.title)
    if need.posted_by is not None:
        organisation = membership.organisation.name if membership.organisation else actor.display_name
        notify(session, [need.posted_by], "resource_need_answered",
               f"{organisation} offered help with your need: {need.title}", body=offer.message, url=link,
               alliance=need.alliance, exclude=actor)
    return offer


def close_need(session: Session, actor: Any, need: Need, *, met: bool) -> Need:
    """The poster marks the need as met, or closes it."""
    if need.status != NeedStatus.OPEN:
        raise DomainError("This need is already closed")
    need.status = NeedStatus.MET if met else NeedStatus.CLOSED
    need.closed_at = utcnow()
    session.flush()
    audit.record(session, actor, "resource.need_closed", need, alliance=need.alliance, label=need.title,
                 detail={"met": met})
    return need


def needs_for(session: Session, alliance: Alliance, *, open_only: bool = False) -> list[Need]:
    stmt = (
        select(Need).where(Need.alliance_id == alliance.id)
        .options(selectinload(Need.offers), selectinload(Need.organisation), selectinload(Need.posted_by))
        .order_by(Need.status != NeedStatus.OPEN, Need.created_at.desc())
    )
    if open_only:
        stmt = stmt.where(Need.status == NeedStatus.OPEN)
    return list(session.scalars(stmt))


def get_need(session: Session, alliance: Alliance, need_id: int) -> Need | None:
    need = session.get(Need, need_id)
    return need if need is not None and need.alliance_id == alliance.id else None
