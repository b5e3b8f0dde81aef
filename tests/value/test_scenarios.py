"""Saved pain/gain scenarios: saved from the modeller, attached to a proposal on the risk-and-reward clause,
shown on the proposal with each member's gain or pain."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from collab.agreements.models import Proposal
from collab.agreements.services import propose, start_agreement
from collab.alliances.models import Role
from collab.audit import AuditEntry, describe
from collab.db import db, utcnow
from collab.errors import DomainError
from collab.value import services
from collab.value.models import ScenarioAttachment, ValueScenario
from collab.value.money import KraStanding
from collab.value.services import scenarios
from collab.value.services.paingain import ShareInput
from tests.factories import add_member, login_as, make_user
from tests.value.helpers import make_value_world


def _text(response) -> str:
    return response.get_data(as_text=True)


def _model(world):
    """Target £1,000,000 for 2026; the small provider has 40% of gain and pain, the large one 60%."""
    return services.save_target_cost(db.session, world.commissioner, world.alliance, year=2026,
                                     amount=Decimal("1000000"), rule="gate", shares=[
                                         ShareInput(world.small_org.id, Decimal(40), Decimal(40), None, Decimal("200000")),
                                         ShareInput(world.large_org.id, Decimal(60), Decimal(60), None, Decimal("800000"))])


def _risk_clause(world):
    agreement = start_agreement(db.session, world.commissioner, world.alliance, use_template=True)
    return agreement, next(c for c in agreement.clauses if c.heading == "Risk and reward")


def test_a_saved_scenario_keeps_its_figures_when_the_model_changes(session):
    world = make_value_world()
    target = _model(world)
    scenario = scenarios.save_scenario(db.session, world.commissioner, world.alliance, target, name="Under budget",
                                       actual=Decimal("900000"), kras=KraStanding(6, 6, 0))
    before = scenarios.result_of(scenario)
    assert [r.gain for r in before.members] == [Decimal("40000.00"), Decimal("60000.00")]
    # Amounts are kept as text, never as floats.
    assert all(isinstance(v, str) for m in scenario.model["members"] for k, v in m.items() if k not in ("key", "pain_cap"))
    _model_changed = services.save_target_cost(
        db.session, world.commissioner, world.alliance, year=2026, amount=Decimal("2000000"), rule="gate",
        shares=[ShareInput(world.small_org.id, Decimal(10), Decimal(10), None, Decimal("200000")),
                ShareInput(world.large_org.id, Decimal(90), Decimal(90), None, Decimal("800000"))])
    db.session.expire_all()
    again = scenarios.result_of(db.session.get(ValueScenario, scenario.id))
    assert [r.gain for r in again.members] == [r.gain for r in before.members]
    assert sum(r.gain for r in again.members) == again.gain_paid


def test_a_scenario_needs_a_name(session):
    world = make_value_world()
    target = _model(world)
    with pytest.raises(DomainError, match="name"):
        scenarios.save_scenario(db.session, world.commissioner, world.alliance, target, name=" ",
                                actual=Decimal("1"), kras=KraStanding(0, 0, 0))


def test_the_risk_and_reward_clause_is_chosen_first():
    class C:
        def __init__(self, heading):
            self.heading = heading

    clauses = [C("Purpose"), C("Key result areas"), C("Risk and reward"), C("Pain/gain share")]
    assert scenarios.default_clause(clauses).heading == "Risk and reward"
    assert scenarios.default_clause([C("Purpose")]) is None


def test_save_a_scenario_make_a_proposal_with_it_and_see_it_on_the_proposal(client, session):
    world = make_value_world()
    _model(world)
    agreement, clause = _risk_clause(world)
    base = f"/alliances/{world.alliance.slug}/value/risk-and-reward"
    login_as(client, world.small_provider)
    modelled = _text(client.get(f"{base}?actual=1100000&kras_total=6&kras_met=5&kras_below=0"))
    assert "Save this scenario" in modelled
    # A name is needed.
    refused = client.post(f"{base}/scenarios", data={"actual": "1100000", "kras_total": "6", "kras_met": "5",
                                                     "kras_below": "0", "name": ""})
    assert refused.status_code == 422 and "Give the scenario a name" in _text(refused)
    saved = client.post(f"{base}/scenarios", data={"actual": "1100000", "kras_total": "6", "kras_met": "5",
                                                   "kras_below": "0", "name": "Overrun of £100,000"})
    assert saved.status_code == 303, re.findall(r"error-summary__list.*?</ul>", _text(saved), re.S)
    scenario = db.session.query(ValueScenario).one()
    page = _text(client.get(saved.headers["Location"]))
    assert "Overrun of £100,000" in page and "£40,000" in page and "£60,000" in page
    # The attach page starts at the risk-and-reward clause.
    attach = _text(client.get(f"{base}/scenarios/{scenario.id}/attach"))
    assert re.search(rf'<option value="{clause.id}" selected>Risk and reward</option>', attach)
    assert "There is no open proposal on this clause" in attach
    onward = client.post(f"{base}/scenarios/{scenario.id}/attach", data={"clause": str(clause.id), "proposal": "new"})
    assert onward.status_code == 303 and "/propose" in onward.headers["Location"]
    form = _text(client.get(onward.headers["Location"]))
    assert "Propose a change to “Risk and reward”" in form and "See the attached scenario" in form
    made = client.post(f"{base}/scenarios/{scenario.id}/propose?clause={clause.id}", data={
        "heading": clause.heading, "body": clause.body + "\n\nEach member's pain is capped at 5% of its contract.",
        "reason": "See the attached scenario.", "closes_on": (utcnow().date() + timedelta(days=14)).isoformat()})
    assert made.status_code == 303, _text(made)
    proposal = db.session.query(Proposal).one()
    assert proposal.clause_id == clause.id
    assert db.session.query(ScenarioAttachment).filter_by(proposal_id=proposal.id).count() == 1
    shown = _text(client.get(made.headers["Location"]))
    assert "What it would mean for each member" in shown
    assert world.small_org.name in shown and "£40,000" in shown and "-20.0%" in shown  # pain of 20% of £200,000
    assert f"/value/risk-and-reward/scenarios/{scenario.id}" in shown
    entry = db.session.query(AuditEntry).filter_by(action="value.scenario_attached").one()
    assert describe(entry) == (f"{world.small_provider.display_name} attached the pain/gain scenario "
                               "“Overrun of £100,000” to the proposal “Risk and reward”")


def test_attach_to_an_open_proposal_once(client, session):
    world = make_value_world()
    target = _model(world)
    agreement, clause = _risk_clause(world)
    proposal = propose(db.session, world.commissioner, agreement, clause=clause, heading=clause.heading,
                       body=clause.body + "\n\nGain is paid quarterly.", reason="Cash flow",
                       closes_on=utcnow().date() + timedelta(days=10))
    scenario = scenarios.save_scenario(db.session, world.commissioner, world.alliance, target, name="Saving",
                                       actual=Decimal("950000"), kras=KraStanding(6, 6, 0))
    base = f"/alliances/{world.alliance.slug}/value/risk-and-reward/scenarios/{scenario.id}/attach"
    login_as(client, world.commissioner)
    page = _text(client.get(base))
    assert proposal.heading in page
    done = client.post(base, data={"clause": str(clause.id), "proposal": str(proposal.id)})
    assert done.status_code == 303 and done.headers["Location"].endswith(f"/proposals/{proposal.id}#scenarios")
    again = client.post(base, data={"clause": str(clause.id), "proposal": str(proposal.id)})
    assert again.status_code == 422 and "already attached" in _text(again)
    # Someone outside the alliance's value pages (an observer) does not see the figures on the proposal.
    observer = add_member(world.alliance, make_user(), Role.OBSERVER).user
    login_as(client, observer)
    shown = _text(client.get(f"/alliances/{world.alliance.slug}/agreement/proposals/{proposal.id}"))
    assert "What it would mean for each member" in shown  # observers are members: open book
    assert client.post(base, data={"clause": str(clause.id), "proposal": str(proposal.id)}).status_code == 403


def test_a_closed_proposal_cannot_get_a_scenario(session):
    world = make_value_world()
    target = _model(world)
    agreement, clause = _risk_clause(world)
    proposal = propose(db.session, world.commissioner, agreement, clause=clause, heading=clause.heading,
                       body=clause.body + "\n\nMore.", reason="Why", closes_on=utcnow().date() + timedelta(days=10))
    proposal.status = proposal.status.__class__("withdrawn")
    scenario = scenarios.save_scenario(db.session, world.commissioner, world.alliance, target, name="S",
                                       actual=Decimal("1"), kras=KraStanding(0, 0, 0))
    with pytest.raises(DomainError, match="closed"):
        scenarios.attach(db.session, world.commissioner, scenario, proposal)


def test_a_scenario_stays_in_its_alliance(client, session):
    world = make_value_world()
    target = _model(world)
    scenario = scenarios.save_scenario(db.session, world.commissioner, world.alliance, target, name="Ours",
                                       actual=Decimal("900000"), kras=KraStanding(6, 6, 0))
    other = make_value_world()
    other_agreement, other_clause = _risk_clause(other)
    theirs = propose(db.session, other.commissioner, other_agreement, clause=other_clause, heading=other_clause.heading,
                     body=other_clause.body + "\n\nMore.", reason="Why", closes_on=utcnow().date() + timedelta(days=9))
    with pytest.raises(DomainError, match="this alliance"):
        scenarios.attach(db.session, world.commissioner, scenario, theirs)
    _risk_clause(world)
    login_as(client, world.commissioner)
    url = f"/alliances/{world.alliance.slug}/value/risk-and-reward/scenarios/{scenario.id}/attach"
    # Another alliance's clause or proposal is not found through this alliance's scenario.
    assert client.get(f"{url}?clause={other_clause.id}").status_code == 404
    refused = client.post(url, data={"proposal": str(theirs.id)})
    assert refused.status_code == 422 and db.session.query(ScenarioAttachment).count() == 0
    assert "Choose an open proposal on this clause, or a new proposal" in _text(refused)


def test_people_outside_a_public_alliance_see_its_proposal_but_not_the_scenario(client, session):
    from collab.alliances.models import Visibility

    world = make_value_world()
    world.alliance.visibility = Visibility.PUBLIC
    target = _model(world)
    agreement, clause = _risk_clause(world)
    proposal = propose(db.session, world.commissioner, agreement, clause=clause, heading=clause.heading,
                       body=clause.body + "\n\nMore.", reason="Why", closes_on=utcnow().date() + timedelta(days=9))
    scenario = scenarios.save_scenario(db.session, world.commissioner, world.alliance, target, name="Saving",
                                       actual=Decimal("900000"), kras=KraStanding(6, 6, 0))
    scenarios.attach(db.session, world.commissioner, scenario, proposal)
    url = f"/alliances/{world.alliance.slug}/agreement/proposals/{proposal.id}"
    for person in (None, make_user()):
        login_as(client, person)
        page = client.get(url)
        assert page.status_code == 200
        assert "What it would mean for each member" not in _text(page) and "£40,000" not in _text(page)
    login_as(client, world.small_provider)
    assert "What it would mean for each member" in _text(client.get(url))
