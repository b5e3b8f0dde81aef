"""Risk and reward: the target outcome cost, members' shares, and the modeller."""

from __future__ import annotations

from decimal import Decimal

from flask import Response, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.security import Permission
from collab.value import bp, services, views
from collab.value.forms import ModellerForm, TargetCostForm, parse_share_rows
from collab.value.routes._common import value_alliance
from collab.web import Caught, attempt, redirect_to


@bp.get("/alliances/<slug>/value/risk-and-reward")
@login_required
def risk_reward(slug: str) -> tuple[str, int]:
    """The model, its four worked examples, and the modeller (nothing is saved by modelling)."""
    alliance = value_alliance(slug)
    form = ModellerForm(request.args)
    context = views.risk_reward_context(alliance, form, modelled="actual" in request.args)
    return render_template("value/risk_reward.html", **context), context["status"]


@bp.route("/alliances/<slug>/value/risk-and-reward/target", methods=["GET", "POST"])
@login_required
def edit_target(slug: str) -> Response | tuple[str, int]:
    """Set the year's target outcome cost, the gain rule, and each member's shares and cap."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    organisations = services.member_organisations(db.session, alliance)
    form = TargetCostForm()
    caught = Caught()
    rows, row_errors = parse_share_rows(request.form, [o.id for o in organisations])
    if request.method == "GET":
        rows = views.share_rows_for(alliance, organisations, form)
    elif form.validate_on_submit() and not row_errors and attempt(caught, lambda: services.save_target_cost(
        db.session, current_user, alliance, year=form.year.data, amount=form.amount.data, rule=form.rule.data,
        shares=[services.ShareInput(r["organisation_id"], r["gain"] or Decimal(0), r["pain"] or Decimal(0), r["cap"],
                                    r["contract"] or Decimal(0)) for r in rows],
    )):
        flash("The target outcome cost and shares are saved. Check the worked examples below.", "success")
        return redirect_to(url_for("value.risk_reward", slug=slug))
    status = 422 if request.method == "POST" else 200
    return render_template("value/target.html", alliance=alliance, form=form, organisations=organisations,
                           rows=rows, row_errors=row_errors, error=caught.message), status
