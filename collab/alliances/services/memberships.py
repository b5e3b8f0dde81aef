"""Membership: who is in an alliance in which role, changing roles, removing and leaving.

An alliance always keeps at least one commissioner; changes are serialised per alliance.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from collab import audit
from collab.accounts.models import User
from collab.alliances import signals
from collab.alliances.models import Alliance, Membership, Organisation, Role
from collab.alliances.services._common import _check_organisation_for_role
from collab.errors import DomainError, NotAllowed
from collab.security import Permission, can, forget_memberships
from collab.security_log import log_event


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
    _end_membership(
        session, actor, membership, "membership.removed",
        "An alliance must always have at least one commissioner. Make someone else a commissioner first.",
    )


def leave(session: Session, membership: Membership) -> None:
    """Leave an alliance."""
    _end_membership(
        session, membership.user, membership, "membership.left",
        "You are the only commissioner. Make someone else a commissioner before you leave.",
    )


def _end_membership(session: Session, actor: User, membership: Membership, action: str, last_commissioner: str) -> None:
    """Delete a membership (never the alliance's last commissioner's) and record who ended it."""
    _lock_alliance(session, membership.alliance)
    session.refresh(membership)
    _keep_a_commissioner(session, membership, last_commissioner)
    alliance, user = membership.alliance, membership.user
    session.delete(membership)
    session.flush()
    forget_memberships()
    audit.record(
        session, actor, action, user, alliance=alliance, label=user.display_name,
        detail={"role": membership.role.value},
    )
