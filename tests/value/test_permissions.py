"""Who may use which value page: every route × every kind of person; other alliances get 404."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from collab.alliances.models import Role
from collab.value import services
from tests.matrix import (
    FORBIDDEN,
    INVALID,
    NOT_FOUND,
    OK,
    SEE_OTHER,
    Row,
    World,
    assert_every_route_has_a_row,
    cases,
    check,
    commissioners,
    make_world,
    members,
    shared_world,
)
from tests.value.helpers import make_value_world

P = Role.PROVIDER.value


def _v(world: World, rest: str = "") -> str:
    return f"/alliances/{world.slug}/value{rest}"


def providers(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Only the provider (who represents an organisation) may; other members 403."""
    return members(FORBIDDEN, **{P: status, **overrides})


ROWS: list[Row] = [
    Row("value.value_page", "GET", lambda w: _v(w), members(OK)),
    Row("value.value_page", "GET", lambda w: f"/alliances/{w.public_alliance.slug}/value", members(OK), name="public"),
    Row("value.export", "GET", lambda w: _v(w, "/theme.csv"), members(OK)),
    Row("value.export", "GET", lambda w: _v(w, "/commitments.csv"), members(OK), name="commitments"),
    Row("value.export", "GET", lambda w: _v(w, "/nothing.csv"), members(NOT_FOUND), name="missing"),
    Row("value.open_contracting", "GET", lambda w: _v(w, "/open-contracting.json"), members(OK)),
    Row("value.report_pdf", "GET", lambda w: _v(w, "/report.pdf"), members(OK)),
    Row("value.framework", "GET", lambda w: _v(w, "/framework"), members(OK)),
    # The framework is not empty, so the starter set is refused (422) for the commissioner.
    Row("value.starter", "POST", lambda w: _v(w, "/framework/starter"), commissioners(INVALID)),
    Row("value.new_theme", "GET", lambda w: _v(w, "/framework/themes/new"), commissioners(OK)),
    Row("value.new_theme", "POST", lambda w: _v(w, "/framework/themes/new"), commissioners(INVALID), data=lambda w: {}),
    Row("value.new_outcome", "GET", lambda w: _v(w, "/framework/outcomes/new"), commissioners(OK)),
    Row("value.new_outcome", "POST", lambda w: _v(w, "/framework/outcomes/new"), commissioners(INVALID),
        data=lambda w: {}),
    Row("value.new_measure", "GET", lambda w: _v(w, "/framework/measures/new"), commissioners(OK)),
    Row("value.new_measure", "POST", lambda w: _v(w, "/framework/measures/new"), commissioners(INVALID),
        data=lambda w: {}),
    Row("value.edit_measure", "GET", lambda w: _v(w, f"/framework/measures/{w.extra['measure'].id}"), members(OK)),
    Row("value.edit_measure", "POST", lambda w: _v(w, f"/framework/measures/{w.extra['measure'].id}"),
        commissioners(INVALID), data=lambda w: {"name": ""}),
    Row("value.edit_measure", "GET", lambda w: _v(w, f"/framework/measures/{w.extra['other_measure'].id}"),
        members(NOT_FOUND), name="other alliance's measure"),
    Row("value.new_period", "GET", lambda w: _v(w, "/periods/new"), commissioners(OK)),
    Row("value.new_period", "POST", lambda w: _v(w, "/periods/new"), commissioners(INVALID), data=lambda w: {}),
    Row("value.commitments", "GET", lambda w: _v(w, "/commitments"), members(OK)),
    # Commitments and reports are made by someone representing the organisation (the matrix's
    # commissioner represents none, so 403 for them too).
    Row("value.new_commitment", "GET", lambda w: _v(w, "/commitments/new"), providers(OK)),
    Row("value.new_commitment", "POST", lambda w: _v(w, "/commitments/new"), providers(INVALID), data=lambda w: {}),
    Row("value.report", "GET", lambda w: _v(w, f"/commitments/{w.extra['commitment'].id}/report"), providers(OK)),
    Row("value.report", "POST", lambda w: _v(w, f"/commitments/{w.extra['commitment'].id}/report"),
        providers(INVALID), data=lambda w: {"amount": "lots"}),
    Row("value.report", "GET", lambda w: _v(w, f"/commitments/{w.extra['other_commitment'].id}/report"),
        members(FORBIDDEN, provider=NOT_FOUND, commissioner=NOT_FOUND), name="other alliance's commitment"),
    Row("value.show_report", "GET", lambda w: _v(w, f"/reports/{w.extra['report'].id}"), members(OK)),
    Row("value.show_report", "GET", lambda w: _v(w, f"/reports/{w.extra['other_report'].id}"),
        members(NOT_FOUND), name="other alliance's report"),
    Row("value.confirm_report", "POST", lambda w: _v(w, f"/reports/{w.extra['report'].id}/confirm"),
        commissioners(SEE_OTHER)),
    Row("value.confirm_report", "POST", lambda w: _v(w, f"/reports/{w.extra['other_report'].id}/confirm"),
        commissioners(NOT_FOUND), name="other alliance's report"),
    Row("value.query_report", "GET", lambda w: _v(w, f"/reports/{w.extra['report'].id}/query"), commissioners(OK)),
    Row("value.query_report", "POST", lambda w: _v(w, f"/reports/{w.extra['report'].id}/query"),
        commissioners(INVALID), data=lambda w: {}),
    Row("value.risk_reward", "GET", lambda w: _v(w, "/risk-and-reward"), members(OK)),
    Row("value.risk_reward", "GET", lambda w: _v(w, "/risk-and-reward?actual=0.1e&kras_total=6"),
        members(INVALID), name="bad modeller input"),
    Row("value.risk_reward", "GET", lambda w: _v(w, "/risk-and-reward?actual=900000&kras_total=6&kras_met=6&kras_below=0"),
        members(OK), name="modelled"),
    Row("value.edit_target", "GET", lambda w: _v(w, "/risk-and-reward/target"), commissioners(OK)),
    Row("value.edit_target", "POST", lambda w: _v(w, "/risk-and-reward/target"), commissioners(INVALID),
        data=lambda w: {}),
    # Key result areas and the scorecard (everyone sees it; commissioners keep it).
    Row("value.scorecard", "GET", lambda w: _v(w, "/scorecard"), members(OK)),
    Row("value.export", "GET", lambda w: _v(w, "/scorecard.csv"), members(OK), name="scorecard"),
    Row("value.new_kra", "GET", lambda w: _v(w, "/kras/new"), commissioners(OK)),
    Row("value.new_kra", "POST", lambda w: _v(w, "/kras/new"), commissioners(INVALID), data=lambda w: {}),
    Row("value.edit_kra", "GET", lambda w: _v(w, f"/kras/{w.extra['kra'].id}"), commissioners(OK)),
    Row("value.edit_kra", "POST", lambda w: _v(w, f"/kras/{w.extra['kra'].id}"), commissioners(INVALID),
        data=lambda w: {}),
    Row("value.edit_kra", "GET", lambda w: _v(w, f"/kras/{w.extra['other_kra'].id}"), commissioners(NOT_FOUND),
        name="other alliance's KRA"),
    Row("value.enter_result", "GET", lambda w: _v(w, "/kras/results"), commissioners(OK)),
    Row("value.enter_result", "POST", lambda w: _v(w, "/kras/results"), commissioners(INVALID), data=lambda w: {}),
    Row("value.import_results", "GET", lambda w: _v(w, "/kras/import"), commissioners(OK)),
    Row("value.import_results", "POST", lambda w: _v(w, "/kras/import"), commissioners(INVALID), data=lambda w: {}),
    Row("value.apply_results", "POST", lambda w: _v(w, "/kras/import/apply"), commissioners(SEE_OTHER),
        data=lambda w: {"text": "Key result area,Period,Result\nNo such KRA,2026,1\n"}),
    # Open book: every member sees it; each organisation enters its own figures.
    Row("value.open_book", "GET", lambda w: _v(w, "/open-book"), members(OK)),
    Row("value.export", "GET", lambda w: _v(w, "/open-book.csv"), members(OK), name="open book"),
    Row("value.new_book_line", "GET", lambda w: _v(w, "/open-book/new"), providers(OK)),
    Row("value.new_book_line", "POST", lambda w: _v(w, "/open-book/new"), providers(INVALID), data=lambda w: {}),
    Row("value.import_book", "GET", lambda w: _v(w, "/open-book/import"), providers(OK)),
    Row("value.import_book", "POST", lambda w: _v(w, "/open-book/import"), providers(INVALID), data=lambda w: {}),
    Row("value.apply_book", "POST", lambda w: _v(w, "/open-book/import/apply"), providers(SEE_OTHER),
        data=lambda w: {"text": "Period,Cost line,Budget,Actual\n2026,Staff,1,1\n"}),
    # Evaluation models: everyone sees them; commissioners build them; the panel scores.
    Row("value.evaluations", "GET", lambda w: _v(w, "/evaluations"), members(OK)),
    Row("value.floors", "GET", lambda w: _v(w, "/evaluations/floors"), commissioners(OK)),
    Row("value.floors", "POST", lambda w: _v(w, "/evaluations/floors"), commissioners(INVALID), data=lambda w: {}),
    Row("value.new_evaluation", "GET", lambda w: _v(w, "/evaluations/new"), commissioners(OK)),
    Row("value.new_evaluation", "POST", lambda w: _v(w, "/evaluations/new"), commissioners(INVALID), data=lambda w: {}),
    Row("value.edit_evaluation", "GET", lambda w: _v(w, f"/evaluations/{w.extra['draft'].id}/edit"), commissioners(OK)),
    Row("value.edit_evaluation", "POST", lambda w: _v(w, f"/evaluations/{w.extra['draft'].id}/edit"),
        commissioners(INVALID), data=lambda w: {}),
    Row("value.evaluation", "GET", lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}"), members(OK)),
    Row("value.evaluation", "GET", lambda w: _v(w, f"/evaluations/{w.extra['other_model'].id}"), members(NOT_FOUND),
        name="other alliance's model"),
    Row("value.new_bid", "GET", lambda w: _v(w, f"/evaluations/{w.extra['draft'].id}/bids/new"), commissioners(OK)),
    Row("value.new_bid", "POST", lambda w: _v(w, f"/evaluations/{w.extra['draft'].id}/bids/new"),
        commissioners(INVALID), data=lambda w: {}),
    Row("value.example_bids", "POST", lambda w: _v(w, f"/evaluations/{w.extra['draft'].id}/bids/examples"),
        commissioners(SEE_OTHER)),
    Row("value.start_panel", "GET", lambda w: _v(w, f"/evaluations/{w.extra['draft'].id}/panel"), commissioners(OK)),
    Row("value.start_panel", "POST", lambda w: _v(w, f"/evaluations/{w.extra['draft'].id}/panel"),
        commissioners(INVALID), data=lambda w: {}),
    # The panel is the commissioner and the service user: only they may score.
    Row("value.score_bid", "GET", lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}/bids/{w.extra['bid'].id}/score"),
        members(FORBIDDEN, commissioner=OK, service_user=OK)),
    Row("value.score_bid", "POST", lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}/bids/{w.extra['bid'].id}/score"),
        members(FORBIDDEN, commissioner=INVALID, service_user=INVALID), data=lambda w: {}),
    Row("value.score_bid", "GET",
        lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}/bids/{w.extra['other_bid'].id}/score"),
        members(NOT_FOUND, observer=FORBIDDEN), name="other model's bid"),
    Row("value.moderate_bid", "GET",
        lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}/bids/{w.extra['bid'].id}/moderate"), commissioners(OK)),
    Row("value.moderate_bid", "POST",
        lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}/bids/{w.extra['bid'].id}/moderate"),
        commissioners(INVALID), data=lambda w: {}),
    Row("value.decide", "GET", lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}/decide"), commissioners(OK)),
    Row("value.decide", "POST", lambda w: _v(w, f"/evaluations/{w.extra['scoring'].id}/decide"),
        commissioners(INVALID), data=lambda w: {}),
    # Saved pain/gain scenarios: everyone who takes part saves them and attaches them to proposals.
    Row("value.save_scenario", "POST", lambda w: _v(w, "/risk-and-reward/scenarios"),
        members(INVALID, observer=FORBIDDEN), data=lambda w: {}),
    Row("value.show_scenario", "GET", lambda w: _v(w, f"/risk-and-reward/scenarios/{w.extra['scenario'].id}"),
        members(OK)),
    Row("value.show_scenario", "GET", lambda w: _v(w, f"/risk-and-reward/scenarios/{w.extra['other_scenario'].id}"),
        members(NOT_FOUND), name="other alliance's scenario"),
    Row("value.attach_scenario", "GET", lambda w: _v(w, f"/risk-and-reward/scenarios/{w.extra['scenario'].id}/attach"),
        members(OK, observer=FORBIDDEN)),
    Row("value.attach_scenario", "POST", lambda w: _v(w, f"/risk-and-reward/scenarios/{w.extra['scenario'].id}/attach"),
        members(INVALID, observer=FORBIDDEN), data=lambda w: {}),
    Row("value.attach_scenario", "GET",
        lambda w: _v(w, f"/risk-and-reward/scenarios/{w.extra['other_scenario'].id}/attach"),
        members(NOT_FOUND, observer=FORBIDDEN), name="other alliance's scenario"),
    Row("value.propose_with_scenario", "GET",
        lambda w: _v(w, f"/risk-and-reward/scenarios/{w.extra['scenario'].id}/propose"),
        members(OK, observer=FORBIDDEN)),
    Row("value.propose_with_scenario", "POST",
        lambda w: _v(w, f"/risk-and-reward/scenarios/{w.extra['scenario'].id}/propose"),
        members(INVALID, observer=FORBIDDEN), data=lambda w: {}),
    # Linking a spec section to KRAs: whoever may edit the spec (not service users or observers).
    Row("value.link_spec_kras", "GET", lambda w: _v(w, f"/specs/{w.extra['spec'].id}/kras"),
        members(OK, service_user=FORBIDDEN, observer=FORBIDDEN)),
    Row("value.link_spec_kras", "POST", lambda w: _v(w, f"/specs/{w.extra['spec'].id}/kras"),
        members(INVALID, service_user=FORBIDDEN, observer=FORBIDDEN), data=lambda w: {"kras": ["999999"]}),
    Row("value.link_spec_kras", "GET", lambda w: _v(w, f"/specs/{w.extra['other_spec'].id}/kras"),
        members(NOT_FOUND), name="other alliance's spec"),
]


