"""Using a reserved power: a check page that names whom it overrules, a required reason, the
register says what was overridden, and every seat is told."""

from __future__ import annotations

from sqlalchemy import select

from collab.agreements import services
from collab.agreements.models import ProposalStatus
from collab.audit import AuditEntry
from collab.notifications.models import Notification
from tests.agreements.helpers import first_clause, make_cast, propose_change, start
from tests.agreements.helpers import response_text as _text
from tests.factories import login_as


def _setup(session):
    cast = make_cast(name="Riverside")
    agreement = start(cast)
    proposal = propose_change(cast, agreement, first_clause(agreement))
    services.respond(session, cast.provider_b, proposal, response="object", reason="We cannot staff it")
    services.respond(session, cast.provider_a, proposal, response="agree")
    url = f"/alliances/{cast.alliance.slug}/agreement/proposals/{proposal.id}/decide"
    return cast, proposal, url


def test_the_check_page_names_the_objections_the_seats_still_to_answer_and_the_days_left(client, session):
    cast, proposal, url = _setup(session)
    login_as(client, cast.commissioner)
    check = client.post(url, data={"outcome": "reserved_apply", "reason": "The budget is fixed"})
    page = _text(check)
    assert check.status_code == 200 and "Use a reserved power on" in page
    assert cast.org_b.name in page and "We cannot staff it" in page
    assert "2 seats have not answered yet" in page and "Cleo" in page
    assert "open for 8 more days" in page and "The budget is fixed" in page
    assert 'name="reason" value="The budget is fixed"' in page and "Yes, use the reserved power" in page
    session.expire_all()
    assert proposal.is_open  # nothing decided until confirmed


def test_go_back_keeps_what_was_typed(client, session):
    cast, proposal, url = _setup(session)
    login_as(client, cast.commissioner)
    back = client.post(url, data={"outcome": "reserved_apply", "reason": "The budget is fixed", "change": "1"})
    assert back.status_code == 200 and "Record decision" in _text(back) and "The budget is fixed" in _text(back)
    session.expire_all()
    assert proposal.is_open


def test_confirming_records_it_tells_every_seat_and_the_register_says_what_it_overrode(client, session):
    cast, proposal, url = _setup(session)
    login_as(client, cast.commissioner)
    done = client.post(url, data={"outcome": "reserved_reject", "reason": "The budget is fixed", "confirmed": "1"})
    assert done.status_code == 303
    session.expire_all()
    assert proposal.status == ProposalStatus.RESERVED and proposal.decision_reason == "The budget is fixed"
    told = session.scalars(select(Notification).where(Notification.kind == "agreement_reserved_power")).all()
    # Every seat holder but the commissioner who decided and the proposer (who gets their own notice).
    assert {n.user_id for n in told} == {cast.provider_b.id, cast.service_user.id}
    assert all("Riverside" in n.title and "The budget is fixed" in n.body and "over 1 objection" in n.body for n in told)
    proposer = session.scalars(select(Notification).where(
        Notification.kind == "agreement_proposal_outcome", Notification.user_id == cast.provider_a.id)).all()
    assert any("The budget is fixed" in n.body for n in proposer)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "proposal.reserved_decision")).one()
    assert entry.detail["objections"] == 1 and entry.detail["waiting"] == 2 and entry.detail["reason"] == "The budget is fixed"
    register = _text(client.get(f"/alliances/{cast.alliance.slug}/agreement/decisions"))
    assert "The budget is fixed" in register and "Decided over 1 objection, 8 days before the closing date" in register


def test_a_missing_reason_is_refused_before_the_check_page(client, session):
    cast, proposal, url = _setup(session)
    login_as(client, cast.commissioner)
    for data in ({"outcome": "reserved_apply", "reason": ""},
                 {"outcome": "reserved_apply", "reason": "", "confirmed": "1"}):
        refused = client.post(url, data=data)
        assert refused.status_code == 422 and "Give the reason" in _text(refused)
    session.expire_all()
    assert proposal.is_open


def test_withdrawing_needs_no_check_page(client, session):
    cast, proposal, url = _setup(session)
    login_as(client, cast.commissioner)
    assert client.post(url, data={"outcome": "withdraw", "reason": ""}).status_code == 303
