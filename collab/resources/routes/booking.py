"""Booking: ask to book, approve or decline (owner organisation), cancel, and your bookings."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from collab.alliances.access import load_alliance
from collab.db import db
from collab.resources import bp, services
from collab.resources.forms import ApproveForm, BookingForm, CancelForm, DeclineForm
from collab.resources.models import Booking, BookingStatus, Resource
from collab.resources.routes._common import load_booking, load_resource
from collab.resources.views import booking_url
from collab.security import Permission, membership_for
from collab.web import Caught, attempt, form_status, redirect_to


@bp.route("/alliances/<slug>/resources/<int:resource_id>/book", methods=["GET", "POST"])
@login_required
def book(slug: str, resource_id: int) -> Response | tuple[str, int]:
    """Ask to book a resource, once or every week."""
    resource = load_resource(slug, resource_id, Permission.RESOURCE_BOOK)
    if not resource.is_active:
        flash(f"{resource.title} is {resource.status.label.lower()}, so it cannot be booked just now.", "info")
        return redirect_to(url_for("resources.show", slug=slug, resource_id=resource.id))
    form = BookingForm()
    if request.method == "GET":
        day = request.args.get("on", "")
        if len(day) == 10:
            try:
                form.on.data = date.fromisoformat(day)
            except ValueError:
                pass
    conflict: services.BookingConflict | None = None
    status = form_status()
    if form.validate_on_submit():
        caught = Caught()
        done = attempt(caught, lambda: services.request_booking(
            db.session, current_user, resource, on=form.on.data, starts=form.starts.time,  # type: ignore[arg-type]
            ends=form.ends.time, ends_on=form.ends_on.data, quantity=form.quantity.data,  # type: ignore[arg-type]
            purpose=form.purpose.data, repeat_weeks=form.repeat_weeks.data, skip_conflicts=form.skip_conflicts.data,
            link=booking_url,
        ))
        if done:
            result = done.value
            if result.approved:
                message = f"{resource.title} is booked."
            else:
                message = f"Your request has been sent to {resource.organisation.name}. We will tell you when they answer."
            if result.skipped:
                message += f" {len(result.skipped)} week{'s were' if len(result.skipped) != 1 else ' was'} not booked because {'they were' if len(result.skipped) != 1 else 'it was'} taken."
            flash(message, "success")
            return redirect_to(booking_url(result.bookings[0]))
        if isinstance(caught.error, services.BookingConflict):
            conflict = caught.error
            status = 409
        elif caught.error is not None:
            form.add_domain_error(caught.error)
            status = caught.error.status if caught.error.status != 403 else 422
    return render_template("resources/book.html", alliance=resource.alliance, resource=resource, form=form,
                           conflict=conflict, pattern=services.pattern_summary(resource)), status


def _series(found: Booking) -> list[Booking]:
    """Every date of a weekly booking (empty for a one-off)."""
    if not found.series:
        return []
    return list(db.session.scalars(
        select(Booking).where(Booking.series == found.series).order_by(Booking.starts_at)
    ))


@bp.get("/alliances/<slug>/resources/<int:resource_id>/bookings/<int:booking_id>")
@login_required
def booking(slug: str, resource_id: int, booking_id: int) -> str:
    """One booking: when, who, what for, and what can be done with it."""
    found = load_booking(slug, resource_id, booking_id)
    series = _series(found)
    return render_template(
        "resources/booking.html", alliance=found.alliance, resource=found.resource, booking=found, series=series,
        approve_form=ApproveForm(formdata=None), decline_form=DeclineForm(formdata=None),
        cancel_form=CancelForm(formdata=None), value=services.booking_value(found),
    )


def _decision_page(found: Booking, status: int, **forms: object) -> tuple[str, int]:
    context = {"approve_form": ApproveForm(formdata=None), "decline_form": DeclineForm(formdata=None),
               "cancel_form": CancelForm(formdata=None), **forms}
    series = _series(found)
    return render_template("resources/booking.html", alliance=found.alliance, resource=found.resource,
                           booking=found, series=series, value=services.booking_value(found), **context), status


@bp.post("/alliances/<slug>/resources/<int:resource_id>/bookings/<int:booking_id>/approve")
@login_required
def approve(slug: str, resource_id: int, booking_id: int) -> Response | tuple[str, int]:
    """Approve a request if the time is still free (owner organisation only)."""
    found = load_booking(slug, resource_id, booking_id, Permission.RESOURCE_MANAGE)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _decision_page(found, 422, approve_form=form)
    caught = Caught()
    done = attempt(caught, lambda: services.approve(db.session, current_user, found, note=form.note.data or "",
                                                     whole_series=form.whole_series.data, link=booking_url))
    if done:
        approved, left = done.value
        message = "The booking is approved." if len(approved) == 1 else f"{len(approved)} dates are approved."
        if left:
            message += f" {len(left)} could not be approved because the time is taken; they are still waiting."
        flash(message, "success")
        return redirect_to(booking_url(found))
    db.session.refresh(found)
    form.form_errors.append(caught.message)
    conflict = caught.error if isinstance(caught.error, services.BookingConflict) else None
    return _decision_page(found, caught.error.status if caught.error else 422, approve_form=form,
                          conflict=conflict)


@bp.post("/alliances/<slug>/resources/<int:resource_id>/bookings/<int:booking_id>/decline")
@login_required
def decline(slug: str, resource_id: int, booking_id: int) -> Response | tuple[str, int]:
    """Decline a request with a reason (owner organisation only)."""
    found = load_booking(slug, resource_id, booking_id, Permission.RESOURCE_MANAGE)
    form = DeclineForm()
    if form.validate_on_submit() and attempt(form, lambda: services.decline(
        db.session, current_user, found, reason=form.reason.data, whole_series=form.whole_series.data,
        link=booking_url,
    )):
        flash("The request has been declined. We have told them why.", "success")
        return redirect_to(booking_url(found))
    db.session.refresh(found)
    return _decision_page(found, 422, decline_form=form)


@bp.post("/alliances/<slug>/resources/<int:resource_id>/bookings/<int:booking_id>/cancel")
@login_required
def cancel(slug: str, resource_id: int, booking_id: int) -> Response | tuple[str, int]:
    """Cancel a booking with a reason (either side of it)."""
    found = load_booking(slug, resource_id, booking_id, Permission.RESOURCE_BOOKING_CANCEL)
    form = CancelForm()
    if form.validate_on_submit() and attempt(form, lambda: services.cancel(
        db.session, current_user, found, reason=form.reason.data, whole_series=form.whole_series.data,
        link=booking_url,
    )):
        flash("The booking has been cancelled. We have told the other side.", "success")
        return redirect_to(booking_url(found))
    db.session.refresh(found)
    return _decision_page(found, 422, cancel_form=form)


@bp.get("/alliances/<slug>/resources/bookings")
@login_required
def my_bookings(slug: str) -> str:
    """Your bookings, and requests waiting for your organisation's answer."""
    alliance = load_alliance(slug, Permission.RESOURCE_VIEW)
    membership = membership_for(current_user, alliance)
    if membership is None:
        abort(404)
    today_start, _ = services.day_bounds(services.local_today())
    mine = services.bookings_of_person(db.session, alliance.id, current_user, membership.organisation_id)
    upcoming = [b for b in mine if b.ends_at > today_start and b.is_open]
    past = [b for b in mine if b not in upcoming][-50:]
    waiting: list[Booking] = []
    if membership.organisation_id is not None:
        waiting = list(db.session.scalars(
            select(Booking).join(Resource, Resource.id == Booking.resource_id)
            .where(Resource.alliance_id == alliance.id, Resource.organisation_id == membership.organisation_id,
                   Booking.status == BookingStatus.REQUESTED, Booking.ends_at > today_start)
            .options(selectinload(Booking.resource), selectinload(Booking.organisation),
                     selectinload(Booking.requested_by))
            .order_by(Booking.starts_at)
        ))
    return render_template("resources/my_bookings.html", alliance=alliance, upcoming=upcoming, past=past,
                           waiting=waiting)
