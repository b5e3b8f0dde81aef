"""What value adds to other areas' pages (collab/panels.py): scenarios on a proposal, evaluation
decisions in the decision register, linked KRAs beside a specification. Each shows only to people
who may see the alliance's value pages."""

from __future__ import annotations

from typing import Any

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from collab.db import db
from collab.security import Permission, can
from collab.value import charts
from collab.value.models import EvaluationModel, EvaluationStage
from collab.value.services import scenarios, spec_links


def proposal_scenarios(*, alliance: Any, proposal: Any, **_: Any) -> str:
    """The saved pain/gain scenarios attached to a proposal, one table each."""
    if not can(Permission.VALUE_VIEW, alliance):
        return ""
    attached = scenarios.attached_to(db.session, proposal)
    if not attached:
        return ""
    return render_template("value/_proposal_scenarios.html", alliance=alliance, proposal=proposal,
                           items=[(s, scenarios.result_of(s)) for s in attached], pounds=charts.pounds_text)


def evaluation_decisions(*, alliance: Any, **_: Any) -> str:
    """Decided evaluation models, with the chosen bid and the reasons, for the decision register."""
    if not can(Permission.VALUE_VIEW, alliance):
        return ""
    decided = list(db.session.scalars(
        select(EvaluationModel)
        .where(EvaluationModel.alliance_id == alliance.id, EvaluationModel.stage == EvaluationStage.DECIDED)
        .options(selectinload(EvaluationModel.chosen_bid))
        .order_by(EvaluationModel.decided_at.desc(), EvaluationModel.id.desc())
    ))
    if not decided:
        return ""
    return render_template("value/_decisions.html", alliance=alliance, decided=decided,
                           deciders=_names([m.decided_by_id for m in decided]))


def _names(user_ids: list[int | None]) -> dict[int, str]:
    from collab.accounts.models import User

    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.display_name for u in db.session.scalars(select(User).where(User.id.in_(ids)))}


def spec_kras(*, alliance: Any, spec: Any, **_: Any) -> str:
    """The key result areas the spec's sections speak to, with target and minimum standard."""
    if not can(Permission.VALUE_VIEW, alliance):
        return ""
    linked = spec_links.kras_for_spec(db.session, spec)
    may_link = can(Permission.SPEC_EDIT, spec)
    if not linked and not may_link:
        return ""
    return render_template("value/_spec_kras.html", alliance=alliance, spec=spec, linked=linked, may_link=may_link)
