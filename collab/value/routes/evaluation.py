"""Quality-led evaluation models: floors, criteria, the effect of the ratio, the panel, moderation, the decision."""

from __future__ import annotations

from decimal import Decimal

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances.models import Alliance
from collab.db import db
from collab.security import Permission, require
from collab.value import bp, services, views
from collab.value.forms import (
    BidForm,
    ConfirmForm,
    DecisionForm,
    EvaluationForm,
    FloorsForm,
    PanelForm,
    score_values,
)
from collab.value.models import EvaluationBid, EvaluationModel
from collab.value.routes._common import value_alliance
from collab.value.services.evaluation import CriterionInput
from collab.web import attempt, form_status, get_or_404, redirect_to


def _model(alliance: Alliance, model_id: int) -> EvaluationModel:
    return get_or_404(db.session, EvaluationModel, model_id, alliance_id=alliance.id)


def _bid(model: EvaluationModel, bid_id: int) -> EvaluationBid:
    return get_or_404(db.session, EvaluationBid, bid_id, model_id=model.id)


@bp.get("/alliances/<slug>/value/evaluations")
@login_required
def evaluations(slug: str) -> str:
    """The alliance's evaluation models and its floors."""
    alliance = value_alliance(slug)
    return render_template("value/evaluations.html", alliance=alliance,
                           models=services.evaluation.models_of(db.session, alliance),
                           floors=services.evaluation.floors_of(db.session, alliance),
                           protects=services.evaluation.PROTECTS)


@bp.route("/alliances/<slug>/value/evaluations/floors", methods=["GET", "POST"])
@login_required
def floors(slug: str) -> Response | tuple[str, int]:
    """Set the alliance's floors for every evaluation model."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    current = services.evaluation.floors_of(db.session, alliance)
    form = FloorsForm(obj=current if request.method == "GET" else None)
    if form.validate_on_submit() and attempt(form, lambda: services.evaluation.set_floors(
        db.session, current_user, alliance, quality_min=form.quality_min.data,
        social_value_min=form.social_value_min.data, cost_max=form.cost_max.data,
    )):
        flash("The floors are saved. Every evaluation model is checked against them.", "success")
        return redirect_to(url_for("value.evaluations", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form, title="The alliance's floors",
                           button="Save the floors"), form_status()


def _criteria(form: EvaluationForm) -> list[CriterionInput]:
    rows = [entry.form for entry in form.criteria]
    return [CriterionInput(group=row["group"].data or "", name=row["name"].data or "",
                           weight=row["weight"].data if row["weight"].data is not None else Decimal(0),
                           scale_max=row["scale_max"].data or 5) for row in rows]


def _edit(alliance: Alliance, model: EvaluationModel | None) -> Response | tuple[str, int]:
    form = EvaluationForm(obj=model if request.method == "GET" and model is not None else None)
    if request.method == "GET" and model is not None:
        for entry, criterion in zip(form.criteria.entries, model.criteria, strict=False):
            entry.form.group.data, entry.form.weight.data = criterion.group.value, criterion.weight
            entry.form.scale_max.data = criterion.scale_max
            entry.form["name"].data = criterion.name
    if form.validate_on_submit() and (done := attempt(form, lambda: services.evaluation.save_model(
        db.session, current_user, alliance, model, name=form.name.data, purpose=form.purpose.data or "",
        criteria=_criteria(form), floor_reason=form.floor_reason.data or "",
    ))):
        flash("The evaluation model is saved.", "success")
        return redirect_to(url_for("value.evaluation", slug=alliance.slug, model_id=done.value.id))
    floors_now = services.evaluation.floors_of(db.session, alliance)
    return render_template("value/evaluation_form.html", alliance=alliance, form=form, model=model,
                           floors=floors_now, protects=services.evaluation.PROTECTS), form_status()


@bp.route("/alliances/<slug>/value/evaluations/new", methods=["GET", "POST"])
@login_required
def new_evaluation(slug: str) -> Response | tuple[str, int]:
    """Build an evaluation model: criteria grouped as quality, social value and cost, with weights."""
    return _edit(value_alliance(slug, Permission.VALUE_MANAGE), None)


@bp.route("/alliances/<slug>/value/evaluations/<int:model_id>/edit", methods=["GET", "POST"])
@login_required
def edit_evaluation(slug: str, model_id: int) -> Response | tuple[str, int]:
    """Change a model while it is being written."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    return _edit(alliance, _model(alliance, model_id))


@bp.get("/alliances/<slug>/value/evaluations/<int:model_id>")
@login_required
def evaluation(slug: str, model_id: int) -> str:
    """A model: its weights against the floors, the effect of the ratio on example bids, the panel's progress."""
    alliance = value_alliance(slug)
    return render_template("value/evaluation.html", **views.evaluation_context(alliance, _model(alliance, model_id)))


