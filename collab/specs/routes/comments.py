"""Comment pages: the thread of a paragraph, a whole section or the whole spec, commenting, replies, support, responses, the comment list."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.security import Permission, can, require
from collab.specs import bp, services, views
from collab.specs.forms import ReplyForm, ResponseForm, SpecCommentForm, SupportForm, parse_int
from collab.specs.models import Outcome
from collab.specs.routes._common import load_paragraph, load_section, load_spec, load_spec_comment
from collab.web import Caught, attempt, form_status, is_safe_next, page_number, query_id, redirect_to, render, targets

_THREAD = "specs/_paragraph_thread.html"


def _from_specification_page(place: views.Place) -> bool:
    """Whether htmx sent this from a page with the place's count badge (not the thread's own page)."""
    current = urlsplit(request.headers.get("HX-Current-URL", "")).path
    return current != urlsplit(place.page_url).path


def _thread(place: views.Place, status: int = 200, **context: Any) -> Response:
    """The place's page, or its thread alone when htmx targets it."""
    page = "specs/paragraph.html" if place.paragraph is not None else "specs/whole_comments.html"
    return render(page, fragment=_THREAD, target=place.dom_id, status=status, **views.thread_context(place, **context))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/paragraphs/<int:paragraph_id>")
def paragraph(slug: str, spec_id: int, paragraph_id: int) -> Response:
    """One paragraph and its comments (the whole page, or the thread for htmx)."""
    spec = load_spec(slug, spec_id)
    found = load_paragraph(spec, paragraph_id)
    return _thread(views.Place(spec, "paragraph", found.section, found))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/sections/<int:section_id>/as-a-whole")
def section_comments(slug: str, spec_id: int, section_id: int) -> Response:
    """Comments on a section as a whole, even one with nothing written yet (the page, or the thread for htmx)."""
    spec = load_spec(slug, spec_id)
    return _thread(views.Place(spec, "section", load_section(spec, section_id)))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/as-a-whole")
def whole_comments(slug: str, spec_id: int) -> Response:
    """Comments on the specification as a whole (the page, or the thread for htmx)."""
    return _thread(views.Place(load_spec(slug, spec_id), "spec"))


def _add(place: views.Place) -> Response:
    """Add a comment on a place (facilitators may add one for someone else)."""
    spec = place.spec
    require(Permission.DOCUMENT_COMMENT_ADD, spec.alliance)
    form = SpecCommentForm()
    on_behalf = can(Permission.DOCUMENT_COMMENT_ON_BEHALF, spec.alliance)
    if form.validate_on_submit() and (done := attempt(form, lambda: services.add_comment_for(
        db.session, current_user, place.target, body=form.body.data,
        person_id=parse_int(form.on_behalf_of.data) if on_behalf else None,
        name=(form.on_behalf_of_name.data or None) if on_behalf else None,
        url=place.page_url,
    ))):
        if targets(place.dom_id):
            return _thread(place, added=done.value.comment_id, announce="Your comment was added",
                           badge=_from_specification_page(place))
        flash("Your comment has been added.", "success")
        return redirect_to(place.page_url + f"#comment-{done.value.comment_id}")
    return _thread(place, status=422, form=form)


@bp.post("/alliances/<slug>/specs/<int:spec_id>/paragraphs/<int:paragraph_id>/comments")
@login_required
def add_comment(slug: str, spec_id: int, paragraph_id: int) -> Response:
    """Comment on a paragraph (facilitators may add one for someone else)."""
    spec = load_spec(slug, spec_id)
    found = load_paragraph(spec, paragraph_id)
    return _add(views.Place(spec, "paragraph", found.section, found))


@bp.post("/alliances/<slug>/specs/<int:spec_id>/sections/<int:section_id>/as-a-whole/comments")
@login_required
def add_section_comment(slug: str, spec_id: int, section_id: int) -> Response:
    """Comment on a section as a whole: what it says, or what is missing from it."""
    spec = load_spec(slug, spec_id)
    return _add(views.Place(spec, "section", load_section(spec, section_id)))


@bp.post("/alliances/<slug>/specs/<int:spec_id>/as-a-whole/comments")
@login_required
def add_whole_comment(slug: str, spec_id: int) -> Response:
    """Comment on the specification as a whole."""
    return _add(views.Place(load_spec(slug, spec_id), "spec"))


