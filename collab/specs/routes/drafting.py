"""Drafting pages: start a specification, the working draft, details, sections, linked clauses."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances.access import load_alliance
from collab.db import db
from collab.documents import merge
from collab.documents.locking import EditConflict
from collab.security import Permission
from collab.specs import bp, services, views
from collab.specs.forms import ConfirmForm, MoveForm, NewSectionForm, SectionForm, SpecDetailsForm, SpecForm, parse_int
from collab.specs.routes._common import load_section, load_spec
from collab.web import Flashed, attempt, form_status, redirect_to


@bp.route("/alliances/<slug>/specs/new", methods=["GET", "POST"])
@login_required
def create(slug: str) -> Response | tuple[str, int]:
    """Start a new specification."""
    alliance = load_alliance(slug, Permission.SPEC_CREATE)
    form = SpecForm()
    if form.validate_on_submit() and (done := attempt(form, lambda: services.create_spec(
        db.session, current_user, alliance, title=form.title.data, service_area=form.service_area.data,
        summary=form.summary.data or "",
    ))):
        flash("The specification has been started. Next, write its sections.", "success")
        return redirect_to(url_for("specs.draft", slug=slug, spec_id=done.value.id))
    return render_template("specs/new.html", alliance=alliance, form=form), form_status()


@bp.get("/alliances/<slug>/specs/<int:spec_id>/draft")
@login_required
def draft(slug: str, spec_id: int) -> str:
    """The working draft for authors: each section with its plain-language score."""
    spec = load_spec(slug, spec_id, Permission.SPEC_EDIT)
    return render_template("specs/draft.html", **views.draft_context(spec))


@bp.route("/alliances/<slug>/specs/<int:spec_id>/details", methods=["GET", "POST"])
@login_required
def edit_details(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Change the title, service area, summary and easy-read summary."""
    spec = load_spec(slug, spec_id, Permission.SPEC_EDIT)
    if not spec.is_editable:
        abort(404)
    form = SpecDetailsForm(obj=spec)
    if request.method == "GET":
        form.lock_version.data = str(spec.lock_version)
        form.merge_base.data = merge.snapshot(views.details_values(spec))
    if "resolve" in request.form and form.validate_on_submit():
        current = services.reload_spec(db.session, spec.id)
        assert current is not None
        if form.lock_version.data != str(current.lock_version):  # saved again meanwhile
            return render_template("specs/details.html", **views.details_conflict(spec, form)), 409
        try:
            merge.form_choose(form, views.DETAILS_FIELDS, views.details_values(current), request.form)
        except merge.ChoicesMissing as error:
            return render_template("specs/details.html", **views.details_conflict(spec, form, error.missing)), 422
        return render_template("specs/details.html", alliance=spec.alliance, spec=current, form=form, merged=True,
                               score=views.score_of(form.easy_read.data) if form.easy_read.data else None), 200
    if form.validate_on_submit():
        try:
            done = attempt(form, lambda: services.update_details(
                db.session, current_user, spec, parse_int(form.lock_version.data) or 0,
                title=form.title.data, service_area=form.service_area.data, summary=form.summary.data or "",
                easy_read=form.easy_read.data or "",
            ), passes=(EditConflict,))
        except EditConflict:
            return render_template("specs/details.html", **views.details_conflict(spec, form)), 409
        if done:
            flash("The specification's details have been saved.", "success")
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id))
    score = views.score_of(form.easy_read.data) if form.easy_read.data else None
    return render_template("specs/details.html", alliance=spec.alliance, spec=spec, form=form,
                           score=score), form_status()