@bp.route("/alliances/<slug>/value/evaluations/<int:model_id>/bids/new", methods=["GET", "POST"])
@login_required
def new_bid(slug: str, model_id: int) -> Response | tuple[str, int]:
    """Add a bid (or an example bid) with its price."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    model = _model(alliance, model_id)
    form = BidForm()
    if form.validate_on_submit() and attempt(form, lambda: services.evaluation.add_bid(
        db.session, current_user, model, name=form.name.data, price=form.price.data,
        example_quality=form.example_quality.data, example_social_value=form.example_social_value.data,
    )):
        flash("The bid has been added.", "success")
        return redirect_to(url_for("value.evaluation", slug=slug, model_id=model.id))
    return render_template("value/form.html", alliance=alliance, form=form, title=f"Add a bid to {model.name}",
                           button="Add the bid"), form_status()


@bp.post("/alliances/<slug>/value/evaluations/<int:model_id>/bids/examples")
@login_required
def example_bids(slug: str, model_id: int) -> Response:
    """Add three example bids, to show what the ratio does."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    model = _model(alliance, model_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(None, lambda: services.evaluation.add_example_bids(db.session, current_user, model))
    flash("Three example bids have been added.", "success")
    return redirect_to(url_for("value.evaluation", slug=slug, model_id=model.id) + "#effect")


@bp.route("/alliances/<slug>/value/evaluations/<int:model_id>/panel", methods=["GET", "POST"])
@login_required
def start_panel(slug: str, model_id: int) -> Response | tuple[str, int]:
    """Choose the panel and start scoring (the model is used from now on: floors are checked)."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    model = _model(alliance, model_id)
    eligible = views.panel_candidates(alliance)
    form = PanelForm()
    form.panellists.choices = [(m.user_id, f"{m.user.display_name} ({m.role.label})") for m in eligible]
    if form.validate_on_submit():
        chosen = [m.user for m in eligible if m.user_id in set(form.panellists.data or [])]
        if attempt(form, lambda: services.evaluation.start_scoring(
            db.session, current_user, model, chosen, {m.user_id: m for m in eligible})):
            flash("The panel can now score the bids. Scores stay hidden from other panellists until all are in.",
                  "success")
            return redirect_to(url_for("value.evaluation", slug=slug, model_id=model.id))
    return render_template("value/panel.html", alliance=alliance, model=model, form=form), form_status()


@bp.route("/alliances/<slug>/value/evaluations/<int:model_id>/bids/<int:bid_id>/score", methods=["GET", "POST"])
@login_required
def score_bid(slug: str, model_id: int, bid_id: int) -> Response | tuple[str, int]:
    """A panellist scores one bid (they see only their own scores until every score is in)."""
    alliance = value_alliance(slug, Permission.VALUE_SCORE)
    model = _model(alliance, model_id)
    bid = _bid(model, bid_id)
    if not services.evaluation.is_panellist(model, current_user):
        abort(403, "Only the panel can score these bids.")
    form = ConfirmForm()
    criteria = services.evaluation.scored_criteria(model)
    scores, notes = score_values(request.form, [c.id for c in criteria])
    if form.validate_on_submit() and attempt(form, lambda: services.evaluation.record_scores(
        db.session, current_user, model, bid, scores, notes)):
        flash(f"Your scores for {bid.name} are saved.", "success")
        return redirect_to(url_for("value.evaluation", slug=slug, model_id=model.id))
    return render_template("value/score.html", **views.score_context(alliance, model, bid, form,
                                                                     request.form if request.method == "POST" else None,
                                                                     moderating=False)), form_status()


@bp.route("/alliances/<slug>/value/evaluations/<int:model_id>/bids/<int:bid_id>/moderate", methods=["GET", "POST"])
@login_required
def moderate_bid(slug: str, model_id: int, bid_id: int) -> Response | tuple[str, int]:
    """Record the panel's agreed scores for a bid, once every panellist has scored."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    model = _model(alliance, model_id)
    bid = _bid(model, bid_id)
    form = ConfirmForm()
    criteria = services.evaluation.scored_criteria(model)
    scores, _notes = score_values(request.form, [c.id for c in criteria])
    if form.validate_on_submit() and attempt(form, lambda: services.evaluation.moderate(
        db.session, current_user, model, bid, scores, request.form.get("reason", "")[:5000])):
        flash(f"The agreed scores for {bid.name} are recorded.", "success")
        return redirect_to(url_for("value.evaluation", slug=slug, model_id=model.id))
    return render_template("value/score.html", **views.score_context(alliance, model, bid, form,
                                                                     request.form if request.method == "POST" else None,
                                                                     moderating=True)), form_status()


@bp.route("/alliances/<slug>/value/evaluations/<int:model_id>/decide", methods=["GET", "POST"])
@login_required
def decide(slug: str, model_id: int) -> Response | tuple[str, int]:
    """Record the final decision and the reasons (in the decision register, the audit trail and the activity)."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    model = _model(alliance, model_id)
    ranking = services.evaluation.final_ranking(db.session, model)
    form = DecisionForm()
    form.bid_id.choices = [(b.id, b.name) for b, _score in ranking]
    if form.validate_on_submit():
        chosen = next((b for b in model.bids if b.id == form.bid_id.data), None)
        if attempt(form, lambda: services.evaluation.decide(db.session, current_user, model, chosen,
                                                            reason=form.reason.data)):
            flash("The decision and its reasons are recorded in the decision register.", "success")
            return redirect_to(url_for("value.evaluation", slug=slug, model_id=model.id))
    require(Permission.VALUE_MANAGE, alliance)
    return render_template("value/decide.html", alliance=alliance, model=model, form=form, ranking=ranking), form_status()
