"""The register: browse and filter, list a resource, see it, change it, pause or retire it."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances.access import load_alliance
from collab.db import db
from collab.resources import bp, services
from collab.resources.forms import KIND_CHOICES, AvailableOnForm, ResourceForm, StatusForm
from collab.resources.models import Resource, ResourceStatus
from collab.resources.routes._common import load_resource
from collab.security import Permission, membership_for
from collab.web import Flashed, attempt, form_status, redirect_to


def _details(form: ResourceForm) -> services.ResourceDetails:
    return services.ResourceDetails(
        kind=form.kind.data, title=form.title.data, description=form.description.data or "",
        location=form.location.data or "", conditions=form.conditions.data or "",
        accessibility=form.accessibility.data or "", capacity=form.capacity.data, units=form.units.data,
        rate=form.rate.data, rate_unit=form.rate_unit.data, auto_approve=form.auto_approve.data,
        contact_id=form.contact_id.data or None,
    )


def _contact_choices(form: ResourceForm, alliance: object, organisation_id: int) -> None:
    people = services.contacts_for(db.session, alliance, organisation_id)  # type: ignore[arg-type]
    form.contact_id.choices = [(p.id, p.display_name) for p in people]


@bp.get("/alliances/<slug>/resources")
@login_required
def index(slug: str) -> str:
    """The register: everything members share, with filters."""
    alliance = load_alliance(slug, Permission.RESOURCE_VIEW)
    wanted = services.ResourceFilter(kind=request.args.get("kind", ""), location=request.args.get("location", "")[:100])
    organisation = request.args.get("organisation", "")
    if organisation.isdigit() and len(organisation) < 10:
        wanted.organisation_id = int(organisation)
    on_form = AvailableOnForm(request.args)
    if on_form.validate():
        wanted.available_on = on_form.available_on.data
    resources = services.browse(db.session, alliance, wanted)
    return render_template(
        "resources/index.html", alliance=alliance, resources=resources, wanted=wanted, kinds=KIND_CHOICES,
        organisations=services.owner_organisations(db.session, alliance), on_form=on_form,
        filtered=bool(wanted.kind or wanted.organisation_id or wanted.location or any(on_form.available_on.raw_data or ())),
    )


@bp.route("/alliances/<slug>/resources/new", methods=["GET", "POST"])
@login_required
def create(slug: str) -> Response | tuple[str, int]:
    """List something your organisation can share."""
    alliance = load_alliance(slug, Permission.RESOURCE_CREATE)
    membership = membership_for(current_user, alliance)
    assert membership is not None and membership.organisation_id is not None  # the permission's rule
    form = ResourceForm()
    _contact_choices(form, alliance, membership.organisation_id)
    if request.method == "GET":
        form.contact_id.data = current_user.id
    if request.form.get("preview"):  # the Preview button without JavaScript: show the text, save nothing
        return render_template("resources/form.html", alliance=alliance, form=form, resource=None,
                               organisation=membership.organisation), 200
    if form.validate_on_submit() and (
        done := attempt(form, lambda: services.create_resource(db.session, current_user, alliance, _details(form)))
    ):
        flash(f"{done.value.title} is on the register. Now set when it can be booked.", "success")
        return redirect_to(url_for("resources.hours", slug=slug, resource_id=done.value.id))
    return render_template("resources/form.html", alliance=alliance, form=form, resource=None,
                           organisation=membership.organisation), form_status()


@bp.get("/alliances/<slug>/resources/<int:resource_id>")
@login_required
def show(slug: str, resource_id: int) -> str:
    """One resource: what it is, when it is open, how to book it."""
    resource = load_resource(slug, resource_id)
    today = services.local_today()
    start, _ = services.day_bounds(today)
    upcoming = services.bookings_between(db.session, resource, start, start + timedelta(days=28))
    return render_template(
        "resources/show.html", alliance=resource.alliance, resource=resource, upcoming=upcoming[:20],
        pattern=services.pattern_summary(resource), waiting=services.waiting_for(db.session, resource),
        status_form=StatusForm(), today=today,
    )


@bp.route("/alliances/<slug>/resources/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, resource_id: int) -> Response | tuple[str, int]:
    """Change a resource's details (owner organisation only)."""
    resource = load_resource(slug, resource_id, Permission.RESOURCE_MANAGE)
    if resource.is_retired:
        abort(404)
    form = ResourceForm(obj=resource) if request.method == "GET" else ResourceForm()
    if request.method == "GET":
        form.kind.data = resource.kind.value
        form.rate_unit.data = resource.rate_unit.value
        form.rate.data = str(resource.rate)
        form.contact_id.data = resource.contact_id or 0
    _contact_choices(form, resource.alliance, resource.organisation_id)
    if request.form.get("preview"):  # the Preview button without JavaScript: show the text, save nothing
        return render_template("resources/form.html", alliance=resource.alliance, form=form, resource=resource,
                               organisation=resource.organisation), 200
    if form.validate_on_submit() and attempt(
        form, lambda: services.update_resource(db.session, current_user, resource, _details(form))
    ):
        flash("Your changes have been saved.", "success")
        return redirect_to(url_for("resources.show", slug=slug, resource_id=resource.id))
    return render_template("resources/form.html", alliance=resource.alliance, form=form, resource=resource,
                           organisation=resource.organisation), form_status()


@bp.post("/alliances/<slug>/resources/<int:resource_id>/status")
@login_required
def change_status(slug: str, resource_id: int) -> Response:
    """Pause, make available again, or retire (owner organisation only)."""
    resource: Resource = load_resource(slug, resource_id, Permission.RESOURCE_MANAGE)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    status = ResourceStatus(form.status.data)
    if attempt(Flashed(), lambda: services.set_status(db.session, current_user, resource, status)):
        flash({"active": f"{resource.title} can be booked again.",
               "paused": f"{resource.title} is paused: no one can ask to book it until you make it available again.",
               "retired": f"{resource.title} is retired. Its bookings and their value are kept."}[status.value],
              "success")
    return redirect_to(url_for("resources.show", slug=slug, resource_id=resource.id))
