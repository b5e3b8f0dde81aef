"""Organisation pages: the list, registering one, its page, changing its details."""

from __future__ import annotations

from flask import Response, flash, render_template, url_for
from flask_login import current_user, login_required

from collab.alliances import bp, services, views
from collab.alliances.forms import OrganisationForm
from collab.alliances.routes._common import load_organisation, organisation_fields, organisation_form
from collab.db import db
from collab.security import Permission, require
from collab.web import attempt, form_status, redirect_to


@bp.get("/organisations")
@login_required
def organisations() -> str:
    """The organisations you may see: those in your alliances and those you registered."""
    return render_template(
        "alliances/organisations.html", organisations=services.visible_organisations(db.session, current_user)
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def create_organisation() -> Response | tuple[str, int]:
    """Register an organisation."""
    require(Permission.ORGANISATION_CREATE)
    form = OrganisationForm()
    if form.validate_on_submit():
        done = attempt(form, lambda: services.create_organisation(db.session, current_user, **organisation_fields(form)))
        if done:
            flash(f"{done.value.name} has been registered.", "success")
            return redirect_to(url_for("alliances.organisation", organisation_id=done.value.id))
    return render_template("alliances/organisation_form.html", form=form, organisation=None), form_status()


@bp.get("/organisations/<int:organisation_id>")
@login_required
def organisation(organisation_id: int) -> str:
    """An organisation: its details, the alliances it is in that you can see, and proposed corrections."""
    organisation = load_organisation(organisation_id, Permission.ORGANISATION_VIEW)
    return render_template("alliances/organisation.html", **views.organisation_page(organisation))


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int) -> Response | tuple[str, int]:
    """Change an organisation's details (its representatives and site administrators)."""
    organisation = load_organisation(organisation_id, Permission.ORGANISATION_EDIT)
    form = organisation_form(OrganisationForm, organisation)
    if form.validate_on_submit():
        done = attempt(form, lambda: services.update_organisation(
            db.session, current_user, organisation, **organisation_fields(form)
        ))
        if done:
            flash(f"{organisation.name} has been saved." if done.value else "Nothing was changed.", "success")
            return redirect_to(url_for("alliances.organisation", organisation_id=organisation.id))
    return render_template("alliances/organisation_form.html", form=form, organisation=organisation), form_status()
