"""A quality-led evaluation model: criteria in three groups, the alliance's floors, the effect of the ratio, the panel.

Scores are out of 100. A quality or social value criterion scores ``weight × score / scale``; a
cost criterion scores ``weight × lowest price / this price`` (the usual relative price formula).
Panellists' scores stay hidden from each other until every panellist has scored every bid on
every criterion; then a commissioner moderates (records the agreed score) and records the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab import audit
from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership
from collab.db import utcnow
from collab.errors import DomainError
from collab.permissions import Permission, permissions_for_role
from collab.value.models import (
    CriterionGroup,
    EvaluationBid,
    EvaluationCriterion,
    EvaluationFloors,
    EvaluationModel,
    EvaluationStage,
    Panellist,
    PanelScore,
)

DEFAULT_FLOORS = (Decimal(60), Decimal(10), Decimal(30))
HUNDRED = Decimal(100)

#: What each floor protects, in plain words (shown beside the floor and in the refusal).
PROTECTS = {
    CriterionGroup.QUALITY: "how well people are helped counts for more than the price",
    CriterionGroup.SOCIAL_VALUE: "local jobs, volunteering and the environment count (the Social Value Model, "
                                 "PPN 002, asks for at least 10%)",
    CriterionGroup.COST: "the cheapest bid cannot win whatever its quality",
}

#: Example bids for "show the effect": (name, price, quality out of 100, social value out of 100).
EXAMPLE_BIDS = [
    ("Example A: a large national provider", Decimal("900000"), 45, 20),
    ("Example B: a local charity with peer workers", Decimal("1040000"), 90, 85),
    ("Example C: a regional social enterprise", Decimal("980000"), 70, 60),
]


@dataclass(frozen=True)
class CriterionInput:
    group: CriterionGroup | str
    name: str
    weight: Decimal
    scale_max: int = 5


def floors_of(session: Session, alliance: Alliance) -> EvaluationFloors:
    """The alliance's floors (the defaults until it sets its own; not saved by reading)."""
    found = session.scalar(select(EvaluationFloors).where(EvaluationFloors.alliance_id == alliance.id))
    if found is None:
        q, s, c = DEFAULT_FLOORS
        return EvaluationFloors(alliance_id=alliance.id, quality_min=q, social_value_min=s, cost_max=c)
    return found


def set_floors(session: Session, actor: User, alliance: Alliance, *, quality_min: Decimal | None,
               social_value_min: Decimal | None, cost_max: Decimal | None) -> EvaluationFloors:
    """Set the alliance's floors."""
    for value, f in ((quality_min, "quality_min"), (social_value_min, "social_value_min"), (cost_max, "cost_max")):
        if value is None or not 0 <= value <= HUNDRED:
            raise DomainError("Enter a percentage from 0 to 100", field=f)
    assert quality_min is not None and social_value_min is not None and cost_max is not None
    if quality_min + social_value_min > HUNDRED:
        raise DomainError("The quality and social value floors cannot add up to more than 100%", field="quality_min")
    floors = session.scalar(select(EvaluationFloors).where(EvaluationFloors.alliance_id == alliance.id))
    if floors is None:
        floors = EvaluationFloors(alliance_id=alliance.id, quality_min=quality_min,
                                  social_value_min=social_value_min, cost_max=cost_max)
        session.add(floors)
    floors.quality_min, floors.social_value_min, floors.cost_max = quality_min, social_value_min, cost_max
    session.flush()
    audit.record(session, actor, "value.floors_set", floors, alliance=alliance, label="evaluation floors",
                 detail={"quality": str(quality_min), "social_value": str(social_value_min), "cost": str(cost_max)})
    return floors


def group_weights(criteria: Sequence[EvaluationCriterion | CriterionInput]) -> dict[CriterionGroup, Decimal]:
    totals = dict.fromkeys(CriterionGroup, Decimal(0))
    for c in criteria:
        totals[CriterionGroup(c.group)] += c.weight
    return totals


