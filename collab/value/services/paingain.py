"""The risk-and-reward model kept for each year: target outcome cost, shares, caps and the gain rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance, Organisation
from collab.errors import DomainError
from collab.value.models import GainRule, ShareLine, TargetCost
from collab.value.money import Member, check_shares, money
from collab.value.services.commitments import member_organisations


@dataclass(frozen=True)
class ShareInput:
    organisation_id: int
    gain_share: Decimal
    pain_share: Decimal
    pain_cap: Decimal | None
    contract_value: Decimal


def target_costs(session: Session, alliance: Alliance) -> list[TargetCost]:
    return list(session.scalars(
        select(TargetCost).where(TargetCost.alliance_id == alliance.id).order_by(TargetCost.year.desc())
        .options(selectinload(TargetCost.shares).selectinload(ShareLine.organisation))
    ))


def members_of(target: TargetCost) -> list[Member]:
    """The model's members, for ``collab.value.money``."""
    return [Member(key=line.organisation_id, name=line.organisation.name, gain_share=line.gain_share,
                   pain_share=line.pain_share, pain_cap=line.pain_cap, contract_value=line.contract_value)
            for line in target.shares]


def save_target_cost(session: Session, actor: User, alliance: Alliance, *, year: int, amount: Decimal | None,
                     rule: GainRule | str, shares: Sequence[ShareInput]) -> TargetCost:
    """Set (or replace) the year's target outcome cost and every member's shares; shares add up to 100%."""
    if amount is None:
        raise DomainError("Enter the target outcome cost", field="amount")
    amount = money(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")) or amount > Decimal("999999999999.99"):
        raise DomainError("The target outcome cost must be more than £0, in pounds and pence", field="amount")
    if not 2000 <= year <= 2100:
        raise DomainError("Enter a year between 2000 and 2100", field="year")
    try:
        rule = GainRule(rule)
    except ValueError:
        raise DomainError("Choose how gain is tied to the key result areas", field="rule") from None
    organisations = {o.id: o for o in member_organisations(session, alliance)}
    lines = [s for s in shares if s.gain_share or s.pain_share or s.pain_cap is not None or s.contract_value]
    for s in lines:
        if s.organisation_id not in organisations:
            raise DomainError("Shares can only be given to member organisations", field="shares")
    check_shares([Member(s.organisation_id, organisations[s.organisation_id].name, s.gain_share, s.pain_share,
                         s.pain_cap, s.contract_value) for s in lines])
    target = session.scalar(select(TargetCost).where(TargetCost.alliance_id == alliance.id, TargetCost.year == year))
    if target is None:
        target = TargetCost(alliance=alliance, year=year, amount=amount, rule=rule)
        session.add(target)
    target.amount, target.rule, target.updated_by_id = amount, rule, actor.id
    target.shares.clear()
    session.flush()
    for s in lines:
        target.shares.append(ShareLine(organisation=organisations[s.organisation_id], gain_share=s.gain_share,
                                       pain_share=s.pain_share, pain_cap=s.pain_cap, contract_value=s.contract_value))
    session.flush()
    audit.record(session, actor, "value.target_cost_saved", target, alliance=alliance, label=str(year),
                 detail={"amount": str(amount), "rule": rule.value, "members": len(lines)})
    return target


def organisation_choices(session: Session, alliance: Alliance) -> list[Organisation]:
    return member_organisations(session, alliance)
