"""Alliances' items on "For you": corrections waiting for an organisation's representative,
invitations that ran out unused (for the people who invite), and who joined since your last visit.

Registered in ``collab.alliances.init_app``. A fixed number of queries, however many alliances.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import url_for
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from collab.accounts.models import User
from collab.alliances.models import CorrectionStatus, Invitation, Membership, Organisation, OrganisationCorrection
from collab.attention import Item
from collab.db import utcnow
from collab.permissions import Permission, permissions_for_role

AREA = "alliances"

#: An invitation that ran out unused stays on the inviter's list this long.
EXPIRED_INVITATION_DAYS = 14

#: An unused invitation comes onto the inviter's list this long before it runs out.
RUNNING_OUT_DAYS = 3

#: More people than this joining one alliance since your last visit are shown as one item.
JOINED_ONE_BY_ONE = 3


def alliance_items(session: Session, person: Any, memberships: Sequence[Membership], since: datetime | None) -> Iterable[Item]:
    """Every alliance item for this person."""
    yield from _corrections(session, memberships)
    yield from _invitations_run_out(session, memberships)
    if since is not None:
        yield from _joined(session, person, memberships, since)


def _item(membership: Membership, **fields: Any) -> Item:
    alliance = membership.alliance
    return Item(alliance_id=alliance.id, alliance_name=alliance.name, alliance_slug=alliance.slug, area=AREA, **fields)


def _corrections(session: Session, memberships: Sequence[Membership]) -> Iterable[Item]:
    """Corrections to an organisation the person represents, waiting for a decision."""
    representing: dict[int, Membership] = {}
    for m in memberships:
        if m.organisation_id is not None:
            representing.setdefault(m.organisation_id, m)
    if not representing:
        return
    rows = session.execute(
        select(OrganisationCorrection.id, OrganisationCorrection.created_at, OrganisationCorrection.organisation_id,
               Organisation.name, User.display_name)
        .join(Organisation, Organisation.id == OrganisationCorrection.organisation_id)
        .outerjoin(User, User.id == OrganisationCorrection.proposed_by_id)
        .where(
            OrganisationCorrection.organisation_id.in_(list(representing)),
            OrganisationCorrection.status == CorrectionStatus.PENDING,
        )
        .order_by(OrganisationCorrection.id)
    ).all()
    for correction_id, created_at, organisation_id, name, proposer in rows:
        yield _item(
            representing[organisation_id],
            title=f"Accept or decline a correction to {name}",
            url=url_for("alliances.organisation", organisation_id=organisation_id) + "#corrections",
            happened_at=created_at,
            detail=f"{proposer or 'A commissioner'} proposed a change to its details. "
            "Someone who represents it decides.",
            extra={"kind": "correction", "correction_id": correction_id},
        )


def _invitations_run_out(session: Session, memberships: Sequence[Membership]) -> Iterable[Item]:
    """Invitations that run out within a few days or ran out in the last two weeks, unused and not sent again."""
    inviting = {
        m.alliance_id: m for m in memberships
        if Permission.ALLIANCE_INVITATION_MANAGE in permissions_for_role(m.role)
    }
    if not inviting:
        return
    now = utcnow()
    newer = aliased(Invitation)
    rows = session.scalars(
        select(Invitation)
        .where(
            Invitation.alliance_id.in_(list(inviting)),
            Invitation.used_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at <= now + timedelta(days=RUNNING_OUT_DAYS),
            Invitation.expires_at > now - timedelta(days=EXPIRED_INVITATION_DAYS),
            ~exists().where(
                newer.alliance_id == Invitation.alliance_id, newer.email == Invitation.email, newer.id > Invitation.id
            ),
            ~exists().where(
                Membership.alliance_id == Invitation.alliance_id,
                Membership.user_id == User.id,
                func.lower(User.email) == func.lower(Invitation.email),
            ),
        )
        .order_by(Invitation.expires_at)
    ).all()
    for invitation in rows:
        membership = inviting[invitation.alliance_id]
        as_what = _a(invitation.role.label.lower())
        if invitation.expires_at > now:
            yield _item(
                membership,
                title=f"{invitation.email} has not joined yet",
                url=url_for("alliances.invitations", slug=membership.alliance.slug),
                due=invitation.expires_at,
                detail=f"Their invitation to join as {as_what} runs out soon. "
                "If they need more time, send it again.",
                extra={"kind": "invitation", "invitation_id": invitation.id},
            )
            continue
        yield _item(
            membership,
            title=f"Invite {invitation.email} again",
            url=url_for("alliances.invitations", slug=membership.alliance.slug),
            happened_at=invitation.expires_at,
            detail=f"Their invitation to join as {as_what} ran out before they used it.",
            extra={"kind": "invitation", "invitation_id": invitation.id},
        )


def _a(label: str) -> str:
    return ("an " if label[:1] in "aeiou" else "a ") + label


def _joined(session: Session, person: Any, memberships: Sequence[Membership], since: datetime) -> Iterable[Item]:
    """People who joined the person's alliances since their last visit."""
    seeing = {m.alliance_id: m for m in memberships if Permission.ALLIANCE_MEMBER_VIEW in permissions_for_role(m.role)}
    if not seeing:
        return
    rows = session.execute(
        select(Membership.alliance_id, Membership.role, Membership.created_at, User.display_name, Organisation.name)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Organisation, Organisation.id == Membership.organisation_id)
        .where(Membership.alliance_id.in_(list(seeing)), Membership.created_at > since, Membership.user_id != person.id)
    ).all()
    by_alliance: dict[int, list[Any]] = {}
    for row in rows:
        by_alliance.setdefault(row[0], []).append(row)
    for alliance_id, joined in by_alliance.items():
        membership = seeing[alliance_id]
        members_url = url_for("alliances.members", slug=membership.alliance.slug)
        if len(joined) > JOINED_ONE_BY_ONE:
            # Many at once (a new alliance filling up): one line, not a wall of them.
            joined.sort(key=lambda row: row[2])
            names = [row[3] for row in joined]
            yield _item(
                membership, title=f"{len(joined)} people joined", url=members_url, needs_you=False,
                happened_at=joined[-1][2], detail=f"{', '.join(names[:3])} and {len(names) - 3} more.",
            )
            continue
        for _alliance_id, role, created_at, name, organisation in joined:
            as_what = _a(role.label.lower()) + (f" for {organisation}" if organisation else "")
            yield _item(membership, title=f"{name} joined as {as_what}", url=members_url, needs_you=False,
                        happened_at=created_at)