def breaches(criteria: Sequence[EvaluationCriterion | CriterionInput], floors: EvaluationFloors) -> list[str]:
    """Each floor the criteria fall below, in plain words (empty when the model is within every floor)."""
    w = group_weights(criteria)
    found = []
    if w[CriterionGroup.QUALITY] < floors.quality_min:
        found.append(f"Quality has {w[CriterionGroup.QUALITY].normalize():f}% of the weight; the alliance's floor is "
                     f"{floors.quality_min.normalize():f}%, so that {PROTECTS[CriterionGroup.QUALITY]}.")
    if w[CriterionGroup.SOCIAL_VALUE] < floors.social_value_min:
        found.append(f"Social value has {w[CriterionGroup.SOCIAL_VALUE].normalize():f}% of the weight; the floor is "
                     f"{floors.social_value_min.normalize():f}%, so that {PROTECTS[CriterionGroup.SOCIAL_VALUE]}.")
    if w[CriterionGroup.COST] > floors.cost_max:
        found.append(f"Cost has {w[CriterionGroup.COST].normalize():f}% of the weight; the most allowed is "
                     f"{floors.cost_max.normalize():f}%, so that {PROTECTS[CriterionGroup.COST]}.")
    return found


def _refuse_below_floor(criteria: Sequence[EvaluationCriterion | CriterionInput], floors: EvaluationFloors,
                        reason: str) -> None:
    found = breaches(criteria, floors)
    if found and not reason.strip():
        raise DomainError("This model is below the alliance's floors. " + " ".join(found)
                          + " Change the weights, or record why this model must be used.", field="floor_reason")


def _checked_criteria(criteria: Sequence[CriterionInput]) -> list[CriterionInput]:
    rows = [c for c in criteria if (c.name or "").strip() or c.weight]
    if not rows:
        raise DomainError("Add at least one criterion", field="criteria")
    for c in rows:
        if not (c.name or "").strip():
            raise DomainError("Give every criterion a name", field="criteria")
        if len(c.name) > 300:
            raise DomainError("A criterion's name must be 300 characters or fewer", field="criteria")
        try:
            CriterionGroup(c.group)
        except ValueError:
            raise DomainError("Choose quality, social value or cost for every criterion", field="criteria") from None
        if c.weight is None or c.weight <= 0:
            raise DomainError(f"Give \u201c{c.name}\u201d a weight above 0%", field="criteria")
        if not 1 <= c.scale_max <= 100:
            raise DomainError("A scoring scale goes from 0 up to between 1 and 100", field="criteria")
    total = sum((c.weight for c in rows), Decimal(0))
    if total != HUNDRED:
        raise DomainError(f"The weights add up to {total.normalize():f}%. They must add up to 100%.", field="criteria")
    return rows


