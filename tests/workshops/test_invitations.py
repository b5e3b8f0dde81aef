"""Invitations and replies: places, the waiting list in order, access needs, attendance and payments."""

from __future__ import annotations

import pytest

from collab.alliances.models import Role
from collab.audit import AuditEntry
from collab.db import db
from collab.errors import DomainError
from collab.notifications.models import Notification
from collab.workshops import services
from collab.workshops.models import Reply
from tests.factories import commissioner_of, make_alliance, member
from tests.workshops.helpers import invite_all, make_past, make_workshop


def _reply(workshop, person, answer="yes", **kw):
    return services.reply(db.session, person, workshop, answer, **kw)


def test_inviting_everyone_with_a_role_and_chosen_people(session):
    alliance = make_alliance()
    users = [member(alliance, Role.SERVICE_USER) for _ in range(3)]
    provider = member(alliance, Role.PROVIDER)
    member(alliance, Role.OBSERVER)
    workshop = make_workshop(alliance)
    made = services.invite(db.session, commissioner_of(alliance), workshop, roles=["service_user"],
                           user_ids=[provider.id])
    assert {i.user_id for i in made} == {u.id for u in users} | {provider.id}
    # Inviting again leaves people as they are.
    assert services.invite(db.session, commissioner_of(alliance), workshop, roles=["service_user"]) == []
    notes = db.session.query(Notification).filter_by(kind="workshop_invited").all()
    assert {n.user_id for n in notes} == {u.id for u in users} | {provider.id}


def test_only_members_can_be_invited(session):
    alliance, other = make_alliance(), make_alliance()
    stranger = member(other, Role.SERVICE_USER)
    workshop = make_workshop(alliance)
    with pytest.raises(DomainError, match="members of this alliance"):
        services.invite(db.session, commissioner_of(alliance), workshop, user_ids=[stranger.id])


def test_yes_takes_a_place_until_full_then_the_waiting_list_in_order(session):
    alliance = make_alliance()
    people = [member(alliance, Role.SERVICE_USER) for _ in range(5)]
    workshop = make_workshop(alliance, capacity=2)
    invite_all(workshop, people)
    results = [_reply(workshop, p).invitee for p in people]
    assert [r.reply for r in results] == [Reply.YES, Reply.YES, Reply.WAITING, Reply.WAITING, Reply.WAITING]
    assert [r.waiting_number for r in results[2:]] == [1, 2, 3]
    # The second person cannot come: the first on the waiting list gets the place and is told.
    promoted = _reply(workshop, people[1], "no").promoted
    assert [p.user_id for p in promoted] == [people[2].id]
    assert db.session.query(Notification).filter_by(kind="workshop_place_free", user_id=people[2].id).count() == 1
    # Someone waiting says maybe: they leave the queue, and the order of the others holds.
    _reply(workshop, people[3], "maybe")
    _reply(workshop, people[0], "no")
    assert services.invitee_for(db.session, workshop, people[4]).reply == Reply.YES
    assert services.taken_places(db.session, workshop) == 2


def test_saying_yes_again_keeps_your_place_or_queue_number(session):
    alliance = make_alliance()
    people = [member(alliance, Role.SERVICE_USER) for _ in range(2)]
    workshop = make_workshop(alliance, capacity=1)
    invite_all(workshop, people)
    _reply(workshop, people[0])
    assert _reply(workshop, people[1]).invitee.waiting_number == 1
    again = _reply(workshop, people[1], access_needs=["bsl"]).invitee
    assert again.reply == Reply.WAITING and again.waiting_number == 1 and again.access_needs == ["bsl"]


def test_raising_capacity_promotes_the_waiting_list(session):
    from tests.workshops.helpers import plan

    alliance = make_alliance()
    people = [member(alliance, Role.SERVICE_USER) for _ in range(3)]
    workshop = make_workshop(alliance, capacity=1)
    invite_all(workshop, people)
    for p in people:
        _reply(workshop, p)
    services.reschedule(db.session, commissioner_of(alliance), workshop, plan(capacity=2))
    assert [services.invitee_for(db.session, workshop, p).reply for p in people] == [Reply.YES, Reply.YES, Reply.WAITING]


def test_people_not_invited_cannot_reply_and_past_workshops_are_closed(session):
    alliance = make_alliance()
    person = member(alliance, Role.SERVICE_USER)
    workshop = make_workshop(alliance)
    with pytest.raises(DomainError, match="not been invited"):
        _reply(workshop, person)
    invite_all(workshop, [person])
    make_past(workshop)
    with pytest.raises(DomainError, match="already happened"):
        _reply(workshop, person)


def test_access_needs_summary_counts_only_people_coming(session):
    alliance = make_alliance()
    people = [member(alliance, Role.SERVICE_USER) for _ in range(4)]
    workshop = make_workshop(alliance, capacity=10)
    invite_all(workshop, people)
    _reply(workshop, people[0], access_needs=["step_free", "bsl"])
    _reply(workshop, people[1], access_needs=["step_free", "made-up"])
    _reply(workshop, people[2], access_needs_other="I need breaks every 30 minutes")
    _reply(workshop, people[3], "no", access_needs=["large_print"])
    summary = services.access_summary(services.invitees(db.session, workshop))
    assert summary == ["1 \u00d7 BSL interpreter", "2 \u00d7 Step-free access", "1 with other needs described below"]


def test_payment_only_when_offered_and_paid_to_people_who_came(session):
    alliance = make_alliance()
    people = [member(alliance, Role.SERVICE_USER) for _ in range(3)]
    workshop = make_workshop(alliance, payment_pence=2000)
    free = make_workshop(alliance, payment_pence=0, title="Free")
    invite_all(workshop, people)
    invite_all(free, people)
    assert _reply(free, people[0], claims_payment=True).invitee.claims_payment is False
    for p in people:
        _reply(workshop, p, claims_payment=p is not people[2])
    with pytest.raises(DomainError, match="once the workshop has started"):
        services.mark_attendance(db.session, commissioner_of(alliance), workshop, [])
    make_past(workshop)
    came = [services.invitee_for(db.session, workshop, p).id for p in people[1:]]
    assert services.mark_attendance(db.session, commissioner_of(alliance), workshop, came) == 2
    assert [i.user_id for i in services.payment_list(db.session, workshop)] == [people[1].id]
    actions = {e.action for e in db.session.query(AuditEntry).filter_by(subject_id=workshop.id, subject_type="workshop")}
    assert {"workshop.scheduled", "workshop.invited", "workshop.replied", "workshop.attendance_marked"} <= actions
