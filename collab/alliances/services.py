"""Alliance rules: organisations, alliances, invitations and membership."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from collab import audit
from collab.accounts.models import User
from collab.accounts.services import normalise_email
from collab.alliances import signals
from collab.alliances.models import (
    ORGANISATION_FIELDS,
    Alliance,
    CorrectionStatus,
    Invitation,
    Membership,
    Organisation,
    OrganisationCorrection,
    OrganisationType,
    Role,
    SharedOutcome,
    SizeBand,
    Visibility,
)
from collab.db import utcnow
from collab.errors import DomainError, NotAllowed
from collab.mail import external_url, send_after_commit
from collab.notifications import notify, register_kind
from collab.security import Permission, can, forget_memberships, hash_token, new_token
from collab.security_log import log_event

register_kind(
    "organisation_correction_proposed",
    "A correction to your organisation's details is proposed",
    "When a commissioner proposes a change to the details of an organisation you represent.",
)
register_kind(
    "organisation_correction_decided",
    "A correction you proposed was accepted or declined",
    "When an organisation's representative decides on a correction you proposed.",
)

# Organisations ----------------------------------------------------------------


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
        OrganisationType(wanted["org_type"])
        SizeBand(wanted["size_band"])
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
    alliances = organisation_alliances(session, organisation)
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


# Corrections to organisations -----------------------------------------------------


def pending_corrections(session: Session, organisation: Organisation) -> list[OrganisationCorrection]:
    return list(
        session.scalars(
            select(OrganisationCorrection)
            .where(
                OrganisationCorrection.organisation_id == organisation.id,
                OrganisationCorrection.status == CorrectionStatus.PENDING,
            )
            .options(selectinload(OrganisationCorrection.proposed_by))
            .order_by(OrganisationCorrection.id)
        )
    )


def propose_correction(
    session: Session, actor: User, organisation: Organisation, *, reason: str, **fields: object
) -> OrganisationCorrection:
    """Propose a change to an organisation's details, for its representatives to decide."""
    changes = _changes(organisation, fields)
    if not changes:
        raise DomainError("Change at least one detail, or go back if nothing needs correcting")
    if "name" in changes:
        _check_organisation_name(session, str(changes["name"]), exclude=organisation.id)
    reason = reason.strip()
    if not reason:
        raise DomainError("Enter why the details need correcting", "reason")
    correction = OrganisationCorrection(
        organisation=organisation, changes=changes, reason=reason, proposed_by_id=actor.id
    )
    session.add(correction)
    session.flush()
    _record_everywhere(
        session, actor, "organisation.correction_proposed", organisation,
        {"correction": correction.id, "changed": [FIELD_LABELS[key] for key in changes]},
    )
    deciders = representatives(session, organisation)
    if not deciders and organisation.created_by_id is not None:
        registrar = session.get(User, organisation.created_by_id)
        deciders = [registrar] if registrar is not None else []
    notify(
        session, deciders, "organisation_correction_proposed",
        f"{actor.display_name} has proposed a correction to {organisation.name}",
        body=f"They say: {reason[:500]}\n\nAccept it if it is right, or decline it.",
        url=url_for("alliances.organisation", organisation_id=organisation.id),
        exclude=actor,
    )
    return correction