@bp.post("/alliances/<slug>/specs/<int:spec_id>/comments/<int:comment_id>/replies")
@login_required
def reply(slug: str, spec_id: int, comment_id: int) -> Response:
    """Reply to a comment."""
    spec = load_spec(slug, spec_id)
    sc = load_spec_comment(spec, comment_id)
    require(Permission.DOCUMENT_COMMENT_ADD, spec.alliance)
    form = ReplyForm()
    place = views.place_of(sc)
    url = place.page_url
    if form.validate_on_submit() and (
        done := attempt(form, lambda: services.reply(db.session, current_user, sc, body=form.body.data, url=url))
    ):
        if targets(place.dom_id):
            return _thread(place, added=done.value.id, announce=f"Your reply to {sc.comment.speaker_name} was added")
        flash("Your reply has been added.", "success")
        return redirect_to(f"{url}#comment-{done.value.id}")
    return _thread(place, status=422, reply_forms={sc.id: form})


@bp.post("/alliances/<slug>/specs/<int:spec_id>/comments/<int:comment_id>/support")
@login_required
def support(slug: str, spec_id: int, comment_id: int) -> Response:
    """Say "this matters to me too" about a comment, or take it back."""
    spec = load_spec(slug, spec_id)
    sc = load_spec_comment(spec, comment_id)
    require(Permission.SPEC_COMMENT_SUPPORT, spec.alliance)
    form = SupportForm()
    if not form.validate_on_submit():
        abort(400)
    back = request.form.get("next", "")
    withdraw = form.action.data == "remove"
    refusal = Caught()
    if not attempt(refusal, lambda: (services.withdraw_support if withdraw else services.support)(
        db.session, current_user, sc,
    )):
        assert refusal.error is not None
        abort(Response(render_template("errors/error.html", code=422, title="Sorry, we could not do that",
                                       message=refusal.error.message), 422))
    if targets(f"support-{sc.id}"):
        return render("specs/paragraph.html", fragment="specs/_support.html", target=f"support-{sc.id}",
                      **views.support_context(spec, sc))
    flash("You no longer say this matters to you." if withdraw else "You said this matters to you too.", "success")
    target = back if is_safe_next(back) else views.comment_url(sc)
    return redirect_to(f"{target}#comment-{sc.comment_id}")


@bp.route("/alliances/<slug>/specs/<int:spec_id>/comments/<int:comment_id>/respond", methods=["GET", "POST"])
@login_required
def respond(slug: str, spec_id: int, comment_id: int) -> Response | tuple[str, int]:
    """Answer a comment: changed, partly changed, not changed (with why) or answered."""
    spec = load_spec(slug, spec_id)
    sc = load_spec_comment(spec, comment_id)
    require(Permission.SPEC_COMMENT_RESPOND, spec.alliance)
    form = ResponseForm(obj=None)
    form.change_section.choices = [("", "Choose a section")] + [(str(s.id), s.heading) for s in spec.sections]
    if request.method == "GET" and sc.response is not None:
        form.outcome.data = sc.response.outcome.value
        form.text.data = sc.response.text
        form.change_section.data = str(sc.response.change_section_id or "")
    elif request.method == "GET":
        form.change_section.data = str(sc.section_id or "")
    if form.validate_on_submit():
        section_id = parse_int(form.change_section.data)
        section = services.find_section(db.session, section_id) if section_id else None
        outcome = next((o for o in Outcome if o.value == form.outcome.data), None)
        if outcome is None:
            form.outcome.errors = ["Choose what you did"]
        elif attempt(form, lambda: services.respond(
            db.session, current_user, sc, outcome=outcome, text=form.text.data or "", change_section=section,
            url=url_for("specs.report", slug=slug, spec_id=spec.id) + f"#response-{sc.id}",
        )):
            flash("Your response has been saved. The person who commented has been told.", "success")
            return redirect_to(views.comment_url(sc) + f"#comment-{sc.comment_id}")
    return render_template("specs/respond.html", alliance=spec.alliance, spec=spec, item=sc, form=form), form_status()


def _filters() -> services.CommentFilter:
    status = request.args.get("status")
    return services.CommentFilter(
        section_id=query_id("section"),
        status=status if status in ("awaiting", "responded") else None,
        service_users=request.args.get("from") == "service_users",
    )


@bp.get("/alliances/<slug>/specs/<int:spec_id>/comments")
def comments(slug: str, spec_id: int) -> Response:
    """All comments on a spec, filtered by section, status and who they came from."""
    spec = load_spec(slug, spec_id)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render("specs/comments.html", fragment="specs/_comment_page.html", target="comment-list",
                  **views.comments_context(spec, _filters(), page_number(), args))
