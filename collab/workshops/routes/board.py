"""The live ideas board: the page, its cheap live updates, ideas, facilitating, themes, merging, dot voting.

Live updates: the board polls ``board_live`` every 1.5 seconds with the ETag it has. Nearly
every such poll is answered 304 before the application runs, from one indexed statement
(``collab.workshops.live``); the few it passes on (a changed board, a session due its
"last seen" update, anyone it cannot vouch for) come here, which answers 304 the same way or
sends the fresh board. Any app instance answers alike: nothing is kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, abort, flash, jsonify, make_response, render_template, request
from flask_login import current_user, login_required

from collab.db import db
from collab.security import Permission
from collab.web import Caught, attempt, redirect_to, targets
from collab.workshops import bp, services, views
from collab.workshops.forms import IdeaForm, MergeForm, MoveIdeaForm, StepForm, ThemeForm, VoteForm, VotingForm
from collab.workshops.models import Workshop
from collab.workshops.routes._common import load_workshop

BOARD_ID = "board"


def _board_page(workshop: Workshop, status: int = 200, idea_form: IdeaForm | None = None,
                error: str = "") -> Response:
    context = views.board_context(workshop, idea_form)
    fragment = targets(BOARD_ID)
    template = "workshops/_board.html" if fragment else "workshops/board.html"
    response = make_response(render_template(template, error=error, is_fragment=fragment, **context), status)
    response.headers["ETag"] = context["etag"]
    response.vary.add("HX-Request")
    response.vary.add("HX-Target")
    return response


def _after(workshop: Workshop) -> Response:
    """After a board change: the fresh board for htmx, else back to the board page."""
    if targets(BOARD_ID):
        return _board_page(workshop)
    return redirect_to(views.workshop_url(workshop, "workshops.board"))


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>/board")
@login_required
def board(slug: str, workshop_id: int) -> Response:
    """The ideas board: the item on screen, everyone's ideas, themes and dots."""
    workshop = load_workshop(slug, workshop_id)
    return _board_page(workshop)


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>/board/live")
@login_required
def board_live(slug: str, workshop_id: int) -> Response:
    """The board fragment for polling: 304 Not Modified while its revision is unchanged."""
    workshop = load_workshop(slug, workshop_id)
    revision = services.board_revision(db.session, workshop.id) or 0
    etag = views.board_etag(workshop, revision)
    if etag in [value.strip() for value in request.headers.get("If-None-Match", "").split(",")]:
        response = make_response("", 304)
        response.headers["ETag"] = etag
        return response
    context = views.board_context(workshop)
    response = make_response(render_template("workshops/_board.html", error="", is_fragment=True, **context))
    response.headers["ETag"] = context["etag"]
    return response


def _wants_json() -> bool:
    return request.headers.get("X-Collab-Fetch") == "1"


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/ideas")
@login_required
def add_idea(slug: str, workshop_id: int) -> Response:
    """Add an idea (for yourself, or for someone who agreed, if you organise)."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_IDEA_ADD)
    form = IdeaForm()
    organiser = views.organiser(workshop)
    on_behalf = organiser and (form.for_user.data is not None or bool(form.for_name.data))
    if form.validate_on_submit():
        caught = Caught()
        done = attempt(caught, lambda: services.add_idea(
            db.session, current_user, workshop, form.text.data or "", client_key=form.client_key.data or None,
            for_user_id=form.for_user.data if organiser else None,
            for_name=form.for_name.data if organiser else None, consent=bool(form.consent.data) and on_behalf,
            url=views.workshop_url(workshop, "workshops.board", _external=True),
        ))
        if done:
            if _wants_json():
                return make_response(jsonify(status="sent", id=done.value.id), 201)
            flash("Your idea has been added.", "success")
            return redirect_to(views.workshop_url(workshop, "workshops.board"))
        form.add_domain_error(caught.error)  # type: ignore[arg-type]
    if _wants_json():
        messages = [e for errors in form.errors.values() for e in errors] + list(form.form_errors)
        return make_response(jsonify(status="refused", error=messages[0] if messages else "Try again"), 422)
    return _board_page(workshop, 422, idea_form=form)


def _organiser_action(slug: str, workshop_id: int, form_class: type[Any],
                      action: Callable[[Workshop, Any], object]) -> Response:
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = form_class()
    if not form.validate_on_submit():
        if _wants_json():
            return make_response(jsonify(status="refused", error="Check what you chose and try again"), 422)
        messages = [m for errors in form.errors.values() for m in errors]
        return _board_page(workshop, 422, error=messages[0] if messages else "Check what you chose and try again")
    caught = Caught()
    done = attempt(caught, lambda: action(workshop, form))
    if _wants_json():
        if done:
            return make_response(jsonify(status="done"), 200)
        return make_response(jsonify(status="refused", error=caught.message), 422)
    if not done:
        return _board_page(workshop, 422, error=caught.message)
    return _after(workshop)


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/step")
@login_required
def step(slug: str, workshop_id: int) -> Response:
    """Facilitator: show the next, previous or a chosen agenda item on everyone's screen."""
    def run(workshop: Workshop, form: StepForm) -> object:
        if form.item.data:
            item_id = int(form.item.data) if form.item.data.isdigit() and len(form.item.data) < 10 else -1
            return services.go_to_item(db.session, current_user, workshop, item_id)
        return services.step(db.session, current_user, workshop, form.direction.data or "")
    return _organiser_action(slug, workshop_id, StepForm, run)


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/themes")
@login_required
def add_theme(slug: str, workshop_id: int) -> Response:
    """Facilitator: add a theme to group ideas under."""
    return _organiser_action(slug, workshop_id, ThemeForm,
                             lambda w, f: services.add_theme(db.session, current_user, w, f.name.data or ""))


def _int(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/move")
@login_required
def move_idea(slug: str, workshop_id: int) -> Response:
    """Facilitator: put an idea under a theme (drag and drop, or the "Move to theme" list)."""
    return _organiser_action(slug, workshop_id, MoveIdeaForm, lambda w, f: services.move_to_theme(
        db.session, current_user, w, _int(f.idea.data), f.theme.data))


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/merge")
@login_required
def merge(slug: str, workshop_id: int) -> Response:
    """Facilitator: fold a duplicate idea into another (its dots move with it)."""
    return _organiser_action(slug, workshop_id, MergeForm, lambda w, f: services.merge(
        db.session, current_user, w, f.duplicate.data, f.into.data))


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/voting")
@login_required
def open_voting(slug: str, workshop_id: int) -> Response:
    """Facilitator: open dot voting with a number of dots each."""
    return _organiser_action(slug, workshop_id, VotingForm,
                             lambda w, f: services.open_voting(db.session, current_user, w, f.dots.data))


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/voting/close")
@login_required
def close_voting(slug: str, workshop_id: int) -> Response:
    """Facilitator: close the voting and show the results."""
    return _organiser_action(slug, workshop_id, StepForm,
                             lambda w, f: services.close_voting(db.session, current_user, w))


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/board/vote")
@login_required
def vote(slug: str, workshop_id: int) -> Response:
    """Place or take back one of your dots."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_IDEA_ADD)
    form = VoteForm()
    if not form.validate_on_submit():
        abort(400)
    change = {"add": 1, "remove": -1}.get(form.change.data or "")
    if change is None:
        abort(400)
    caught = Caught()
    done = attempt(caught, lambda: services.vote(db.session, current_user, workshop, _int(form.idea.data), change))
    if not done:
        return _board_page(workshop, 422, error=caught.message)
    return _after(workshop)

