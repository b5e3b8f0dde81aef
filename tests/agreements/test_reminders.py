"""'A proposal closes in three days': reminders to the seats that have not responded, once each."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.agreements import services
from collab.agreements.models import ResponseKind
from collab.agreements.services.reminders import CLOSING_KIND, closing_proposals, send_closing_reminders
from collab.db import utcnow
from collab.notifications.models import Notification
from tests.agreements.helpers import first_clause, make_cast, propose_change, start


def _reminded(session) -> set[int]:
    return set(session.scalars(select(Notification.user_id).where(Notification.kind == CLOSING_KIND)))


def test_seats_that_have_not_responded_are_reminded_once(session, outbox):
    cast = make_cast("Riverside Alliance")
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    proposal.closes_on = utcnow().date() + timedelta(days=3)
    services.respond(session, cast.provider_a, proposal, response=ResponseKind.AGREE, url="/p")
    session.commit()
    outbox.clear()
    today = utcnow().date()

    assert send_closing_reminders(session, today) == 3
    # The council, Ben's organisation and Cleo's own seat have not answered; Ann's organisation has.
    assert _reminded(session) == {cast.commissioner.id, cast.provider_b.id, cast.service_user.id}
    note = session.scalar(select(Notification).where(Notification.kind == CLOSING_KIND,
                                                     Notification.user_id == cast.service_user.id))
    assert note.title == f"Your response is still needed: {proposal.heading}"
    assert "Riverside Alliance" in note.body and "your seat has not responded yet" in note.body
    assert note.url.endswith(f"/agreement/proposals/{proposal.id}") and note.alliance_id == cast.alliance.id
    session.commit()
    assert sorted(m["To"] for m in outbox) == sorted(u.email for u in (cast.commissioner, cast.provider_b, cast.service_user))

    assert send_closing_reminders(session, today) == 0  # never twice
    assert send_closing_reminders(session, today + timedelta(days=1)) == 0


def test_a_revised_proposal_asks_every_seat_again_so_it_reminds_again(session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    proposal = propose_change(cast, agreement, clause)
    proposal.closes_on = utcnow().date() + timedelta(days=1)
    session.flush()
    today = utcnow().date()
    assert send_closing_reminders(session, today) == 4
    services.revise_proposal(session, cast.provider_a, proposal, heading=proposal.heading,
                             body=proposal.body + "\n\nAnd every fortnight.", reason="Clearer",
                             closes_on=today + timedelta(days=2), url="/p")
    assert send_closing_reminders(session, today) == 4


def test_which_proposals_are_closing(session):
    cast = make_cast()
    agreement = start(cast)
    clause = first_clause(agreement)
    today = utcnow().date()
    closing = propose_change(cast, agreement, clause)
    closing.closes_on = today + timedelta(days=3)
    later = propose_change(cast, agreement, clause, body="Something else entirely.")
    later.closes_on = today + timedelta(days=4)
    withdrawn = propose_change(cast, agreement, clause, body="Withdrawn text.")
    withdrawn.closes_on = today + timedelta(days=1)
    services.withdraw_proposal(session, cast.commissioner, withdrawn, reason="Not needed")
    session.flush()
    assert closing_proposals(session, today) == [closing]
