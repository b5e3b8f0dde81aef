"""Invitations and replies: places, the waiting list, access needs, attendance and payments."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Membership, Role
from collab.db import utcnow
from collab.errors import DomainError
from collab.notifications.services import notify
from collab.workshops.models import ACCESS_NEEDS, Invitee, Reply, Workshop
from collab.workshops.services._common import check_text, lock_workshop, require_not_cancelled

#: Replies that hold a place or a place in the queue.
_COMING = (Reply.YES, Reply.WAITING)


def members_of(session: Session, workshop: Workshop) -> list[Membership]:
    """The alliance's members, by name, for choosing whom to invite."""
    return list(session.scalars(
        select(Membership).join(User, Membership.user_id == User.id)
        .where(Membership.alliance_id == workshop.alliance_id)
        .options(joinedload(Membership.user)).order_by(func.lower(User.display_name))
    ))


def invite(
    session: Session, actor: User, workshop: Workshop, *, user_ids: Iterable[int] = (), roles: Iterable[str] = (),
    url: str = "",
) -> list[Invitee]:
    """Invite chosen members and/or everyone with a role; people already invited are left as they are."""
    require_not_cancelled(workshop)
    if workshop.is_past:
        raise DomainError("This workshop has already happened")
    wanted_ids = set(user_ids)
    wanted_roles = {Role(r) for r in roles if r in {role.value for role in Role}}
    if not wanted_ids and not wanted_roles:
        raise DomainError("Choose at least one person or role to invite", field="people")
    members = {m.user_id: m for m in members_of(session, workshop)}
    if wanted_ids - set(members):
        raise DomainError("You can only invite members of this alliance", field="people")
    chosen = wanted_ids | {uid for uid, m in members.items() if m.role in wanted_roles}
    already = set(session.scalars(select(Invitee.user_id).where(Invitee.workshop_id == workshop.id)))
    made = []
    for uid in sorted(chosen - already):
        invitee = Invitee(workshop_id=workshop.id, user_id=uid, invited_by_id=actor.id, invited_at=utcnow(),
                          reply=Reply.PENDING, access_needs=[], access_needs_other="", claims_payment=False,
                          named_in_exports=False)
        session.add(invitee)
        made.append(invitee)
    session.flush()
    if made:
        audit.record(session, actor, "workshop.invited", workshop, alliance=workshop.alliance, label=workshop.title,
                     detail={"count": len(made)})
        when = f"{workshop.local_start:%A} {workshop.local_start.day} {workshop.local_start:%B at %H:%M}"
        notify(session, [members[i.user_id].user for i in made], "workshop_invited",
               f"You are invited to a workshop: {workshop.title}",
               body=f"{actor.display_name} invited you to {workshop.title} on {when}. Please say if you can come.",
               url=url, alliance=workshop.alliance, exclude=actor)
    return made


def invitee_for(session: Session, workshop: Workshop, user: User) -> Invitee | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return session.scalar(select(Invitee).where(Invitee.workshop_id == workshop.id, Invitee.user_id == user.id))


def taken_places(session: Session, workshop: Workshop) -> int:
    return session.scalar(
        select(func.count()).select_from(Invitee).where(Invitee.workshop_id == workshop.id, Invitee.reply == Reply.YES)
    ) or 0


@dataclass
class ReplyResult:
    invitee: Invitee
    #: People moved from the waiting list to a place by this reply.
    promoted: list[Invitee]


def reply(
    session: Session, actor: User, workshop: Workshop, answer: str, *, access_needs: Iterable[str] = (),
    access_needs_other: str = "", claims_payment: bool = False, named_in_exports: bool = False, url: str = "",
) -> ReplyResult:
    """Say yes, no or maybe. Yes takes a place if one is free, or a place on the waiting list.

    The workshop's row is locked first, so that however many replies arrive at once, no more
    than ``capacity`` people hold a place and the waiting list keeps the order replies came in.
    """
    require_not_cancelled(workshop)
    if workshop.is_past:
        raise DomainError("This workshop has already happened, so replies are closed")
    if answer not in (Reply.YES, Reply.NO, Reply.MAYBE):
        raise DomainError("Choose yes, no or maybe", field="reply")
    needs = [key for key in access_needs if key in ACCESS_NEEDS]
    other = check_text(access_needs_other, "other access needs", "access_needs_other", 2000, required=False)
    lock_workshop(session, workshop)
    invitee = invitee_for(session, workshop, actor)
    if invitee is None:
        raise DomainError("You have not been invited to this workshop. Ask the organiser.")
    was = invitee.reply
    invitee.access_needs = needs
    invitee.access_needs_other = other
    invitee.claims_payment = bool(claims_payment) and workshop.payment_pence > 0
    invitee.named_in_exports = bool(named_in_exports)
    invitee.replied_at = utcnow()
    if answer == Reply.YES:
        if was not in _COMING:
            if taken_places(session, workshop) < workshop.capacity:
                invitee.reply = Reply.YES
                invitee.waiting_number = None
            else:
                invitee.reply = Reply.WAITING
                invitee.waiting_number = (session.scalar(
                    select(func.max(Invitee.waiting_number)).where(Invitee.workshop_id == workshop.id)
                ) or 0) + 1
    else:
        invitee.reply = Reply(answer)
        invitee.waiting_number = None
    session.flush()
    if was != invitee.reply:
        audit.record(session, actor, "workshop.replied", workshop, alliance=workshop.alliance, label=workshop.title,
                     detail={"reply": invitee.reply.value, "was": was.value})
    promoted = promote_waiting(session, workshop, url=url) if was == Reply.YES and invitee.reply != Reply.YES else []
    return ReplyResult(invitee, promoted)


