"""Saved pain/gain scenarios: save one from the modeller, read it, attach it to a proposal on the
agreement's risk-and-reward clause (an open one, or a new one made here)."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.agreements import services as agreement_services
from collab.agreements.forms import ProposalForm
from collab.agreements.models import Agreement, Clause, Proposal
from collab.alliances.models import Alliance
from collab.db import db
from collab.errors import DomainError
from collab.security import Permission, require
from collab.value import bp, charts, money, services
from collab.value.forms import AttachScenarioForm, SaveScenarioForm
from collab.value.models import ValueScenario
from collab.value.routes._common import value_alliance
from collab.value.services import scenarios
from collab.web import attempt, form_status, get_or_404, parse_id, redirect_to


def _scenario(alliance: Alliance, scenario_id: int) -> ValueScenario:
    return get_or_404(db.session, ValueScenario, scenario_id, alliance_id=alliance.id)


def _attaching(slug: str) -> Alliance:
    """Attaching a scenario makes or changes a proposal: both areas' permissions are needed."""
    alliance = value_alliance(slug, Permission.VALUE_SCENARIO)
    require(Permission.AGREEMENT_PROPOSAL_CREATE, alliance)
    return alliance


def _clause(alliance: Alliance, raw: str | None) -> tuple[list[Clause], Clause | None]:
    """The agreement's clauses and the chosen one (the risk-and-reward clause unless another is named)."""
    clauses = scenarios.agreement_clauses(db.session, alliance)
    if raw:
        clause_id = parse_id(raw)
        chosen = next((c for c in clauses if c.id == clause_id), None)
        if chosen is None:
            abort(404)
        return clauses, chosen
    return clauses, scenarios.default_clause(clauses) or (clauses[0] if clauses else None)


@bp.post("/alliances/<slug>/value/risk-and-reward/scenarios")
@login_required
def save_scenario(slug: str) -> Response | tuple[str, int]:
    """Save the modeller's result under a name."""
    alliance = value_alliance(slug, Permission.VALUE_SCENARIO)
    targets = services.target_costs(db.session, alliance)
    target = targets[0] if targets else None
    if target is None or not target.shares:
        abort(404)
    form = SaveScenarioForm()
    error = ""
    if form.validate_on_submit():
        try:
            kras = money.KraStanding(total=form.kras_total.data, met=form.kras_met.data,
                                     below_minimum=form.kras_below.data)
        except DomainError as broken:
            error = broken.message
        else:
            done = attempt(form, lambda: scenarios.save_scenario(
                db.session, current_user, alliance, target, name=form.name.data, actual=form.actual.data, kras=kras))
            if done:
                flash("The scenario is saved. You can now attach it to a proposal on the agreement.", "success")
                return redirect_to(url_for("value.show_scenario", slug=slug, scenario_id=done.value.id))
    return render_template("value/scenario_form.html", alliance=alliance, form=form, target=target,
                           error=error), 422


@bp.get("/alliances/<slug>/value/risk-and-reward/scenarios/<int:scenario_id>")
@login_required
def show_scenario(slug: str, scenario_id: int) -> str:
    """A saved scenario: each member's gain or pain, and the proposals it is attached to."""
    alliance = value_alliance(slug)
    scenario = _scenario(alliance, scenario_id)
    return render_template("value/scenario.html", alliance=alliance, scenario=scenario,
                           result=scenarios.result_of(scenario),
                           proposals=scenarios.proposals_for(db.session, scenario), pounds=charts.pounds_text)


@bp.route("/alliances/<slug>/value/risk-and-reward/scenarios/<int:scenario_id>/attach", methods=["GET", "POST"])
@login_required
def attach_scenario(slug: str, scenario_id: int) -> Response | tuple[str, int]:
    """Choose the clause (the risk-and-reward clause first), then an open proposal on it or a new one."""
    alliance = _attaching(slug)
    scenario = _scenario(alliance, scenario_id)
    clauses, clause = _clause(alliance, request.values.get("clause"))
    proposals = scenarios.open_proposals_on(db.session, clause) if clause is not None else []
    form = AttachScenarioForm()
    form.proposal.choices = [(str(p.id), p.heading) for p in proposals] + [("new", "A new proposal")]
    if request.method == "POST" and clause is None:
        abort(404)
    if form.validate_on_submit() and clause is not None:
        if form.proposal.data == "new":
            return redirect_to(url_for("value.propose_with_scenario", slug=slug, scenario_id=scenario.id,
                                       clause=clause.id))
        proposal = next((p for p in proposals if str(p.id) == form.proposal.data), None)
        if proposal is None:
            form.proposal.errors = ["Choose an open proposal on this clause, or a new proposal"]
        elif attempt(form, lambda: scenarios.attach(db.session, current_user, scenario, proposal)):
            flash(f"The scenario \u201c{scenario.name}\u201d is attached to the proposal.", "success")
            return redirect_to(url_for("agreements.show_proposal", slug=slug, proposal_id=proposal.id) + "#scenarios")
    return render_template("value/scenario_attach.html", alliance=alliance, scenario=scenario, clauses=clauses,
                           clause=clause, proposals=proposals, form=form), form_status()


@bp.route("/alliances/<slug>/value/risk-and-reward/scenarios/<int:scenario_id>/propose", methods=["GET", "POST"])
@login_required
def propose_with_scenario(slug: str, scenario_id: int) -> Response | tuple[str, int]:
    """Propose a change to the clause, with the scenario attached to the new proposal."""
    alliance = _attaching(slug)
    scenario = _scenario(alliance, scenario_id)
    _, clause = _clause(alliance, request.values.get("clause"))
    if clause is None:
        abort(404)
    agreement: Agreement = clause.agreement
    form = ProposalForm()
    if request.method == "GET":
        form.heading.data, form.body.data = clause.heading, clause.body
        form.reason.data = f"See the attached scenario \u201c{scenario.name}\u201d: what it would mean for each member."

    def propose_and_attach() -> Proposal:
        proposal = agreement_services.propose(
            db.session, current_user, agreement, clause=clause, heading=form.heading.data, body=form.body.data,
            reason=form.reason.data, closes_on=form.closes_on.data)
        scenarios.attach(db.session, current_user, scenario, proposal)
        return proposal

    if form.validate_on_submit() and (done := attempt(form, propose_and_attach)):
        flash("Your proposal has been made, with the scenario attached. Every seat has been asked to respond.",
              "success")
        return redirect_to(url_for("agreements.show_proposal", slug=slug, proposal_id=done.value.id))
    return render_template("value/scenario_propose.html", alliance=alliance, scenario=scenario, clause=clause,
                           agreement=agreement, form=form), form_status()
