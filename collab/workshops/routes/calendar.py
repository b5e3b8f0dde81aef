"""Your calendar feed: a secret address calendar apps can subscribe to (they send no cookies)."""

from __future__ import annotations

from flask import Response, abort, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from collab.alliances.models import Alliance
from collab.db import db
from collab.extensions import limiter
from collab.web import attempt
from collab.workshops import bp, services
from collab.workshops.forms import ConfirmForm
from collab.workshops.models import Invitee, Workshop


@bp.get("/workshops/calendar")
@login_required
def calendar() -> str:
    """How to add your workshops to your calendar app."""
    return render_template("workshops/calendar.html", has_feed=services.has_feed(db.session, current_user),
                           feed_url=None, form=ConfirmForm())


@bp.post("/workshops/calendar")
@login_required
def new_feed() -> tuple[str, int] | Response:
    """Make a new secret calendar address (the old one stops working); it is shown once."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    done = attempt(None, lambda: services.new_feed_token(db.session, current_user))
    feed_url = url_for("workshops.feed", token=done.value, _external=True)
    return render_template("workshops/calendar.html", has_feed=True, feed_url=feed_url, form=ConfirmForm()), 200


@bp.post("/workshops/calendar/stop")
@login_required
def stop_feed() -> Response:
    """Turn the calendar address off."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(None, lambda: services.stop_feed(db.session, current_user))
    return make_response(render_template("workshops/calendar.html", has_feed=False, feed_url=None,
                                         form=ConfirmForm(), stopped=True))


@bp.get("/workshops/calendar/<token>.ics")
@limiter.limit("120 per hour")
def feed(token: str) -> Response:
    """The feed itself: every workshop you are invited to, for calendar apps (the token is the key)."""
    user = services.feed_owner(db.session, token)
    if user is None:
        abort(404)
    rows = db.session.execute(
        select(Workshop.id, Workshop.alliance_id).join(Invitee, Invitee.workshop_id == Workshop.id)
        .where(Invitee.user_id == user.id)
    ).all()
    slugs = dict(db.session.execute(select(Alliance.id, Alliance.slug).where(
        Alliance.id.in_({a for _, a in rows}))).all()) if rows else {}
    urls = {wid: url_for("workshops.show", slug=slugs[aid], workshop_id=wid, _external=True) for wid, aid in rows}
    response = make_response(services.feed_ics(db.session, user, urls, host=request.host))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="collab-workshops.ics"'
    return response