def _decide(session: Session, actor: User, correction: OrganisationCorrection, status: CorrectionStatus) -> None:
    # Claim the decision atomically: of two representatives deciding at once, one wins.
    claimed = session.execute(
        update(OrganisationCorrection)
        .where(
            OrganisationCorrection.id == correction.id,
            OrganisationCorrection.status == CorrectionStatus.PENDING,
        )
        .values(status=status, decided_by_id=actor.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("Someone has already accepted or declined this correction")
    session.refresh(correction)


def accept_correction(session: Session, actor: User, correction: OrganisationCorrection) -> None:
    """Apply a proposed correction to the organisation, recorded in every alliance it belongs to."""
    organisation = correction.organisation
    _decide(session, actor, correction, CorrectionStatus.ACCEPTED)
    before = organisation_values(organisation)
    changes = {key: value for key, value in correction.changes.items() if before.get(key) != value}
    if changes:
        _apply(session, organisation, changes)
    detail = _change_detail(before, changes)
    detail["correction"] = correction.id
    detail["proposed_by"] = correction.proposed_by.display_name if correction.proposed_by else None
    _record_everywhere(session, actor, "organisation.correction_accepted", organisation, detail)
    _tell_proposer(session, actor, correction, "accepted")


def decline_correction(session: Session, actor: User, correction: OrganisationCorrection) -> None:
    """Turn down a proposed correction; the organisation stays as it is."""
    _decide(session, actor, correction, CorrectionStatus.DECLINED)
    _record_everywhere(
        session, actor, "organisation.correction_declined", correction.organisation,
        {"correction": correction.id},
    )
    _tell_proposer(session, actor, correction, "declined")


def _tell_proposer(session: Session, actor: User, correction: OrganisationCorrection, outcome: str) -> None:
    organisation = correction.organisation
    notify(
        session, [correction.proposed_by] if correction.proposed_by else [], "organisation_correction_decided",
        f"{actor.display_name} {outcome} your correction to {organisation.name}",
        url=url_for("alliances.organisation", organisation_id=organisation.id),
        exclude=actor,
    )


# Alliances ----------------------------------------------------------------------


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60] or "alliance"


def _unique_slug(session: Session, name: str) -> str:
    base = slugify(name)
    slug, n = base, 2
    while session.scalar(select(Alliance.id).where(Alliance.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_alliance(
    session: Session,
    actor: User,
    *,
    name: str,
    purpose: str,
    outcomes: list[str],
    visibility: Visibility = Visibility.PRIVATE,
    organisation: Organisation | None = None,
) -> Alliance:
    """Create an alliance; its creator becomes its first commissioner."""
    alliance = Alliance(
        name=name,
        slug=_unique_slug(session, name),
        purpose=purpose,
        visibility=Visibility(visibility),
        created_by_id=actor.id,
    )
    alliance.outcomes = [SharedOutcome(position=i, text=text) for i, text in enumerate(outcomes, start=1)]
    for attempt in range(5):
        try:
            with session.begin_nested():
                session.add(alliance)
            break
        except IntegrityError:
            # Someone took the same address a moment ago: add a short random ending.
            if attempt == 4:
                raise
            alliance.slug = f"{slugify(name)[:50]}-{secrets.token_hex(3)}"
    session.add(
        Membership(user=actor, alliance=alliance, role=Role.COMMISSIONER, organisation=organisation)
    )
    session.flush()
    forget_memberships()
    audit.record(session, actor, "alliance.created", alliance, alliance=alliance, label=alliance.name)
    audit.record(
        session, actor, "membership.joined", actor, alliance=alliance, label=actor.display_name,
        detail={"role": Role.COMMISSIONER.value},
    )
    return alliance


def update_alliance(
    session: Session,
    actor: User,
    alliance: Alliance,
    *,
    name: str,
    purpose: str,
    outcomes: list[str],
    visibility: Visibility,
) -> None:
    """Change an alliance's name, purpose, outcomes or visibility."""
    changed = []
    if alliance.name != name:
        changed.append("name")
    if alliance.purpose != purpose:
        changed.append("purpose")
    if [o.text for o in alliance.outcomes] != outcomes:
        changed.append("shared outcomes")
    if alliance.visibility != Visibility(visibility):
        changed.append("visibility")
    alliance.name = name
    alliance.purpose = purpose
    alliance.visibility = Visibility(visibility)
    if "shared outcomes" in changed:
        alliance.outcomes.clear()
        session.flush()
        alliance.outcomes.extend(SharedOutcome(position=i, text=t) for i, t in enumerate(outcomes, start=1))
    session.flush()
    if changed:
        audit.record(
            session, actor, "alliance.updated", alliance, alliance=alliance, label=alliance.name,
            detail={"changed": changed},
        )


_SLUG = re.compile(r"[a-z0-9-]{1,80}")


def get_alliance(session: Session, slug: str) -> Alliance | None:
    """The alliance with this slug; None for anything that cannot be a slug (saves a query)."""
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        return None
    return session.scalar(select(Alliance).where(Alliance.slug == slug))


def alliances_for(session: Session, user: User) -> list[tuple[Alliance, Membership]]:
    """The user's alliances with their membership, by name."""
    rows = session.execute(
        select(Alliance, Membership)
        .join(Membership, Membership.alliance_id == Alliance.id)
        .where(Membership.user_id == user.id)
        .order_by(Alliance.name)
    ).all()
    return [(a, m) for a, m in rows]


def public_alliances(session: Session, exclude_user: User | None = None) -> list[Alliance]:
    stmt = select(Alliance).where(Alliance.visibility == Visibility.PUBLIC).order_by(Alliance.name)
    if exclude_user is not None and exclude_user.is_authenticated:
        mine = select(Membership.alliance_id).where(Membership.user_id == exclude_user.id)
        stmt = stmt.where(Alliance.id.not_in(mine))
    return list(session.scalars(stmt))


def members(session: Session, alliance: Alliance) -> list[Membership]:
    """Every membership with its person and organisation loaded (no lazy loads in templates)."""
    return list(
        session.scalars(
            select(Membership)
            .where(Membership.alliance_id == alliance.id)
            .options(selectinload(Membership.user), selectinload(Membership.organisation))
            .join(User, User.id == Membership.user_id)
            .order_by(func.lower(User.display_name))
        )
    )


def members_by_role(memberships: list[Membership]) -> dict[Role, list[Membership]]:
    grouped: dict[Role, list[Membership]] = defaultdict(list)
    for membership in memberships:
        grouped[membership.role].append(membership)
    return {role: grouped[role] for role in Role if grouped[role]}


def member_organisations(session: Session, alliance: Alliance) -> list[Organisation]:
    """The organisations represented in the alliance, by name (one query, however many members)."""
    represented = select(Membership.organisation_id).where(
        Membership.alliance_id == alliance.id, Membership.organisation_id.is_not(None)
    )
    return list(
        session.scalars(
            select(Organisation).where(Organisation.id.in_(represented)).order_by(func.lower(Organisation.name))
        )
    )


@dataclass
class RoleGroup:
    role: Role
    count: int
    #: The first few members by name; the members page lists everyone.
    first: list[Membership]

    @property
    def more(self) -> int:
        return self.count - len(self.first)


def people_preview(session: Session, alliance: Alliance, per_role: int = 8) -> list[RoleGroup]:
    """How many people hold each role, with the first few names: two queries, however many members."""
    counts = dict(
        session.execute(
            select(Membership.role, func.count(Membership.id))
            .where(Membership.alliance_id == alliance.id)
            .group_by(Membership.role)
        ).all()
    )
    by_name = func.row_number().over(
        partition_by=Membership.role, order_by=(func.lower(User.display_name), Membership.id)
    )
    ranked = (
        select(Membership.id, by_name.label("place"))
        .join(User, User.id == Membership.user_id)
        .where(Membership.alliance_id == alliance.id)
        .subquery()
    )
    first: dict[Role, list[Membership]] = defaultdict(list)
    for membership in session.scalars(
        select(Membership)
        .join(ranked, ranked.c.id == Membership.id)
        .where(ranked.c.place <= per_role)
        .options(joinedload(Membership.user), joinedload(Membership.organisation))
        .order_by(ranked.c.place)
    ):
        first[membership.role].append(membership)
    return [RoleGroup(role, counts[role], first[role]) for role in Role if counts.get(role)]


# Invitations --------------------------------------------------------------------


def _check_organisation_for_role(role: Role, organisation: Organisation | None) -> None:
    if role == Role.PROVIDER and organisation is None:
        raise DomainError("Select the organisation this provider represents", "organisation_id")
    if organisation is not None and role not in (Role.PROVIDER, Role.COMMISSIONER):
        raise DomainError(
            "Only providers and commissioners represent an organisation. Choose 'No organisation'.",
            "organisation_id",
        )


def invite(
    session: Session,
    actor: User,
    alliance: Alliance,
    *,
    email: str,
    role: Role,
    organisation: Organisation | None = None,
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the token for the link.

    A newer invitation to the same address replaces a pending older one.
    """
    email = normalise_email(email)
    role = Role(role)
    _check_organisation_for_role(role, organisation)
    already = session.scalar(
        select(Membership.id)
        .join(User, User.id == Membership.user_id)
        .where(Membership.alliance_id == alliance.id, User.email == email)
    )
    if already is not None:
        raise DomainError("That person is already a member of this alliance", "email")
    now = utcnow()
    for old in session.scalars(
        select(Invitation).where(
            Invitation.alliance_id == alliance.id,
            Invitation.email == email,
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
    ):
        old.revoked_at = now
    token, token_hash = new_token()
    invitation = Invitation(
        alliance=alliance,
        email=email,
        role=role,
        organisation=organisation,
        token_hash=token_hash,
        invited_by_id=actor.id,
        expires_at=now + timedelta(days=current_app.config["INVITATION_DAYS"]),
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session, actor, "invitation.sent", invitation, alliance=alliance, label=role.label,
        detail={"role": role.value, "organisation": organisation.name if organisation else None},
    )
    link = external_url(url_for("alliances.invitation", token=token))
    as_what = f"{role.label.lower()}"
    if organisation is not None:
        as_what += f" for {organisation.name}"
    send_after_commit(
        session,
        email,
        f"You are invited to join {alliance.name} on Collab",
        f"Hello,\n\n{actor.display_name} has invited you to join {alliance.name} on Collab "
        f"as a {as_what}.\n\nCollab is where the alliance's commissioners, providers, service users "
        f"and carers work on their agreement and services together.\n\n"
        f"To accept, open this link:\n\n{link}\n\n"
        f"The link works once and stops working after {current_app.config['INVITATION_DAYS']} days. "
        "If you were not expecting this, you can ignore this email.\n",
    )
    return invitation, token


def find_invitation(session: Session, token: str) -> Invitation | None:
    if not token or len(token) > 200:
        return None
    return session.scalar(select(Invitation).where(Invitation.token_hash == hash_token(token)))


def pending_invitations(session: Session, alliance: Alliance) -> list[Invitation]:
    now = utcnow()
    return list(
        session.scalars(
            select(Invitation)
            .where(
                Invitation.alliance_id == alliance.id,
                Invitation.used_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .options(selectinload(Invitation.organisation), selectinload(Invitation.invited_by))
            .order_by(Invitation.created_at.desc())
        )
    )


def revoke_invitation(session: Session, actor: User, invitation: Invitation) -> None:
    """Stop an invitation's link from working."""
    if not invitation.is_pending:
        raise DomainError("That invitation cannot be revoked: it has already been used, revoked or has expired")
    invitation.revoked_at = utcnow()
    session.flush()
    audit.record(
        session, actor, "invitation.revoked", invitation, alliance=invitation.alliance,
        label=invitation.role.label, detail={"role": invitation.role.value},
    )


class InvitationForSomeoneElse(NotAllowed):
    """The invitation was sent to another email address than the accepting account's."""


def mask_email(email: str) -> str:
    """Enough of an address for its owner to recognise it, such as g••••@riverside.example."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{'•' * 4}@{domain}"


def is_invited(invitation: Invitation, user: User) -> bool:
    """Whether the account's email is the address the invitation was sent to."""
    return normalise_email(user.email) == normalise_email(invitation.email)


def accept_invitation(session: Session, invitation: Invitation, user: User) -> Membership:
    """Use an invitation once to join its alliance, as the person it was sent to."""
    if not invitation.is_pending:
        raise DomainError("This invitation has expired, been revoked or has already been used")
    if not is_invited(invitation, user):
        # A forwarded link must not let someone else join, or sign for the invited organisation.
        raise InvitationForSomeoneElse(
            f"This invitation was sent to {mask_email(invitation.email)}, not to the account you are signed in with"
        )
    if session.scalar(
        select(Membership.id).where(
            Membership.alliance_id == invitation.alliance_id, Membership.user_id == user.id
        )
    ):
        raise DomainError(f"You are already a member of {invitation.alliance.name}")
    # Claim the invitation atomically: of two simultaneous acceptances, one wins.
    claimed = session.execute(
        update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))
        .values(used_at=utcnow(), used_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise DomainError("This invitation has already been used")
    session.refresh(invitation)
    membership = Membership(
        user=user, alliance=invitation.alliance, role=invitation.role, organisation=invitation.organisation
    )
    session.add(membership)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise DomainError(f"You are already a member of {invitation.alliance.name}") from None
    forget_memberships()
    audit.record(
        session, user, "membership.joined", user, alliance=invitation.alliance, label=user.display_name,
        detail={
            "role": invitation.role.value,
            "organisation": invitation.organisation.name if invitation.organisation else None,
        },
    )
    signals.representation_started.send(session, membership=membership)
    return membership


# Membership ---------------------------------------------------------------------


def _lock_alliance(session: Session, alliance: Alliance) -> None:
    """Serialise membership changes per alliance so the last commissioner cannot vanish in a race."""
    session.execute(select(Alliance.id).where(Alliance.id == alliance.id).with_for_update())


def _commissioner_count(session: Session, alliance: Alliance) -> int:
    return session.scalar(
        select(func.count(Membership.id)).where(
            Membership.alliance_id == alliance.id, Membership.role == Role.COMMISSIONER
        )
    ) or 0


def _keep_a_commissioner(session: Session, membership: Membership, message: str) -> None:
    if membership.role == Role.COMMISSIONER and _commissioner_count(session, membership.alliance) <= 1:
        raise DomainError(message)


def change_role(
    session: Session,
    actor: User,
    membership: Membership,
    *,
    role: Role,
    organisation: Organisation | None,
) -> None:
    """Change a member's role (and organisation)."""
    role = Role(role)
    _check_organisation_for_role(role, organisation)
    _lock_alliance(session, membership.alliance)
    session.refresh(membership)
    old_role = membership.role
    old_org = membership.organisation
    if old_role == role and old_org == organisation:
        return
    if (
        membership.user_id == actor.id
        and organisation is not None
        and organisation != old_org
        and not can(Permission.ORGANISATION_EDIT, organisation, user=actor)
    ):
        # Representing an organisation lets you edit it: nobody may hand that to themselves.
        raise NotAllowed(
            "You cannot make yourself the representative of an organisation you do not already represent. "
            "Ask the organisation to have its own representative invited.",
            "organisation_id",
        )
    if role != Role.COMMISSIONER:
        _keep_a_commissioner(
            session, membership,
            "An alliance must always have at least one commissioner. Make someone else a commissioner first.",
        )
    membership.role = role
    membership.organisation = organisation
    session.flush()
    forget_memberships()
    audit.record(
        session, actor, "membership.role_changed", membership.user, alliance=membership.alliance,
        label=membership.user.display_name,
        detail={
            "from": old_role.value,
            "to": role.value,
            "organisation": organisation.name if organisation else None,
        },
    )
    log_event(  # issue 7: security events
        "role-changed", user_id=actor.id, subject_user_id=membership.user_id,
        alliance_id=membership.alliance_id, from_role=old_role.value, to_role=role.value,
    )
    if organisation is not None and organisation != old_org:
        signals.representation_started.send(session, membership=membership)


def remove_member(session: Session, actor: User, membership: Membership) -> None:
    """Remove someone from the alliance."""
    _lock_alliance(session, membership.alliance)
    session.refresh(membership)
    _keep_a_commissioner(
        session, membership,
        "An alliance must always have at least one commissioner. Make someone else a commissioner first.",
    )
    alliance, user = membership.alliance, membership.user
    session.delete(membership)
    session.flush()
    forget_memberships()
    audit.record(
        session, actor, "membership.removed", user, alliance=alliance, label=user.display_name,
        detail={"role": membership.role.value},
    )


def leave(session: Session, membership: Membership) -> None:
    """Leave an alliance."""
    _lock_alliance(session, membership.alliance)
    session.refresh(membership)
    _keep_a_commissioner(
        session, membership,
        "You are the only commissioner. Make someone else a commissioner before you leave.",
    )
    alliance, user = membership.alliance, membership.user
    session.delete(membership)
    session.flush()
    forget_memberships()
    audit.record(
        session, user, "membership.left", user, alliance=alliance, label=user.display_name,
        detail={"role": membership.role.value},
    )
