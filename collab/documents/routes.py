"""Comment routes shared by every document type: add, reply, change, delete, hide."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances import services as alliance_services
from collab.alliances.models import Alliance
from collab.db import db
from collab.documents import bp, services
from collab.documents.forms import CommentForm, ConfirmForm, EditCommentForm, HideCommentForm
from collab.documents.models import Comment
from collab.documents.subjects import Subject, load_subject
from collab.documents.views import thread_context, thread_dom_id
from collab.security import Permission, can, require
from collab.web import attempt, form_status, redirect_to, targets


def _alliance(slug: str) -> Alliance:
    alliance = alliance_services.get_alliance(db.session, slug)
    if alliance is None:
        abort(404)
    return alliance


def _subject(alliance: Alliance, subject_type: str, subject_id: int) -> Subject:
    subject = load_subject(db.session, subject_type, subject_id)
    if subject is None or subject.alliance.id != alliance.id:
        abort(404)
    return subject


def _comment(alliance: Alliance, comment_id: int) -> tuple[Comment, Subject]:
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.thread.alliance_id != alliance.id:
        abort(404)
    return comment, _subject(alliance, comment.thread.subject_type, comment.thread.subject_id)


def _parent(value: str | None, subject_type: str, subject_id: int) -> Comment | None:
    """The comment a reply answers (None for a new thread); 404 unless it is in this thread."""
    if not value:
        return None
    try:
        parent = db.session.get(Comment, int(value))
    except ValueError:
        parent = None
    if parent is None or parent.thread.subject_type != subject_type or parent.thread.subject_id != subject_id:
        abort(404)
    return parent


@bp.post("/alliances/<slug>/discussions/<subject_type>/<int:subject_id>/comments")
@login_required
def add_comment(slug: str, subject_type: str, subject_id: int) -> Response | tuple[str, int]:
    """Add a comment or a reply to a thread."""
    alliance = _alliance(slug)
    require(Permission.ALLIANCE_VIEW, alliance)
    subject = _subject(alliance, subject_type, subject_id)
    require(Permission.DOCUMENT_COMMENT_ADD, alliance)
    form = CommentForm()
    dom_id = thread_dom_id(subject_type, subject_id)
    parent = _parent(form.parent_id.data, subject_type, subject_id)
    if parent is None and not subject.top_level_comments:
        abort(404)
    if not subject.open_for_comments:
        form.form_errors.append(subject.closed_reason)
    elif form.validate_on_submit():
        on_behalf = form.on_behalf_of_name.data if can(Permission.DOCUMENT_COMMENT_ON_BEHALF, alliance) else None
        done = attempt(form, lambda: services.add_comment(
            db.session, current_user, alliance, subject_type, subject_id,
            body=form.body.data, parent=parent, on_behalf_of_name=on_behalf,
            subject_label=subject.label, url=subject.url,
        ))
        if done:
            if targets(dom_id):
                return render_template("documents/_thread.html", **thread_context(subject_type, subject_id, subject))  # type: ignore[return-value]
            flash("Your comment has been added.", "success")
            return redirect_to(f"{subject.url}#comment-{done.value.id}")
    if targets(dom_id):
        return render_template("documents/_thread.html", **thread_context(subject_type, subject_id, subject, form)), 422
    return render_template(
        "documents/comment_form.html", alliance=alliance, subject=subject, form=form, parent=parent,
        action=request.path, on_behalf=can(Permission.DOCUMENT_COMMENT_ON_BEHALF, alliance),
    ), 422


@bp.get("/alliances/<slug>/comments/<int:comment_id>/reply")
@login_required
def reply(slug: str, comment_id: int) -> str:
    """A page with a form to reply to one comment (works without JavaScript)."""
    alliance = _alliance(slug)
    require(Permission.ALLIANCE_VIEW, alliance)
    comment, subject = _comment(alliance, comment_id)
    require(Permission.DOCUMENT_COMMENT_ADD, alliance)
    if not subject.open_for_comments:
        abort(404)
    form = CommentForm(formdata=None, parent_id=str(comment.id))
    return render_template(
        "documents/comment_form.html", alliance=alliance, subject=subject, form=form, parent=comment,
        action=url_for("documents.add_comment", slug=slug, subject_type=comment.thread.subject_type,
                       subject_id=comment.thread.subject_id),
        on_behalf=can(Permission.DOCUMENT_COMMENT_ON_BEHALF, alliance),
    )


@bp.route("/alliances/<slug>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(slug: str, comment_id: int) -> Response | tuple[str, int]:
    """Change your own comment within 15 minutes of writing it."""
    alliance = _alliance(slug)
    require(Permission.ALLIANCE_VIEW, alliance)
    comment, subject = _comment(alliance, comment_id)
    require(Permission.DOCUMENT_COMMENT_ADD, alliance)
    if not comment.can_change(current_user):
        abort(403)
    form = EditCommentForm(obj=comment)
    if form.validate_on_submit() and attempt(form, lambda: services.edit_comment(
        db.session, current_user, comment, form.body.data
    )):
        flash("Your comment has been changed.", "success")
        return redirect_to(f"{subject.url}#comment-{comment.id}")
    status = form_status()
    return render_template("documents/comment_edit.html", alliance=alliance, subject=subject, comment=comment,
                           form=form, delete_form=ConfirmForm(formdata=None)), status


@bp.post("/alliances/<slug>/comments/<int:comment_id>/delete")
@login_required
def delete_comment(slug: str, comment_id: int) -> Response:
    """Delete your own comment within 15 minutes of writing it."""
    alliance = _alliance(slug)
    require(Permission.ALLIANCE_VIEW, alliance)
    comment, subject = _comment(alliance, comment_id)
    require(Permission.DOCUMENT_COMMENT_ADD, alliance)
    if not comment.can_change(current_user):
        abort(403)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(None, lambda: services.delete_comment(db.session, current_user, comment))
    flash("Your comment has been deleted.", "success")
    return redirect_to(subject.url)


@bp.route("/alliances/<slug>/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@login_required
def hide_comment(slug: str, comment_id: int) -> Response | tuple[str, int]:
    """Hide a comment from other members, giving a reason."""
    alliance = _alliance(slug)
    require(Permission.ALLIANCE_VIEW, alliance)
    comment, subject = _comment(alliance, comment_id)
    require(Permission.DOCUMENT_COMMENT_HIDE, alliance)
    form = HideCommentForm()
    if form.validate_on_submit() and attempt(form, lambda: services.hide_comment(
        db.session, current_user, comment, form.reason.data
    )):
        flash("The comment is now hidden. Its author can see your reason.", "success")
        return redirect_to(f"{subject.url}#comment-{comment.id}")
    status = form_status()
    return render_template("documents/comment_hide.html", alliance=alliance, subject=subject, comment=comment, form=form), status
