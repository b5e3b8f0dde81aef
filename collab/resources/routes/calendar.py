"""Calendars: week, month and list views of a resource; a secret .ics address of your bookings."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, make_response, render_template, request, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.extensions import limiter
from collab.resources import bp, services
from collab.resources.forms import FeedForm
from collab.resources.routes._common import load_resource
from collab.resources.views import booking_url, calendar_page
from collab.web import redirect_to


@bp.get("/alliances/<slug>/resources/<int:resource_id>/calendar")
@login_required
def calendar(slug: str, resource_id: int) -> str:
    """The resource's bookings and opening hours as a week, a month or a list."""
    resource = load_resource(slug, resource_id)
    view = request.args.get("view", "week")
    if view not in ("week", "month", "list"):
        view = "week"
    anchor = services.local_today()
    raw = request.args.get("date", "")
    if raw:
        try:
            anchor = date.fromisoformat(raw[:10])
        except ValueError:
            pass
    page = calendar_page(db.session, resource, view, anchor)
    return render_template("resources/calendar.html", alliance=resource.alliance, resource=resource, page=page,
                           today=services.local_today())


@bp.route("/calendar-feed", methods=["GET", "POST"])
@login_required
def feed(
) -> Response | str:
    """Your secret calendar address: make it, replace it, or stop it."""
    form = FeedForm()
    address = None
    if form.validate_on_submit():
        if form.action.data == "make":
            token = services.new_feed_address(db.session, current_user)
            db.session.commit()
            address = url_for("resources.feed_ics", token=token, _external=True)
            return make_response(render_template("resources/feed.html", form=FeedForm(formdata=None),
                                                 feed=services.feed_of(db.session, current_user), address=address))
        services.stop_feed(db.session, current_user)
        db.session.commit()
        flash("Your calendar address has been stopped. Calendar apps that use it will no longer update.", "success")
        return redirect_to(url_for("resources.feed"))
    if request.method == "POST":
        abort(400)
    return render_template("resources/feed.html", form=form, feed=services.feed_of(db.session, current_user),
                           address=address)


@bp.get("/calendar/<token>.ics")
@limiter.limit("60 per minute")
def feed_ics(token: str) -> Response:
    """Your bookings for a calendar app (no cookies: the secret address is the key)."""
    user = services.user_for_token(db.session, token)
    if user is None:
        abort(404)
    bookings = services.feed_bookings(db.session, user)
    body = services.ics(bookings, host=request.host.split(":")[0], link=lambda b: url_for(
        "resources.booking", slug=b.alliance.slug, resource_id=b.resource_id, booking_id=b.id, _external=True))
    db.session.commit()  # when the address was last used
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="collab-bookings.ics"'
    return response


__all__ = ["booking_url"]