def save_model(session: Session, actor: User, alliance: Alliance, model: EvaluationModel | None, *, name: str,
               purpose: str, criteria: Sequence[CriterionInput], floor_reason: str = "") -> EvaluationModel:
    """Create or change a model (while it is being written); refused below a floor without a reason."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter a name for the model", field="name")
    if len(name) > 200:
        raise DomainError("The name must be 200 characters or fewer", field="name")
    if model is not None and model.stage != EvaluationStage.DRAFT:
        raise DomainError("The panel has started scoring, so the model can no longer change")
    rows = _checked_criteria(criteria)
    floor_reason = (floor_reason or "").strip()
    _refuse_below_floor(rows, floors_of(session, alliance), floor_reason)
    if model is None:
        model = EvaluationModel(alliance=alliance, name=name, created_by_id=actor.id)
        session.add(model)
        action = "value.evaluation_created"
    else:
        action = "value.evaluation_changed"
    model.name, model.purpose = name, (purpose or "").strip()
    model.floor_reason = floor_reason if breaches(rows, floors_of(session, alliance)) else ""
    model.criteria.clear()
    session.flush()
    for i, c in enumerate(rows, start=1):
        model.criteria.append(EvaluationCriterion(position=i, group=CriterionGroup(c.group), name=c.name.strip(),
                                                  weight=c.weight, scale_max=c.scale_max))
    session.flush()
    w = group_weights(rows)
    audit.record(session, actor, action, model, alliance=alliance, label=name,
                 detail={"quality": str(w[CriterionGroup.QUALITY]), "social_value": str(w[CriterionGroup.SOCIAL_VALUE]),
                         "cost": str(w[CriterionGroup.COST]), "below_floor_reason": model.floor_reason})
    return model


def models_of(session: Session, alliance: Alliance) -> list[EvaluationModel]:
    return list(session.scalars(
        select(EvaluationModel).where(EvaluationModel.alliance_id == alliance.id).order_by(EvaluationModel.id.desc())
        .options(selectinload(EvaluationModel.criteria), selectinload(EvaluationModel.bids))
    ))


def add_bid(session: Session, actor: User, model: EvaluationModel, *, name: str, price: Decimal | None,
            example_quality: int | None = 0, example_social_value: int | None = 0) -> EvaluationBid:
    """Add a bid (real or an example) with its price and example scores out of 100."""
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter who the bid is from", field="name")
    if price is None or price <= 0:
        raise DomainError("Enter the bid's price, more than £0", field="price")
    if model.stage == EvaluationStage.DECIDED:
        raise DomainError("The decision has been made, so no more bids can be added")
    for value, f in ((example_quality, "example_quality"), (example_social_value, "example_social_value")):
        if value is None or not 0 <= value <= 100:
            raise DomainError("Example scores go from 0 to 100", field=f)
    bid = EvaluationBid(model=model, name=name, price=price, example_quality=example_quality or 0,
                        example_social_value=example_social_value or 0)
    session.add(bid)
    session.flush()
    audit.record(session, actor, "value.bid_added", bid, alliance=model.alliance, label=name,
                 detail={"evaluation": model.name, "price": str(price)})
    return bid


def add_example_bids(session: Session, actor: User, model: EvaluationModel) -> list[EvaluationBid]:
    return [add_bid(session, actor, model, name=n, price=p, example_quality=q, example_social_value=s)
            for n, p, q, s in EXAMPLE_BIDS]


def _score(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True)
class Ranked:
    bid: EvaluationBid
    score: Decimal
    rank: int
    price_led_score: Decimal
    price_led_rank: int
    #: Quality and social value points under this model (out of their weight).
    points: Decimal = Decimal(0)


def _rank(scores: dict[int, Decimal]) -> dict[int, int]:
    ordered = sorted(scores, key=lambda i: -scores[i])
    return {bid_id: ordered.index(bid_id) + 1 for bid_id in scores}


def effect(model: EvaluationModel, moderated: dict[tuple[int, int], int] | None = None) -> list[Ranked]:
    """Each bid's score and rank under this model and under a price-led 10:90 model.

    From the panel's moderated scores ((bid id, criterion id) -> score) when given, else from the
    example scores. Under 10:90 the non-price points are blended into the 10%.
    """
    bids = list(model.bids)
    if not bids:
        return []
    lowest = min(b.price for b in bids)
    w = group_weights(model.criteria)
    non_cost = w[CriterionGroup.QUALITY] + w[CriterionGroup.SOCIAL_VALUE]
    ours, price_led, earned = {}, {}, {}
    for b in bids:
        price_score = lowest / b.price
        if moderated is None:
            fallback = Decimal(b.example_quality) / HUNDRED
            points = (w[CriterionGroup.QUALITY] * fallback
                      + w[CriterionGroup.SOCIAL_VALUE] * Decimal(b.example_social_value) / HUNDRED)
        else:
            fallback = Decimal(0)
            points = sum((c.weight * Decimal(moderated[(b.id, c.id)]) / Decimal(c.scale_max)
                          for c in model.criteria if c.group != CriterionGroup.COST), Decimal(0))
        earned[b.id] = _score(points)
        ours[b.id] = _score(points + w[CriterionGroup.COST] * price_score)
        blended = points / non_cost if non_cost else fallback
        price_led[b.id] = _score(10 * blended + 90 * price_score)
    rank, price_rank = _rank(ours), _rank(price_led)
    return sorted((Ranked(b, ours[b.id], rank[b.id], price_led[b.id], price_rank[b.id], earned[b.id]) for b in bids),
                  key=lambda r: r.rank)


def effect_now(session: Session, model: EvaluationModel) -> tuple[list[Ranked], bool]:
    """"Show the effect" as it stands: from the moderated scores once every bid has them (True), else the examples."""
    moderated = {(s.bid_id, s.criterion_id): s.score for s in panel_scores(session, model, moderated=True)}
    criteria = scored_criteria(model)
    complete = bool(model.bids) and bool(criteria) and all(
        (b.id, c.id) in moderated for b in model.bids for c in criteria)
    return (effect(model, moderated), True) if complete else (effect(model), False)


# The panel --------------------------------------------------------------------------------


def may_sit_on_panel(membership: Membership | None) -> bool:
    return membership is not None and Permission.VALUE_SCORE in permissions_for_role(membership.role)


def start_scoring(session: Session, actor: User, model: EvaluationModel, panel: Sequence[User],
                  memberships: dict[int, Membership]) -> EvaluationModel:
    """Choose the panel and start scoring: the model is used from now on (floors are checked again)."""
    if model.stage != EvaluationStage.DRAFT:
        raise DomainError("The panel has already started scoring")
    _refuse_below_floor(model.criteria, floors_of(session, model.alliance), model.floor_reason)
    if not model.bids:
        raise DomainError("Add the bids before the panel starts")
    if not [c for c in model.criteria if c.group != CriterionGroup.COST]:
        raise DomainError("The panel needs at least one quality or social value criterion to score")
    if not panel:
        raise DomainError("Choose at least one panellist", field="panellists")
    for person in panel:
        if not may_sit_on_panel(memberships.get(person.id)):
            raise DomainError(f"{person.display_name} cannot sit on this panel", field="panellists")
    model.panellists = [Panellist(user_id=p.id) for p in panel]
    model.stage = EvaluationStage.SCORING
    session.flush()
    audit.record(session, actor, "value.evaluation_started", model, alliance=model.alliance, label=model.name,
                 detail={"panel": [p.display_name for p in panel], "below_floor_reason": model.floor_reason})
    return model


def is_panellist(model: EvaluationModel, user: User) -> bool:
    return any(p.user_id == user.id for p in model.panellists)


def scored_criteria(model: EvaluationModel) -> list[EvaluationCriterion]:
    return [c for c in model.criteria if c.group != CriterionGroup.COST]


def panel_scores(session: Session, model: EvaluationModel, *, moderated: bool = False) -> list[PanelScore]:
    bid_ids = [b.id for b in model.bids]
    if not bid_ids:
        return []
    return list(session.scalars(select(PanelScore).where(PanelScore.bid_id.in_(bid_ids),
                                                         PanelScore.moderated.is_(moderated))))


def record_scores(session: Session, actor: User, model: EvaluationModel, bid: EvaluationBid,
                  scores: dict[int, int | None], notes: dict[int, str] | None = None) -> None:
    """A panellist scores one bid on every quality and social value criterion."""
    if model.stage != EvaluationStage.SCORING:
        raise DomainError("The panel is not scoring this model now")
    if not is_panellist(model, actor):
        raise DomainError("Only the panel can score these bids", field="scores")
    if bid.model_id != model.id:
        raise DomainError("That bid is not part of this evaluation")
    notes = notes or {}
    mine = {(s.criterion_id): s for s in panel_scores(session, model) if s.user_id == actor.id and s.bid_id == bid.id}
    for c in scored_criteria(model):
        value = scores.get(c.id)
        if value is None or not 0 <= value <= c.scale_max:
            raise DomainError(f"Score \u201c{c.name}\u201d from 0 to {c.scale_max}", field=f"score_{c.id}")
        row = mine.get(c.id)
        if row is None:
            row = PanelScore(bid_id=bid.id, criterion_id=c.id, user_id=actor.id, score=value)
            session.add(row)
        row.score, row.note = value, (notes.get(c.id) or "").strip()
    session.flush()
    audit.record(session, actor, "value.bid_scored", bid, alliance=model.alliance, label=bid.name,
                 detail={"evaluation": model.name})  # the scores themselves are not in the activity


def progress(session: Session, model: EvaluationModel) -> tuple[int, int]:
    """(scores in, scores needed) across the whole panel."""
    needed = len(model.panellists) * len(model.bids) * len(scored_criteria(model))
    return len(panel_scores(session, model)), needed


def all_in(session: Session, model: EvaluationModel) -> bool:
    done, needed = progress(session, model)
    return needed > 0 and done >= needed


def visible_scores(session: Session, model: EvaluationModel, viewer: User) -> list[PanelScore]:
    """Every score once all are in; before that, only the viewer's own (hidden from everyone else)."""
    scores = panel_scores(session, model)
    if all_in(session, model):
        return scores
    return [s for s in scores if s.user_id == viewer.id]


