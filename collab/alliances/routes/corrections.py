"""Corrections to an organisation's details: proposing one, accepting or declining it."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances import bp, services
from collab.alliances.forms import CorrectionForm
from collab.alliances.models import OrganisationCorrection
from collab.alliances.routes._common import load_organisation, organisation_fields, organisation_form
from collab.db import db
from collab.forms import BaseForm
from collab.security import Permission
from collab.web import Caught, attempt, form_status, get_or_404, redirect_to


@bp.route("/organisations/<int:organisation_id>/corrections/new", methods=["GET", "POST"])
@login_required
def propose_correction(organisation_id: int) -> Response | tuple[str, int]:
    """Propose a correction to an organisation's details (commissioners of its alliances)."""
    organisation = load_organisation(organisation_id, Permission.ORGANISATION_CORRECTION_PROPOSE)
    form = organisation_form(CorrectionForm, organisation)
    if request.method == "GET":
        form.reason.data = ""
    here = url_for("alliances.organisation", organisation_id=organisation.id)
    if form.validate_on_submit() and attempt(form, lambda: services.propose_correction(
        db.session, current_user, organisation, reason=form.reason.data, organisation_url=here,
        **organisation_fields(form),
    )):
        flash(
            f"Your correction has been sent to the people who represent {organisation.name}. "
            "Nothing changes until one of them accepts it.",
            "success",
        )
        return redirect_to(here)
    return render_template("alliances/correction_form.html", form=form, organisation=organisation), form_status()


@bp.post("/organisations/<int:organisation_id>/corrections/<int:correction_id>/accept")
@login_required
def accept_correction(organisation_id: int, correction_id: int) -> Response:
    """Accept a proposed correction, changing the organisation (its representatives)."""
    return _decide_correction(organisation_id, correction_id, accept=True)


@bp.post("/organisations/<int:organisation_id>/corrections/<int:correction_id>/decline")
@login_required
def decline_correction(organisation_id: int, correction_id: int) -> Response:
    """Decline a proposed correction; nothing changes (its representatives)."""
    return _decide_correction(organisation_id, correction_id, accept=False)


def _decide_correction(organisation_id: int, correction_id: int, *, accept: bool) -> Response:
    organisation = load_organisation(organisation_id, Permission.ORGANISATION_CORRECTION_DECIDE)
    correction = get_or_404(db.session, OrganisationCorrection, correction_id, organisation_id=organisation.id)
    if not BaseForm().validate_on_submit():
        abort(400)
    decide = services.accept_correction if accept else services.decline_correction
    here = url_for("alliances.organisation", organisation_id=organisation.id)
    caught = Caught()
    if attempt(caught, lambda: decide(db.session, current_user, correction, organisation_url=here)):
        flash(
            f"The correction has been accepted and {organisation.name}'s details are updated."
            if accept else "The correction has been declined. Nothing was changed.",
            "success",
        )
    else:
        flash(caught.message, "info")
    return redirect_to(here)