@bp.route("/alliances/<slug>/specs/<int:spec_id>/sections/<int:section_id>", methods=["GET", "POST"])
@login_required
def edit_section(slug: str, spec_id: int, section_id: int) -> Response | tuple[str, int]:
    """Edit one section, with its plain-language score; a stale save shows both texts to merge."""
    spec = load_spec(slug, spec_id, Permission.SPEC_EDIT)
    section = load_section(spec, section_id)
    if not spec.is_editable:
        abort(404)
    form = SectionForm(obj=section)
    if request.method == "GET":
        form.lock_version.data = str(section.lock_version)
        form.merge_base.data = merge.snapshot(views.section_values(section))
    if "resolve" in request.form and form.validate_on_submit():
        current = services.reload_section(db.session, section.id)
        assert current is not None
        if form.lock_version.data != str(current.lock_version):  # saved again meanwhile
            return render_template("specs/section.html", **views.section_conflict(spec, section, form)), 409
        try:
            merge.form_choose(form, views.SECTION_FIELDS, views.section_values(current), request.form)
        except merge.ChoicesMissing as error:
            return render_template("specs/section.html", **views.section_conflict(spec, section, form, error.missing)), 422
        return render_template("specs/section.html", alliance=spec.alliance, spec=spec, section=current, form=form,
                               score=views.score_of(form.body.data), merged=True), 200
    checking = "check" in request.form
    if not checking and form.validate_on_submit():
        try:
            done = attempt(form, lambda: services.save_section(
                db.session, current_user, section, parse_int(form.lock_version.data) or 0,
                heading=form.heading.data, body=form.body.data or "",
            ), passes=(EditConflict,))
        except EditConflict:
            return render_template("specs/section.html", **views.section_conflict(spec, section, form)), 409
        if done:
            flash(f"“{section.heading}” has been saved.", "success")
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id) + f"#section-{section.id}")
    score = views.score_of(form.body.data) if (checking or request.method == "POST") else services.load_score(section.readability)
    status = 200 if checking else form_status()
    return render_template("specs/section.html", alliance=spec.alliance, spec=spec, section=section, form=form,
                           score=score), status


@bp.route("/alliances/<slug>/specs/<int:spec_id>/sections/new", methods=["GET", "POST"])
@login_required
def add_section(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Add a section at the end of the specification."""
    spec = load_spec(slug, spec_id, Permission.SPEC_EDIT)
    if not spec.is_editable:
        abort(404)
    form = NewSectionForm()
    if form.validate_on_submit() and (
        done := attempt(form, lambda: services.add_section(db.session, current_user, spec, heading=form.heading.data))
    ):
        flash("The section has been added. Now write its text.", "success")
        return redirect_to(url_for("specs.edit_section", slug=slug, spec_id=spec.id, section_id=done.value.id))
    return render_template("specs/new_section.html", alliance=spec.alliance, spec=spec, form=form), form_status()


@bp.post("/alliances/<slug>/specs/<int:spec_id>/sections/<int:section_id>/move")
@login_required
def move_section(slug: str, spec_id: int, section_id: int) -> Response:
    """Move a section up or down."""
    spec = load_spec(slug, spec_id, Permission.SPEC_EDIT)
    section = load_section(spec, section_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    if attempt(Flashed(), lambda: services.move_section(db.session, current_user, section, form.direction.data)):
        flash(f"“{section.heading}” has moved {form.direction.data}.", "success")
    return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id) + f"#section-{section.id}")


@bp.route("/alliances/<slug>/specs/<int:spec_id>/clauses", methods=["GET", "POST"])
@login_required
def link_clauses(slug: str, spec_id: int) -> Response | tuple[str, int] | str:
    """Choose the agreement clauses this specification relies on."""
    spec = load_spec(slug, spec_id, Permission.SPEC_EDIT)
    clauses = services.linkable_clauses(db.session, spec)
    chosen = {link.clause_id for link in services.clause_links(db.session, spec)}
    form = ConfirmForm()
    if form.validate_on_submit():
        wanted = {parse_int(v) for v in request.form.getlist("clause")} - {None}
        if attempt(form, lambda: services.link_clauses(
            db.session, current_user, spec, [c for c in clauses if c.id in wanted],
            unknown=len(wanted - {c.id for c in clauses}),
        )):
            flash("The linked agreement clauses have been saved.", "success")
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id))
    return render_template("specs/clauses.html", alliance=spec.alliance, spec=spec, clauses=clauses, chosen=chosen,
                           form=form), form_status()