def moderate(session: Session, actor: User, model: EvaluationModel, bid: EvaluationBid,
             scores: dict[int, int | None], reason: str) -> None:
    """Record the agreed (moderated) scores for a bid, once every panellist has scored."""
    if model.stage != EvaluationStage.SCORING:
        raise DomainError("The panel is not scoring this model now")
    if not all_in(session, model):
        raise DomainError("Wait until every panellist has scored every bid")
    existing = {s.criterion_id: s for s in panel_scores(session, model, moderated=True) if s.bid_id == bid.id}
    for c in scored_criteria(model):
        value = scores.get(c.id)
        if value is None or not 0 <= value <= c.scale_max:
            raise DomainError(f"Score \u201c{c.name}\u201d from 0 to {c.scale_max}", field=f"score_{c.id}")
        row = existing.get(c.id)
        if row is None:
            row = PanelScore(bid_id=bid.id, criterion_id=c.id, user_id=actor.id, score=value, moderated=True)
            session.add(row)
        row.score, row.note, row.user_id = value, (reason or "").strip(), actor.id
    session.flush()
    audit.record(session, actor, "value.bid_moderated", bid, alliance=model.alliance, label=bid.name,
                 detail={"evaluation": model.name, "reason": (reason or "").strip()})


def final_ranking(session: Session, model: EvaluationModel) -> list[tuple[EvaluationBid, Decimal | None]]:
    """Each bid's total under the model from its moderated scores (None until moderated), best first."""
    bids = list(model.bids)
    if not bids:
        return []
    lowest = min(b.price for b in bids)
    moderated: dict[tuple[int, int], int] = {(s.bid_id, s.criterion_id): s.score
                                             for s in panel_scores(session, model, moderated=True)}
    result: list[tuple[EvaluationBid, Decimal | None]] = []
    for b in bids:
        total = Decimal(0)
        complete = True
        for c in model.criteria:
            if c.group == CriterionGroup.COST:
                total += c.weight * lowest / b.price
            elif (b.id, c.id) in moderated:
                total += c.weight * Decimal(moderated[(b.id, c.id)]) / Decimal(c.scale_max)
            else:
                complete = False
        result.append((b, _score(total) if complete else None))
    return sorted(result, key=lambda pair: -(pair[1] if pair[1] is not None else Decimal(-1)))


def decide(session: Session, actor: User, model: EvaluationModel, bid: EvaluationBid | None, *,
           reason: str) -> EvaluationModel:
    """Record the final decision and its reasons (in the model and the audit trail)."""
    if model.stage != EvaluationStage.SCORING:
        raise DomainError("Only a model the panel has scored can be decided")
    ranking = final_ranking(session, model)
    if not ranking or any(score is None for _, score in ranking):
        raise DomainError("Moderate every bid before recording the decision")
    if bid is None or bid.model_id != model.id:
        raise DomainError("Choose the bid the alliance has chosen", field="bid_id")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reasons for the decision", field="reason")
    model.chosen_bid_id, model.decision_reason = bid.id, reason
    model.decided_by_id, model.decided_at, model.stage = actor.id, utcnow(), EvaluationStage.DECIDED
    session.flush()
    audit.record(session, actor, "value.evaluation_decided", model, alliance=model.alliance, label=model.name,
                 detail={"chosen": bid.name, "reason": reason,
                         "ranking": [[b.name, str(score)] for b, score in ranking]})
    return model
