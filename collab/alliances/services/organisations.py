"""Organisations: registering them, their details, who represents them and who may see them.

An organisation belongs to no alliance of its own: it is in every alliance where someone
represents it, so a change to it is recorded in all of them.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import ORGANISATION_FIELDS, Alliance, Membership, Organisation, OrganisationType, SizeBand
from collab.errors import DomainError


def create_organisation(
    session: Session,
    actor: User,
    *,
    name: str,
    org_type: OrganisationType,
    size_band: SizeBand,
    locality: str,
    postcode_district: str | None = None,
    charity_number: str | None = None,
    company_number: str | None = None,
) -> Organisation:
    """Register an organisation; names are unique (case-insensitive)."""
    _check_organisation_name(session, name)
    organisation = Organisation(
        name=name,
        org_type=OrganisationType(org_type),
        size_band=SizeBand(size_band),
        locality=locality,
        postcode_district=postcode_district or None,
        charity_number=charity_number or None,
        company_number=company_number or None,
        created_by_id=actor.id,
    )
    try:
        with session.begin_nested():
            session.add(organisation)
    except IntegrityError:  # registered by someone else a moment ago
        raise DomainError("An organisation with that name is already registered", "name") from None
    audit.record(session, actor, "organisation.created", organisation, label=organisation.name)
    return organisation


FIELD_LABELS = {
    "name": "name",
    "org_type": "type",
    "size_band": "size",
    "locality": "where it works",
    "postcode_district": "postcode district",
    "charity_number": "charity number",
    "company_number": "company number",
}


def _clean(key: str, value: object) -> str | None:
    """A field's value as stored and compared: enums by value, blanks as None."""
    if value is None:
        return None
    text = str(getattr(value, "value", value)).strip()
    if key == "postcode_district":
        text = text.upper()
    return text or None


def show_value(key: str, value: str | None) -> str:
    """A stored field value as people read it ("Small (10 to 49 staff)", "none")."""
    if value is None:
        return "none"
    if key == "org_type":
        return OrganisationType(value).label
    if key == "size_band":
        return SizeBand(value).label
    return value


def organisation_values(organisation: Organisation) -> dict[str, str | None]:
    """The organisation's details as plain strings, keyed by field name."""
    return {key: _clean(key, getattr(organisation, key)) for key in ORGANISATION_FIELDS}


def _changes(organisation: Organisation, fields: dict[str, object]) -> dict[str, str | None]:
    current = organisation_values(organisation)
    wanted = {key: _clean(key, fields.get(key)) for key in ORGANISATION_FIELDS}
    for key in ("name", "org_type", "size_band", "locality"):
        if wanted[key] is None:
            raise DomainError(f"Enter the organisation's {FIELD_LABELS[key]}", key)
    try:
        OrganisationType(str(wanted["org_type"]))
        SizeBand(str(wanted["size_band"]))
    except ValueError:
        raise DomainError("Select the type and size of the organisation") from None
    return {key: value for key, value in wanted.items() if value != current[key]}


def _apply(session: Session, organisation: Organisation, changes: dict[str, str | None]) -> None:
    if "name" in changes:
        _check_organisation_name(session, str(changes["name"]), exclude=organisation.id)
    for key, value in changes.items():
        if key == "org_type":
            organisation.org_type = OrganisationType(str(value))
        elif key == "size_band":
            organisation.size_band = SizeBand(str(value))
        else:
            setattr(organisation, key, value)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise DomainError("An organisation with that name is already registered", "name") from None


def organisation_alliances(session: Session, organisation: Organisation) -> list[Alliance]:
    """The alliances the organisation belongs to: those where someone represents it, by name."""
    represented = select(Membership.alliance_id).where(Membership.organisation_id == organisation.id)
    return list(session.scalars(select(Alliance).where(Alliance.id.in_(represented)).order_by(Alliance.name)))


def representatives(session: Session, organisation: Organisation) -> list[User]:
    """Everyone who represents the organisation in any alliance, by name."""
    reps = select(Membership.user_id).where(Membership.organisation_id == organisation.id)
    return list(session.scalars(select(User).where(User.id.in_(reps)).order_by(func.lower(User.display_name))))


def _record_everywhere(
    session: Session, actor: User, action: str, organisation: Organisation, detail: dict[str, object]
) -> None:
    """One audit entry in the activity of every alliance the organisation belongs to.

    A change to an organisation shows in every alliance whose pages (and agreements)
    carry its name, so none of them is surprised by it. With no alliance yet, one
    site-wide entry keeps the record.
    """
    alliances: list[Alliance | None] = [*organisation_alliances(session, organisation)]
    for alliance in alliances or [None]:
        audit.record(session, actor, action, organisation, alliance=alliance, label=organisation.name, detail=detail)


def _change_detail(before: dict[str, str | None], changes: dict[str, str | None]) -> dict[str, object]:
    return {
        "changed": [FIELD_LABELS[key] for key in changes],
        "from": {key: before[key] for key in changes},
        "to": dict(changes),
    }


def update_organisation(session: Session, actor: User, organisation: Organisation, **fields: object) -> bool:
    """Change an organisation's details directly; False when nothing changed.

    The change is recorded in the activity of every alliance it belongs to.
    """
    before = organisation_values(organisation)
    changes = _changes(organisation, fields)
    if not changes:
        return False
    _apply(session, organisation, changes)
    _record_everywhere(session, actor, "organisation.updated", organisation, _change_detail(before, changes))
    return True


def _check_organisation_name(session: Session, name: str, exclude: int | None = None) -> None:
    stmt = select(Organisation.id).where(func.lower(Organisation.name) == name.lower())
    if exclude is not None:
        stmt = stmt.where(Organisation.id != exclude)
    if session.scalar(stmt) is not None:
        raise DomainError("An organisation with that name is already registered", "name")


def all_organisations(session: Session) -> list[Organisation]:
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def visible_organisations(session: Session, user: User) -> list[Organisation]:
    """The organisations the person may see, by name.

    Those in alliances they belong to and those they registered; site administrators see all.
    """
    if user.is_site_admin:
        return all_organisations(session)
    my_alliances = select(Membership.alliance_id).where(Membership.user_id == user.id)
    in_my_alliances = select(Membership.organisation_id).where(
        Membership.alliance_id.in_(my_alliances), Membership.organisation_id.is_not(None)
    )
    return list(
        session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(in_my_alliances) | (Organisation.created_by_id == user.id))
            .order_by(Organisation.name)
        )
    )
