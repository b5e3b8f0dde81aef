"""Saved pain/gain scenarios and their attachment to proposals on the agreement's risk-and-reward clause.

A scenario keeps a copy of the model it was worked out from, so a proposal that shows it keeps
showing the figures people responded to, even after the target or the shares change.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.agreements.models import Agreement, Clause, Proposal, ProposalStatus
from collab.alliances.models import Alliance
from collab.errors import DomainError
from collab.value.models import GainRule, ScenarioAttachment, TargetCost, ValueScenario
from collab.value.money import KraStanding, Member, Result, money, share_out
from collab.value.services.paingain import members_of

#: A clause whose heading says this is about risk and reward (the default choice).
RISK_REWARD_WORDS = re.compile(r"risk|reward|pain|gain", re.IGNORECASE)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def snapshot(target: TargetCost) -> dict[str, Any]:
    """The model as text (never float): target, rule and each member's terms."""
    return {"target": str(target.amount), "rule": target.rule.value,
            "members": [{"key": m.key, "name": m.name, "gain_share": str(m.gain_share),
                         "pain_share": str(m.pain_share), "pain_cap": _text(m.pain_cap),
                         "contract_value": str(m.contract_value)} for m in members_of(target)]}


def result_of(scenario: ValueScenario) -> Result:
    """The scenario's result, worked out again from its saved copy of the model (the same every time)."""
    model = scenario.model
    members = [Member(key=int(m["key"]), name=str(m["name"]), gain_share=Decimal(m["gain_share"]),
                      pain_share=Decimal(m["pain_share"]),
                      pain_cap=Decimal(m["pain_cap"]) if m.get("pain_cap") is not None else None,
                      contract_value=Decimal(m["contract_value"])) for m in model["members"]]
    kras = KraStanding(total=scenario.kras_total, met=scenario.kras_met, below_minimum=scenario.kras_below)
    return share_out(Decimal(model["target"]), scenario.actual, members, GainRule(model["rule"]), kras)


def save_scenario(session: Session, actor: User, alliance: Alliance, target: TargetCost, *, name: str,
                  actual: Decimal | None, kras: KraStanding) -> ValueScenario:
    """Save a modeller result under a name, with a copy of the model it came from."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Give the scenario a name, such as \u201cOver budget, one KRA below minimum\u201d", field="name")
    if len(name) > 200:
        raise DomainError("The name must be 200 characters or fewer", field="name")
    if actual is None:
        raise DomainError("Enter the actual cost", field="actual")
    if target.alliance_id != alliance.id or not target.shares:
        raise DomainError("Set the target outcome cost and shares first")
    scenario = ValueScenario(alliance_id=alliance.id, name=name, year=target.year, actual=money(actual),
                             kras_total=kras.total, kras_met=kras.met, kras_below=kras.below_minimum,
                             model=snapshot(target), created_by_id=actor.id)
    result_of(scenario)  # refuses a scenario the model cannot work out (a domain error)
    session.add(scenario)
    session.flush()
    audit.record(session, actor, "value.scenario_saved", scenario, alliance=alliance, label=name,
                 detail={"year": target.year, "actual": str(scenario.actual)})
    return scenario


def scenarios_of(session: Session, alliance: Alliance) -> list[ValueScenario]:
    return list(session.scalars(
        select(ValueScenario).where(ValueScenario.alliance_id == alliance.id)
        .options(selectinload(ValueScenario.created_by)).order_by(ValueScenario.id.desc())
    ))


def agreement_clauses(session: Session, alliance: Alliance) -> list[Clause]:
    """The clauses in the alliance's agreement (not retired), in order."""
    return list(session.scalars(
        select(Clause).join(Agreement).where(Agreement.alliance_id == alliance.id, Clause.retired_at.is_(None))
        .order_by(Clause.position)
    ))


def default_clause(clauses: list[Clause]) -> Clause | None:
    """The risk-and-reward clause: the first whose heading mentions risk, reward, pain or gain."""
    return next((c for c in clauses if RISK_REWARD_WORDS.search(c.heading)), None)


def open_proposals_on(session: Session, clause: Clause) -> list[Proposal]:
    return list(session.scalars(
        select(Proposal).where(Proposal.clause_id == clause.id, Proposal.status == ProposalStatus.OPEN)
        .order_by(Proposal.id.desc())
    ))


def attach(session: Session, actor: User, scenario: ValueScenario, proposal: Proposal) -> ScenarioAttachment:
    """Attach a saved scenario to an open proposal of the same alliance (once)."""
    if proposal.agreement.alliance_id != scenario.alliance_id:
        raise DomainError("Choose a proposal of this alliance's agreement", field="proposal")
    if not proposal.is_open:
        raise DomainError("That proposal is closed. Choose an open proposal or make a new one.", field="proposal")
    existing = session.scalar(select(ScenarioAttachment).where(ScenarioAttachment.scenario_id == scenario.id,
                                                               ScenarioAttachment.proposal_id == proposal.id))
    if existing is not None:
        raise DomainError("This scenario is already attached to that proposal", field="proposal")
    attachment = ScenarioAttachment(alliance_id=scenario.alliance_id, scenario=scenario, proposal_id=proposal.id,
                                    attached_by_id=actor.id)
    session.add(attachment)
    session.flush()
    audit.record(session, actor, "value.scenario_attached", scenario, alliance=scenario.alliance,
                 label=scenario.name, detail={"proposal_id": proposal.id, "proposal": proposal.heading})
    return attachment


def attached_to(session: Session, proposal: Proposal) -> list[ValueScenario]:
    """The saved scenarios attached to a proposal, oldest first."""
    return list(session.scalars(
        select(ValueScenario).join(ScenarioAttachment).where(ScenarioAttachment.proposal_id == proposal.id)
        .order_by(ScenarioAttachment.id)
    ))


def proposals_for(session: Session, scenario: ValueScenario) -> list[Proposal]:
    """The proposals a scenario is attached to."""
    return list(session.scalars(
        select(Proposal).join(ScenarioAttachment, ScenarioAttachment.proposal_id == Proposal.id)
        .where(ScenarioAttachment.scenario_id == scenario.id).order_by(Proposal.id)
    ))
