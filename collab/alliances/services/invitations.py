"""Invitations: inviting someone by email, the link they follow, revoking and accepting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.accounts.services import create_user, normalise_email
from collab.alliances import signals
from collab.alliances.models import Alliance, Invitation, Membership, Organisation, Role
from collab.alliances.services._common import (
    _check_organisation_for_role,
    default_invitation_days,
    default_invitation_link,
)
from collab.db import utcnow
from collab.errors import DomainError, NotAllowed
from collab.mail import send_after_commit
from collab.security import forget_memberships, hash_token, new_token


def invite(
    session: Session,
    actor: User,
    alliance: Alliance,
    *,
    email: str,
    role: Role,
    organisation: Organisation | None = None,
    link_for: Callable[[str], str] | None = None,
    valid_days: int | None = None,
) -> tuple[Invitation, str]:
    """Invite someone by email; returns the invitation and the token for the link.

    A newer invitation to the same address replaces a pending older one. ``link_for`` turns
    the token into the absolute link for the email and ``valid_days`` is how long it works
    (the route passes both; left out, they come from the application).
    """
    days = valid_days if valid_days is not None else default_invitation_days()
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
        expires_at=now + timedelta(days=days),
    )
    session.add(invitation)
    session.flush()
    audit.record(
        session, actor, "invitation.sent", invitation, alliance=alliance, label=role.label,
        detail={"role": role.value, "organisation": organisation.name if organisation else None},
    )
    link = (link_for or default_invitation_link)(token)
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
        f"The link works once and stops working after {days} days. "
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


def join_with_new_account(session: Session, invitation: Invitation, *, display_name: str, password: str) -> Membership:
    """Create the invited person's account (a password that is not easy to guess) and join with it."""
    user = create_user(session, invitation.email, password, display_name, check_strength=True)
    return accept_invitation(session, invitation, user)
