"""Evaluation models: floors on every saving route, the effect of the ratio, the panel's hidden scores, the decision."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest

from collab.alliances.models import Role
from collab.audit import AuditEntry
from collab.db import db
from collab.errors import DomainError
from collab.value.models import EvaluationModel, EvaluationStage
from collab.value.services import evaluation
from tests.factories import add_member, login_as, make_user
from tests.value.helpers import make_evaluation, make_value_world

PRICE_LED = [("quality", "Quality", "10"), ("cost", "Price", "90")]


def test_a_model_below_a_floor_is_refused_without_a_reason_and_kept_with_one(session):
    world = make_value_world()
    with pytest.raises(DomainError, match="below the alliance's floors") as caught:
        make_evaluation(world, PRICE_LED)
    assert "the cheapest bid cannot win whatever its quality" in caught.value.message
    assert "PPN 002" in caught.value.message
    model = make_evaluation(world, PRICE_LED, reason="A one-off equipment purchase with a fixed specification")
    assert model.floor_reason.startswith("A one-off")
    entry = db.session.query(AuditEntry).filter_by(action="value.evaluation_created").one()
    assert entry.detail["below_floor_reason"].startswith("A one-off")


def test_weights_must_add_up_to_one_hundred(session):
    world = make_value_world()
    with pytest.raises(DomainError, match="add up to 90%"):
        make_evaluation(world, [("quality", "Q", "70"), ("social_value", "S", "10"), ("cost", "C", "10")])


def test_show_the_effect_ranks_the_local_charity_first_and_price_led_the_cheapest(session):
    world = make_value_world()
    model = make_evaluation(world)
    evaluation.add_example_bids(db.session, world.commissioner, model)
    ranked = evaluation.effect(model)
    first_ours = next(r for r in ranked if r.rank == 1)
    first_price_led = next(r for r in ranked if r.price_led_rank == 1)
    assert first_ours.bid.name.startswith("Example B")
    assert first_price_led.bid.name.startswith("Example A")  # the cheapest
    assert all(isinstance(r.score, Decimal) for r in ranked)


def _floor_data(weights, reason=""):
    data = {"name": "Peer support 2027", "purpose": "", "floor_reason": reason}
    for i, (group, name, weight) in enumerate(weights):
        data.update({f"criteria-{i}-group": group, f"criteria-{i}-name": name, f"criteria-{i}-weight": weight,
                     f"criteria-{i}-scale_max": "5"})
    return data


def test_every_route_that_saves_a_model_refuses_one_below_a_floor_without_a_reason(client, session):
    world = make_value_world()
    login_as(client, world.commissioner)
    base = f"/alliances/{world.alliance.slug}/value/evaluations"
    refused = client.post(f"{base}/new", data=_floor_data(PRICE_LED))
    assert refused.status_code == 422 and "below the alliance" in refused.get_data(as_text=True)
    assert db.session.query(EvaluationModel).count() == 0
    model = make_evaluation(world)
    refused = client.post(f"{base}/{model.id}/edit", data=_floor_data(PRICE_LED))
    assert refused.status_code == 422
    session.expire_all()
    assert evaluation.breaches(model.criteria, evaluation.floors_of(db.session, world.alliance)) == []
    # The alliance raises its floors: the saved model is now below them and cannot be used without a reason.
    evaluation.add_example_bids(db.session, world.commissioner, model)
    evaluation.set_floors(db.session, world.commissioner, world.alliance, quality_min=Decimal(80),
                          social_value_min=Decimal(10), cost_max=Decimal(20))
    refused = client.post(f"{base}/{model.id}/panel", data={"panellists": [world.commissioner.id]})
    assert refused.status_code == 422 and "below the alliance" in refused.get_data(as_text=True)
    session.expire_all()
    assert model.stage == EvaluationStage.DRAFT
    accepted = client.post(f"{base}/new", data=_floor_data(PRICE_LED, reason="Fixed-price equipment"))
    assert accepted.status_code == 303


def _panel(world):
    service_user = add_member(world.alliance, make_user(display_name="Cleo"), Role.SERVICE_USER).user
    model = make_evaluation(world)
    bids = evaluation.add_example_bids(db.session, world.commissioner, model)
    members = {m.user_id: m for m in world.alliance.memberships}
    evaluation.start_scoring(db.session, world.commissioner, model, [world.commissioner, service_user], members)
    return model, bids, service_user


def _score_all(model, bids, person, value):
    for bid in bids:
        evaluation.record_scores(db.session, person, model, bid, {c.id: value for c in evaluation.scored_criteria(model)})


def test_observers_cannot_sit_on_a_panel_but_service_users_can(session):
    world = make_value_world()
    observer = add_member(world.alliance, make_user(), Role.OBSERVER).user
    model = make_evaluation(world)
    evaluation.add_example_bids(db.session, world.commissioner, model)
    members = {m.user_id: m for m in world.alliance.memberships}
    with pytest.raises(DomainError, match="cannot sit on this panel"):
        evaluation.start_scoring(db.session, world.commissioner, model, [observer], members)


def test_scores_stay_hidden_until_all_are_in_even_through_direct_requests(client, session):
    world = make_value_world()
    model, bids, cleo = _panel(world)
    _score_all(model, bids, world.commissioner, 3)
    evaluation.record_scores(db.session, cleo, model, bids[0], {c.id: 5 for c in evaluation.scored_criteria(model)},
                             {c.id: "CLEO-SECRET-NOTE" for c in evaluation.scored_criteria(model)})
    assert not evaluation.all_in(db.session, model)
    base = f"/alliances/{world.alliance.slug}/value/evaluations/{model.id}"
    login_as(client, world.commissioner)
    pages = [client.get(base), client.get(f"{base}/bids/{bids[0].id}/score"),
             client.get(f"{base}/bids/{bids[0].id}/moderate"),
             client.get(f"/alliances/{world.alliance.slug}/activity")]
    for page in pages:
        assert "CLEO-SECRET-NOTE" not in page.get_data(as_text=True)
    main = pages[0].get_data(as_text=True)
    assert "Cleo</td>" not in main  # no row of Cleo's scores
    assert "other panellists&#39; scores are hidden" in main or "hidden until all are in" in main
    # Moderation and the decision wait for every score.
    with pytest.raises(DomainError, match="Wait until every panellist"):
        evaluation.moderate(db.session, world.commissioner, model, bids[0], {}, "")
    login_as(client, cleo)
    cleo_page = client.get(base).get_data(as_text=True)
    assert "Cleo</td>" in cleo_page and "Cora" not in cleo_page
    # Someone not on the panel cannot score at all.
    login_as(client, world.small_provider)
    assert client.get(f"{base}/bids/{bids[0].id}/score").status_code == 403


def test_once_all_are_in_the_panel_is_moderated_and_the_decision_recorded(client, session):
    world = make_value_world()
    model, bids, cleo = _panel(world)
    _score_all(model, bids, world.commissioner, 3)
    _score_all(model, bids, cleo, 4)
    assert evaluation.all_in(db.session, model)
    login_as(client, world.small_provider)
    page = client.get(f"/alliances/{world.alliance.slug}/value/evaluations/{model.id}").get_data(as_text=True)
    assert "Every panellist" in page and "Cleo" in page
    with pytest.raises(DomainError, match="Moderate every bid"):
        evaluation.decide(db.session, world.commissioner, model, bids[1], reason="Best for service")
    for bid, value in zip(bids, (2, 5, 3), strict=True):
        evaluation.moderate(db.session, world.commissioner, model, bid,
                            {c.id: value for c in evaluation.scored_criteria(model)}, "Agreed at the panel meeting")
    ranking = evaluation.final_ranking(db.session, model)
    assert ranking[0][0].id == bids[1].id
    evaluation.decide(db.session, world.commissioner, model, bids[1], reason="Highest quality, local peer workers")
    assert model.stage == EvaluationStage.DECIDED
    entry = db.session.query(AuditEntry).filter_by(action="value.evaluation_decided").one()
    assert entry.detail["chosen"] == bids[1].name and entry.detail["ranking"][0][0] == bids[1].name


def test_a_panellist_cannot_score_outside_the_scale(session):
    world = make_value_world()
    model, bids, _cleo = _panel(world)
    with pytest.raises(DomainError, match="from 0 to 5"):
        evaluation.record_scores(db.session, world.commissioner, model, bids[0],
                                 {c.id: 6 for c in evaluation.scored_criteria(model)})


def test_a_bad_weight_is_named_in_the_error_summary(client, session):
    world = make_value_world()
    login_as(client, world.commissioner)
    data = _floor_data([("quality", "Q", "lots"), ("cost", "C", "20")])
    page = client.post(f"/alliances/{world.alliance.slug}/value/evaluations/new", data=data)
    assert page.status_code == 422
    assert "Criterion 1, weight (%): Enter a number" in page.get_data(as_text=True)


def test_a_panellist_sees_the_bids_waiting_for_their_scores_on_for_you(session):
    from collab.attention import items_for

    world = make_value_world()
    model, bids, cleo = _panel(world)
    needs, _ = items_for(db.session, cleo, cleo.memberships)
    assert [i.title for i in needs if i.area == "value"] == [f"Score 3 bids for \u201c{model.name}\u201d"]
    _score_all(model, bids, cleo, 4)
    needs, _ = items_for(db.session, cleo, cleo.memberships)
    assert not [i for i in needs if i.area == "value"]


def _moderate_all(world, model, bids, values):
    for bid, value in zip(bids, values, strict=True):
        evaluation.moderate(db.session, world.commissioner, model, bid,
                            {c.id: value for c in evaluation.scored_criteria(model)}, "Agreed")


def test_show_the_effect_uses_the_panels_moderated_scores_once_every_bid_has_them(client, session):
    world = make_value_world()
    model, bids, cleo = _panel(world)
    _score_all(model, bids, world.commissioner, 3)
    _score_all(model, bids, cleo, 3)
    base = f"/alliances/{world.alliance.slug}/value/evaluations/{model.id}"
    login_as(client, world.small_provider)
    page = html.unescape(client.get(base).get_data(as_text=True))
    assert "from each bid's price and example scores" in page
    # Half-moderated: still the example scores.
    _moderate_all(world, model, bids[:2], (5, 1))
    ranked, from_panel = evaluation.effect_now(db.session, model)
    assert not from_panel and ranked[0].bid.name.startswith("Example B")
    # The panel agreed the national provider (A, cheapest) is best: it now leads under this model too.
    _moderate_all(world, model, bids[2:], (1,))
    ranked, from_panel = evaluation.effect_now(db.session, model)
    assert from_panel and ranked[0].bid.id == bids[0].id
    # The same totals as the final ranking the decision rests on.
    assert [(r.bid.id, r.score) for r in ranked] == [(b.id, s) for b, s in evaluation.final_ranking(db.session, model)]
    assert all(isinstance(r.price_led_score, Decimal) for r in ranked)
    page = html.unescape(client.get(base).get_data(as_text=True))
    assert "from each bid's price and the panel's agreed (moderated) scores" in page
    assert "Quality and social value points, agreed by the panel" in page and "of 80" in page


def test_the_decision_and_its_reasons_go_into_the_decision_register_and_the_audit_trail(client, session):
    from collab.agreements.services import start_agreement

    world = make_value_world()
    start_agreement(db.session, world.commissioner, world.alliance, use_template=True)
    model, bids, cleo = _panel(world)
    _score_all(model, bids, world.commissioner, 3)
    _score_all(model, bids, cleo, 4)
    _moderate_all(world, model, bids, (2, 5, 3))
    login_as(client, world.commissioner)
    base = f"/alliances/{world.alliance.slug}/value/evaluations/{model.id}"
    sent = client.post(f"{base}/decide", data={"bid_id": str(bids[1].id), "reason": "Peer workers; best quality"})
    assert sent.status_code == 303
    assert db.session.query(AuditEntry).filter_by(action="value.evaluation_decided").count() == 1
    login_as(client, world.small_provider)
    register = client.get(f"/alliances/{world.alliance.slug}/agreement/decisions").get_data(as_text=True)
    assert "Choosing providers" in register and model.name in register
    assert f"Chose {bids[1].name}, recorded by {world.commissioner.display_name}." in register
    assert "Peer workers; best quality" in register
    page = client.get(base).get_data(as_text=True)
    assert f"/agreement/decisions#evaluation-decision-{model.id}" in page
