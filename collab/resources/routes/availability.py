"""Opening hours: the weekly pattern, closed dates and one-off openings (owner organisation only)."""

from __future__ import annotations

from datetime import time

from flask import Response, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.errors import DomainError
from collab.forms import BaseForm
from collab.resources import bp, services
from collab.resources.forms import DateForm, HoursForm
from collab.resources.routes._common import load_resource
from collab.security import Permission
from collab.web import Flashed, attempt, form_status, redirect_to


def _windows(form: BaseForm) -> list[tuple[int, time, time]]:
    windows = []
    for index, name in enumerate(services.WEEKDAYS):
        opens, closes = getattr(form, f"opens_{index}"), getattr(form, f"closes_{index}")
        if opens.time is None and closes.time is None:
            continue
        if opens.time is None or closes.time is None:
            raise DomainError(f"Enter both times for {name}, or leave both empty if it is closed",
                              field=f"opens_{index}" if opens.time is None else f"closes_{index}")
        windows.append((index, opens.time, closes.time))
    return windows


@bp.route("/alliances/<slug>/resources/<int:resource_id>/hours", methods=["GET", "POST"])
@login_required
def hours(slug: str, resource_id: int) -> Response | tuple[str, int]:
    """Set the weekly opening hours, and see or change special dates."""
    resource = load_resource(slug, resource_id, Permission.RESOURCE_MANAGE)
    form = HoursForm()
    if request.method == "GET":
        for opening in resource.openings:
            getattr(form, f"opens_{opening.weekday}").data = opening.opens.strftime("%H:%M")
            getattr(form, f"closes_{opening.weekday}").data = opening.closes.strftime("%H:%M")
    if form.validate_on_submit() and attempt(
        form, lambda: services.set_weekly_pattern(db.session, current_user, resource, _windows(form))
    ):
        flash("The opening hours have been saved.", "success")
        return redirect_to(url_for("resources.show", slug=slug, resource_id=resource.id))
    return render_template("resources/hours.html", alliance=resource.alliance, resource=resource, form=form,
                           date_form=DateForm(formdata=None)), form_status()


@bp.post("/alliances/<slug>/resources/<int:resource_id>/dates")
@login_required
def add_date(slug: str, resource_id: int) -> Response | tuple[str, int]:
    """Close a date, or open it at other hours."""
    resource = load_resource(slug, resource_id, Permission.RESOURCE_MANAGE)
    date_form = DateForm()
    if date_form.validate_on_submit() and attempt(date_form, lambda: services.add_exception(
        db.session, current_user, resource, date_form.on_date.data, closed=date_form.closed.data == "closed",
        opens=date_form.opens.time, closes=date_form.closes.time, note=date_form.note.data or "",
    )):
        flash("The date has been saved.", "success")
        return redirect_to(url_for("resources.hours", slug=slug, resource_id=resource.id))
    form = HoursForm(formdata=None)
    for opening in resource.openings:
        getattr(form, f"opens_{opening.weekday}").data = opening.opens.strftime("%H:%M")
        getattr(form, f"closes_{opening.weekday}").data = opening.closes.strftime("%H:%M")
    return render_template("resources/hours.html", alliance=resource.alliance, resource=resource, form=form,
                           date_form=date_form), form_status()


@bp.post("/alliances/<slug>/resources/<int:resource_id>/dates/<int:exception_id>/remove")
@login_required
def remove_date(slug: str, resource_id: int, exception_id: int) -> Response:
    """Go back to the weekly hours on that date."""
    resource = load_resource(slug, resource_id, Permission.RESOURCE_MANAGE)
    if attempt(Flashed(), lambda: services.remove_exception(db.session, current_user, resource, exception_id)):
        flash("That date now follows the weekly hours.", "success")
    return redirect_to(url_for("resources.hours", slug=slug, resource_id=resource.id))