@shared_world
def world(session) -> World:
    from collab.value.services import ShareInput

    world = make_world()
    commissioner = world.user(Role.COMMISSIONER.value)
    provider = world.memberships[P]
    services.add_starter_set(session, commissioner, world.alliance)
    period = services.add_period(session, commissioner, world.alliance, label="2026",
                                 starts_on=date(2026, 1, 1),
                                 ends_on=date(2026, 6, 30),
                                 reports_due_on=date(2026, 7, 31))
    measure = services.measures_of(session, world.alliance)[0]
    commitment = services.add_commitment(session, provider.user, world.alliance, provider.organisation, measure,
                                         period, target=Decimal("10"))
    report = services.report_actual(session, provider.user, commitment, amount=Decimal("8"))
    services.save_target_cost(session, commissioner, world.alliance, year=2026, amount=Decimal("1000000"),
                              rule="gate", shares=[ShareInput(provider.organisation_id, Decimal(100), Decimal(100),
                                                              None, Decimal("500000"))])
    other = make_value_world()
    other_commitment = services.add_commitment(session, other.small_provider, other.alliance, other.small_org,
                                               other.measures[0], other.period, target=Decimal("5"))
    other_report = services.report_actual(session, other.small_provider, other_commitment, amount=Decimal("5"))
    kra = services.add_kra(session, commissioner, world.alliance, name="Quick help", measure="Seen in 4 hours",
                           unit="%", direction="more", baseline=Decimal(50), target=Decimal(80), minimum=Decimal(60))
    other_kra = services.add_kra(session, other.commissioner, other.alliance, name="Quick help", measure="Seen",
                                 unit="%", direction="more", baseline=Decimal(5), target=Decimal(8), minimum=Decimal(6))
    from collab.value.services import evaluation
    from collab.value.services.evaluation import CriterionInput

    criteria = [CriterionInput("quality", "Quality", Decimal(70)), CriterionInput("social_value", "Social value",
                                                                                  Decimal(10)),
                CriterionInput("cost", "Price", Decimal(20))]
    draft = evaluation.save_model(session, commissioner, world.alliance, None, name="Draft", purpose="",
                                  criteria=criteria)
    scoring = evaluation.save_model(session, commissioner, world.alliance, None, name="Scoring", purpose="",
                                    criteria=criteria)
    bid = evaluation.add_example_bids(session, commissioner, scoring)[0]
    evaluation.start_scoring(session, commissioner, scoring, [commissioner, world.user(Role.SERVICE_USER.value)],
                             {m.user_id: m for m in world.alliance.memberships})
    other_model = evaluation.save_model(session, other.commissioner, other.alliance, None, name="Other", purpose="",
                                        criteria=criteria)
    other_bid = evaluation.add_example_bids(session, other.commissioner, other_model)[0]
    from collab.agreements.services import start_agreement
    from collab.specs.services import create_spec
    from collab.value.money import KraStanding
    from collab.value.services import scenarios

    start_agreement(session, commissioner, world.alliance, use_template=True)
    target = services.target_costs(session, world.alliance)[0]
    scenario = scenarios.save_scenario(session, commissioner, world.alliance, target, name="Over budget",
                                       actual=Decimal("1100000"), kras=KraStanding(6, 6, 0))
    other_target = services.save_target_cost(
        session, other.commissioner, other.alliance, year=2026, amount=Decimal("1000"), rule="gate",
        shares=[ShareInput(other.small_org.id, Decimal(100), Decimal(100), None, Decimal("500"))])
    other_scenario = scenarios.save_scenario(session, other.commissioner, other.alliance, other_target, name="Other",
                                             actual=Decimal("900"), kras=KraStanding(0, 0, 0))
    spec = create_spec(session, commissioner, world.alliance, title="Crisis help", service_area="Mental health")
    other_spec = create_spec(session, other.commissioner, other.alliance, title="Other", service_area="Other")
    world.extra.update(scenario=scenario, other_scenario=other_scenario, spec=spec, other_spec=other_spec)
    world.extra.update(draft=draft, scoring=scoring, bid=bid, other_model=other_model, other_bid=other_bid)
    world.extra.update(kra=kra, other_kra=other_kra, measure=measure, commitment=commitment, report=report, other_measure=other.measures[0],
                       other_commitment=other_commitment, other_report=other_report)
    return world


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, ("value",))
