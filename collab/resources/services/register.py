"""The register: what member organisations offer, listed, changed, paused, retired and browsed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.alliances.models import Alliance, Membership, Organisation
from collab.db import utcnow
from collab.errors import DomainError, NotAllowed
from collab.resources.models import RateUnit, Resource, ResourceKind, ResourceStatus
from collab.resources.services._common import (
    MAX_LOCATION,
    MAX_TEXT,
    MAX_TITLE,
    check_text,
    membership_of,
)

MAX_RATE = Decimal("1000000")
MAX_UNITS = 1000


@dataclass
class ResourceDetails:
    """What a person types about a resource (the register form)."""

    kind: str
    title: str
    description: str = ""
    location: str = ""
    conditions: str = ""
    accessibility: str = ""
    capacity: int | None = None
    units: int = 1
    rate: Decimal | str = Decimal("0")
    rate_unit: str = RateUnit.HOUR.value
    auto_approve: bool = False
    contact_id: int | None = None


def _clean(session: Session, alliance: Alliance, owner_id: int, details: ResourceDetails) -> dict[str, Any]:
    try:
        kind = ResourceKind(details.kind)
    except ValueError:
        raise DomainError("Choose what kind of resource it is", field="kind") from None
    try:
        rate_unit = RateUnit(details.rate_unit)
    except ValueError:
        raise DomainError("Choose whether the value is per hour, per day or per unit", field="rate_unit") from None
    try:
        rate = Decimal(str(details.rate).strip() or "0")
    except InvalidOperation:
        raise DomainError("Enter the value as an amount in pounds, like 25 or 12.50", field="rate") from None
    if not rate.is_finite() or rate < 0 or rate >= MAX_RATE:
        raise DomainError("Enter a value between £0 and £999,999.99", field="rate")
    if rate != rate.quantize(Decimal("0.01")):
        raise DomainError("Enter the value in pounds and pence, like 12.50", field="rate")
    units = details.units
    if units is None or not 1 <= units <= MAX_UNITS:
        raise DomainError(f"Enter how many can be booked at once, from 1 to {MAX_UNITS}", field="units")
    if details.capacity is not None and not 1 <= details.capacity <= 100_000:
        raise DomainError("Enter how many people it holds, or leave it empty", field="capacity")
    contact_id = details.contact_id
    if contact_id is not None:
        contact = session.scalar(
            select(Membership.user_id).where(
                Membership.alliance_id == alliance.id,
                Membership.user_id == contact_id,
                Membership.organisation_id == owner_id,
            )
        )
        if contact is None:
            raise DomainError("Choose a contact from your organisation", field="contact_id")
    return {
        "kind": kind,
        "title": check_text(details.title, "a title", "title", MAX_TITLE),
        "description": check_text(details.description, "a description", "description", MAX_TEXT, required=False),
        "location": check_text(details.location, "the location", "location", MAX_LOCATION, required=False),
        "conditions": check_text(details.conditions, "the conditions", "conditions", MAX_TEXT, required=False),
        "accessibility": check_text(details.accessibility, "access information", "accessibility", MAX_TEXT,
                                    required=False),
        "capacity": details.capacity,
        "units": units,
        "rate": rate,
        "rate_unit": rate_unit,
        "auto_approve": bool(details.auto_approve),
        "contact_id": contact_id,
    }


def create_resource(session: Session, actor: Any, alliance: Alliance, details: ResourceDetails) -> Resource:
    """List a resource on behalf of the organisation the person represents in this alliance."""
    membership = membership_of(session, actor, alliance)
    if membership is None or membership.organisation_id is None:
        raise NotAllowed("Only people who represent an organisation can list what it shares")
    values = _clean(session, alliance, membership.organisation_id, details)
    if values["contact_id"] is None:
        values["contact_id"] = actor.id
    resource = Resource(alliance_id=alliance.id, organisation_id=membership.organisation_id,
                        created_by_id=actor.id, created_at=utcnow(), updated_at=utcnow(), **values)
    session.add(resource)
    session.flush()
    audit.record(session, actor, "resource.listed", resource, alliance=alliance, label=resource.title,
                 detail={"kind": resource.kind.value})
    return resource


def update_resource(session: Session, actor: Any, resource: Resource, details: ResourceDetails) -> Resource:
    """Change a resource's details. Bookings already made keep the value they were made at."""
    if resource.is_retired:
        raise DomainError("This resource is retired, so it cannot be changed")
    values = _clean(session, resource.alliance, resource.organisation_id, details)
    if values["contact_id"] is None:
        values["contact_id"] = resource.contact_id
    for name, value in values.items():
        setattr(resource, name, value)
    resource.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "resource.changed", resource, alliance=resource.alliance, label=resource.title)
    return resource


def set_status(session: Session, actor: Any, resource: Resource, status: ResourceStatus) -> Resource:
    """Pause (no new requests), make available again, or retire for good (history is kept)."""
    if resource.is_retired:
        raise DomainError("This resource is retired, so it cannot be changed")
    if resource.status == status:
        return resource
    resource.status = status
    resource.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, f"resource.{status.value}", resource, alliance=resource.alliance,
                 label=resource.title)
    return resource


def get_resource(session: Session, alliance: Alliance, resource_id: int) -> Resource | None:
    """A resource of this alliance (None for another alliance's id)."""
    resource = session.get(Resource, resource_id)
    return resource if resource is not None and resource.alliance_id == alliance.id else None


@dataclass
class ResourceFilter:
    kind: str = ""
    organisation_id: int | None = None
    location: str = ""
    available_on: date | None = None
    include_retired: bool = False


def browse(session: Session, alliance: Alliance, wanted: ResourceFilter) -> list[Resource]:
    """The register, filtered: kind, owner, words in the location, open on a date."""
    from collab.resources.services.availability import is_open_on

    stmt: Select[Any] = (
        select(Resource)
        .where(Resource.alliance_id == alliance.id)
        .options(selectinload(Resource.organisation), selectinload(Resource.openings),
                 selectinload(Resource.exceptions))
        .order_by(func.lower(Resource.title), Resource.id)
    )
    if not wanted.include_retired:
        stmt = stmt.where(Resource.status != ResourceStatus.RETIRED)
    if wanted.kind:
        try:
            stmt = stmt.where(Resource.kind == ResourceKind(wanted.kind))
        except ValueError:
            pass
    if wanted.organisation_id:
        stmt = stmt.where(Resource.organisation_id == wanted.organisation_id)
    words = wanted.location.strip().lower()
    if words:
        pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        stmt = stmt.where(or_(func.lower(Resource.location).like(pattern, escape="\\"),
                              func.lower(Resource.title).like(pattern, escape="\\")))
    found = list(session.scalars(stmt))
    if wanted.available_on is not None:
        found = [r for r in found if r.is_active and is_open_on(r, wanted.available_on)]
    return found


def owner_organisations(session: Session, alliance: Alliance) -> list[Organisation]:
    """Organisations with something on the register (for the filter)."""
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(select(Resource.organisation_id).where(Resource.alliance_id == alliance.id)))
            .order_by(Organisation.name)
        )
    )


def contacts_for(session: Session, alliance: Alliance, organisation_id: int) -> list[Any]:
    """The people who represent the organisation in this alliance (who can be the contact)."""
    from collab.accounts.models import User

    return list(
        session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.alliance_id == alliance.id, Membership.organisation_id == organisation_id)
            .order_by(User.display_name)
        )
    )
