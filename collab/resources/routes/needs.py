"""Needs: post what you are looking for; owners answer with an offer."""

from __future__ import annotations

from flask import Response, flash, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from collab.alliances.access import load_alliance
from collab.db import db
from collab.resources import bp, services
from collab.resources.forms import KIND_CHOICES, CloseNeedForm, NeedForm, OfferForm
from collab.resources.models import Need, Resource, ResourceStatus
from collab.resources.routes._common import load_need
from collab.security import Permission, can, membership_for
from collab.web import attempt, form_status, redirect_to


@bp.get("/alliances/<slug>/resources/needs")
@login_required
def needs(slug: str) -> str:
    """What members are looking for."""
    alliance = load_alliance(slug, Permission.RESOURCE_VIEW)
    return render_template("resources/needs.html", alliance=alliance,
                           needs=services.needs_for(db.session, alliance))


@bp.route("/alliances/<slug>/resources/needs/new", methods=["GET", "POST"])
@login_required
def post_need(slug: str) -> Response | tuple[str, int]:
    """Say what you need."""
    alliance = load_alliance(slug, Permission.RESOURCE_NEED_POST)
    form = NeedForm()
    form.kind.choices = KIND_CHOICES
    if request.form.get("preview"):  # the Preview button without JavaScript: show the text, save nothing
        return render_template("resources/need_form.html", alliance=alliance, form=form), 200
    if form.validate_on_submit() and (done := attempt(form, lambda: services.post_need(
        db.session, current_user, alliance, kind=form.kind.data, title=form.title.data,
        description=form.description.data or "", when=form.when.data or "",
    ))):
        flash("Your need has been posted. Members who can help will answer here.", "success")
        return redirect_to(url_for("resources.need", slug=slug, need_id=done.value.id))
    return render_template("resources/need_form.html", alliance=alliance, form=form), form_status()


def _offer_form(need: Need, formdata: object = ...) -> OfferForm:
    form = OfferForm() if formdata is ... else OfferForm(formdata=None)
    membership = membership_for(current_user, need.alliance)
    choices: list[tuple[int, str]] = [(0, "None in particular")]
    if membership is not None and membership.organisation_id is not None:
        choices += [(r.id, r.title) for r in db.session.scalars(
            select(Resource).where(Resource.alliance_id == need.alliance_id,
                                   Resource.organisation_id == membership.organisation_id,
                                   Resource.status != ResourceStatus.RETIRED).order_by(Resource.title))]
    form.resource_id.choices = choices
    return form


@bp.get("/alliances/<slug>/resources/needs/<int:need_id>")
@login_required
def need(slug: str, need_id: int) -> str:
    """One need and the offers made."""
    found = load_need(slug, need_id)
    return render_template("resources/need.html", alliance=found.alliance, need=found,
                           offer_form=_offer_form(found, None), close_form=CloseNeedForm(formdata=None))


@bp.post("/alliances/<slug>/resources/needs/<int:need_id>/offers")
@login_required
def answer_need(slug: str, need_id: int) -> Response | tuple[str, int]:
    """Offer help with a need, for your organisation."""
    found = load_need(slug, need_id, Permission.RESOURCE_NEED_ANSWER)
    form = _offer_form(found)
    link = url_for("resources.need", slug=slug, need_id=found.id)
    if form.validate_on_submit() and attempt(form, lambda: services.answer_need(
        db.session, current_user, found, message=form.message.data, resource_id=form.resource_id.data or None,
        link=link,
    )):
        flash("Your offer has been sent.", "success")
        return redirect_to(link)
    return render_template("resources/need.html", alliance=found.alliance, need=found, offer_form=form,
                           close_form=CloseNeedForm(formdata=None)), 422


@bp.post("/alliances/<slug>/resources/needs/<int:need_id>/close")
@login_required
def close_need(slug: str, need_id: int) -> Response | tuple[str, int]:
    """Mark your need as met, or close it."""
    found = load_need(slug, need_id, Permission.RESOURCE_NEED_CLOSE)
    form = CloseNeedForm()
    if form.validate_on_submit() and attempt(form, lambda: services.close_need(
        db.session, current_user, found, met=form.outcome.data == "met",
    )):
        flash("The need has been closed.", "success")
        return redirect_to(url_for("resources.need", slug=slug, need_id=found.id))
    offer_form = _offer_form(found, None) if can(Permission.RESOURCE_NEED_ANSWER, found) else None
    return render_template("resources/need.html", alliance=found.alliance, need=found, offer_form=offer_form,
                           close_form=form), 422