def promote_waiting(session: Session, workshop: Workshop, url: str = "") -> list[Invitee]:
    """Give free places to the waiting list, first come first served (call with the workshop locked)."""
    lock_workshop(session, workshop)
    free = workshop.capacity - taken_places(session, workshop)
    if free <= 0:
        return []
    queue = list(session.scalars(
        select(Invitee).where(Invitee.workshop_id == workshop.id, Invitee.reply == Reply.WAITING)
        .order_by(Invitee.waiting_number, Invitee.id).limit(free)
    ))
    for invitee in queue:
        invitee.reply = Reply.YES
        invitee.waiting_number = None
    session.flush()
    if queue:
        notify(session, [i.user for i in queue], "workshop_place_free",
               f"A place is free for you: {workshop.title}",
               body="You were on the waiting list and now have a place. If you cannot come, please say so.",
               url=url, alliance=workshop.alliance)
    return queue


def invitees(session: Session, workshop: Workshop) -> list[Invitee]:
    """Everyone invited: coming first, then the waiting list in order, then the rest by name."""
    order = {Reply.YES: 0, Reply.WAITING: 1, Reply.MAYBE: 2, Reply.PENDING: 3, Reply.NO: 4}
    rows = list(session.scalars(
        select(Invitee).where(Invitee.workshop_id == workshop.id).options(joinedload(Invitee.user))
    ))
    return sorted(rows, key=lambda i: (order[i.reply], i.waiting_number or 0, i.user.display_name.lower()))


def reply_counts(session: Session, workshop: Workshop) -> dict[Reply, int]:
    counts = dict(session.execute(
        select(Invitee.reply, func.count()).where(Invitee.workshop_id == workshop.id).group_by(Invitee.reply)
    ).all())
    return {reply: counts.get(reply, 0) for reply in Reply}


def access_summary(people: Iterable[Invitee]) -> list[str]:
    """What to plan for among the people coming: '2 need step-free access', '1 BSL interpreter'."""
    counted: Counter[str] = Counter()
    other = 0
    for invitee in people:
        if invitee.reply != Reply.YES:
            continue
        counted.update(invitee.access_needs)
        other += 1 if invitee.access_needs_other else 0
    lines = [f"{counted[key]} \u00d7 {ACCESS_NEEDS[key]}" for key in ACCESS_NEEDS if counted[key]]
    if other:
        lines.append(f"{other} with other needs described below")
    return lines


def mark_attendance(session: Session, actor: User, workshop: Workshop, attended_ids: Iterable[int]) -> int:
    """Record who came (everyone who had a place); returns how many came."""
    if workshop.starts_at > utcnow():
        raise DomainError("You can mark who came once the workshop has started")
    came = set(attended_ids)
    people = [i for i in invitees(session, workshop) if i.reply == Reply.YES or i.attended]
    for invitee in people:
        invitee.attended = invitee.id in came
        invitee.attendance_marked_at = utcnow()
    session.flush()
    count = sum(1 for i in people if i.attended)
    audit.record(session, actor, "workshop.attendance_marked", workshop, alliance=workshop.alliance,
                 label=workshop.title, detail={"attended": count, "marked": len(people)})
    return count


def payment_list(session: Session, workshop: Workshop) -> list[Invitee]:
    """People who came and claimed the participation payment."""
    return [i for i in invitees(session, workshop) if i.attended and i.claims_payment]


def record_payment_export(session: Session, actor: User, workshop: Workshop, count: int) -> None:
    audit.record(session, actor, "workshop.payments_exported", workshop, alliance=workshop.alliance,
                 label=workshop.title, detail={"count": count, "pence_each": workshop.payment_pence})
