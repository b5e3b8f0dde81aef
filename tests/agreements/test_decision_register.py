"""The decision register lists the seats that never answered a proposal before it was decided."""

from __future__ import annotations

from collab.agreements import services
from tests.agreements.helpers import first_clause, make_cast, propose_change, response_text, start
from tests.factories import login_as


def _register(client, cast) -> str:
    login_as(client, cast.observer)
    page = response_text(client.get(f"/alliances/{cast.alliance.slug}/agreement/decisions"))
    return page


def test_a_withdrawn_proposal_keeps_the_seats_that_never_answered(client, session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement), by=cast.provider_a)
    services.respond(session, cast.provider_a, proposal, response="agree")
    services.withdraw_proposal(session, cast.commissioner, proposal, "We will come back to it")
    assert [seat["label"] for seat in proposal.unanswered_seats] == [cast.council.name, cast.org_b.name, "Cleo"]
    page = _register(client, cast)
    never = page[page.index("Never answered"):]
    never = never[: never.index("</dd>")]
    for label in (cast.council.name, cast.org_b.name, "Cleo"):
        assert f"<li>{label}</li>" in never
    assert cast.org_a.name not in never
    # Kept as it was: someone joining later does not change the record.
    assert "Worked out from the seats" not in never


def test_a_carried_proposal_had_every_seat_answer(client, session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    for person in cast.seat_holders:
        services.respond(session, person, proposal, response="agree")
    assert proposal.status.value == "carried" and proposal.unanswered_seats == []
    assert "Every seat answered." in _register(client, cast)


def test_older_decisions_are_worked_out_from_todays_seats_and_say_so(client, session):
    cast = make_cast()
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    services.respond(session, cast.provider_b, proposal, response="object", reason="No")
    services.decide_reserved(session, cast.commissioner, proposal, apply=False, reason="Not agreed")
    proposal.unanswered_seats = None  # as for a decision made before the list was kept
    session.flush()
    page = _register(client, cast)
    never = page[page.index("Never answered"):]
    never = never[: never.index("</dd>")]
    assert f"<li>{cast.org_a.name}</li>" in never and "<li>Cleo</li>" in never
    assert cast.org_b.name not in never
    assert "Worked out from the seats the alliance has today" in never
