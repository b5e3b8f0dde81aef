"""Stage pages: open the consultation, close it, share a redraft, publish."""

from __future__ import annotations

from flask import Response, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.errors import DomainError
from collab.security import Permission
from collab.specs import bp, services
from collab.specs.forms import CloseConsultationForm, ConsultationForm, PublishForm, RedraftForm
from collab.specs.routes._common import load_spec
from collab.timezone import today_in_london
from collab.web import attempt, form_status, redirect_to


@bp.route("/alliances/<slug>/specs/<int:spec_id>/consultation", methods=["GET", "POST"])
@login_required
def open_consultation(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Share the draft and open it for comments between two dates (after a check that warns, never blocks)."""
    spec = load_spec(slug, spec_id, Permission.SPEC_MANAGE)
    form = ConsultationForm()
    if request.method == "GET":
        form.opens_on.data = today_in_london()
    changing = "change" in request.form
    if not changing and form.validate_on_submit():
        try:
            warnings = services.consultation_warnings(spec, opens_on=form.opens_on.data, closes_on=form.closes_on.data)
        except DomainError as error:
            form.add_domain_error(error)
            warnings = None
        if warnings and "confirmed" not in request.form:
            # The sent fields go back with "Open it anyway", whatever shape the date fields take.
            sent = [(k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirmed", "change")]
            return render_template("specs/consultation_check.html", alliance=spec.alliance, spec=spec,
                                   warnings=warnings, sent=sent), 200
        if warnings is not None and attempt(form, lambda: services.open_consultation(
            db.session, current_user, spec, opens_on=form.opens_on.data, closes_on=form.closes_on.data,
            note=form.note.data or "", url=url_for("specs.show", slug=slug, spec_id=spec.id),
        )):
            flash("The specification is open for comments.", "success")
            return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))
    status = 200 if changing else form_status()
    return render_template("specs/consultation.html", alliance=spec.alliance, spec=spec, form=form), status


@bp.route("/alliances/<slug>/specs/<int:spec_id>/close", methods=["GET", "POST"])
@login_required
def close_consultation(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Check, then stop taking comments; before the closing date a reason is required and everyone is told."""
    spec = load_spec(slug, spec_id, Permission.SPEC_MANAGE)
    if not spec.is_in_consultation:
        flash("This specification is not open for comments.", "info")
        return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))
    form = CloseConsultationForm()
    url = url_for("specs.show", slug=slug, spec_id=spec.id)
    if form.validate_on_submit() and attempt(form, lambda: services.close_consultation(
        db.session, current_user, spec, reason=form.reason.data or "", url=url,
    )):
        flash("Comments are closed. Everyone in the alliance has been told why. Now answer every comment."
              if spec.closed_early_reason else "Comments are closed. Now answer every comment.", "success")
        return redirect_to(url)
    return render_template("specs/close.html", alliance=spec.alliance, spec=spec, form=form,
                           early=services.closes_early(spec), days_left=services.days_left(spec),
                           comments=services.unanswered_count(db.session, spec)), form_status()


@bp.route("/alliances/<slug>/specs/<int:spec_id>/redraft", methods=["GET", "POST"])
@login_required
def share_redraft(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Share the working draft as a new version; comments move with their paragraphs."""
    spec = load_spec(slug, spec_id, Permission.SPEC_MANAGE)
    form = RedraftForm()
    if form.validate_on_submit() and (
        done := attempt(form, lambda: services.share_redraft(
            db.session, current_user, spec, note=form.note.data, url=url_for("specs.versions", slug=slug, spec_id=spec.id),
        ))
    ):
        flash(f"Draft {done.value.number} has been shared. Comments have moved with their paragraphs.", "success")
        return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))
    return render_template("specs/redraft.html", alliance=spec.alliance, spec=spec, form=form), form_status()


@bp.route("/alliances/<slug>/specs/<int:spec_id>/publish", methods=["GET", "POST"])
@login_required
def publish(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Publish the final specification (a reason is needed if comments are unanswered)."""
    spec = load_spec(slug, spec_id, Permission.SPEC_MANAGE)
    form = PublishForm()
    waiting = services.unanswered_count(db.session, spec)
    if form.validate_on_submit() and attempt(
        form, lambda: services.publish(db.session, current_user, spec, override_reason=form.reason.data)
    ):
        flash("The specification has been published.", "success")
        return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id))
    return render_template("specs/publish.html", alliance=spec.alliance, spec=spec, form=form, waiting=waiting), form_status()
