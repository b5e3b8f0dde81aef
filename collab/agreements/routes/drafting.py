"""Drafting pages: the agreement, starting it, adding, editing, moving and retiring clauses,
each clause's history, and opening the agreement for drafting the next version."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, make_response, render_template, request, url_for
from flask_login import current_user, login_required

from collab.agreements import bp, services, views
from collab.agreements.forms import ClauseForm, ConfirmForm, NewClauseForm, StartForm
from collab.agreements.models import Agreement, Clause
from collab.agreements.routes._common import agreement_for, alliance_for, clause_for, stop_if_drafting_closed
from collab.alliances.models import Alliance
from collab.db import db
from collab.documents import merge
from collab.documents.locking import EditConflict
from collab.page_cache import cached_page
from collab.security import Permission
from collab.web import attempt, form_status, page_number, redirect_to, render, targets


def _show_url(alliance: Alliance, clause: Clause | None = None) -> str:
    return url_for("agreements.show", slug=alliance.slug) + (f"#clause-{clause.id}" if clause else "")


@bp.get("/alliances/<slug>/agreement")
@cached_page(Permission.AGREEMENT_VIEW)
def show(slug: str) -> str | Response:
    """The agreement: its clauses, status, open proposals and versions."""
    alliance = alliance_for(slug)
    agreement = services.get_agreement(db.session, alliance)
    if agreement is None:
        return render_template("agreements/start.html", alliance=alliance, form=StartForm(formdata=None))
    return render_template("agreements/show.html", **views.agreement_page(alliance, agreement))


@bp.post("/alliances/<slug>/agreement/start")
@login_required
def start(slug: str) -> Response | tuple[str, int]:
    """Start the agreement from the starter template or blank."""
    alliance = alliance_for(slug, Permission.AGREEMENT_CREATE)
    form = StartForm()
    if form.validate_on_submit() and attempt(form, lambda: services.start_agreement(
        db.session, current_user, alliance, use_template=form.start.data == "template",
    )):
        flash("The agreement has been started. Everyone in the alliance can now read it and comment.", "success")
        return redirect_to(_show_url(alliance))
    return render_template("agreements/start.html", alliance=alliance, form=form), 422


def _clause_fragment(alliance: Alliance, agreement: Agreement, clause: Clause) -> Response:
    context = views.clause_fragment(alliance, agreement, clause)
    return make_response(render_template("agreements/_clause.html", **context))


@bp.get("/alliances/<slug>/agreement/clauses/<int:clause_id>")
def show_clause(slug: str, clause_id: int) -> Response:
    """One clause with its proposals, history and discussion (or just the clause, for htmx)."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    clause = clause_for(agreement, clause_id)
    if targets(f"clause-{clause.id}"):
        response = _clause_fragment(alliance, agreement, clause)
    else:
        context = views.clause_page(alliance, agreement, clause)
        response = make_response(render_template("agreements/clause.html", **context))
    response.vary.add("HX-Target")
    return response


def _clause_form_response(
    alliance: Alliance, agreement: Agreement, clause: Clause, form: ClauseForm, status: int, **merging: Any,
) -> Response:
    return render(
        "agreements/clause_edit.html", fragment="agreements/_clause_form.html", target=f"clause-{clause.id}",
        status=status, alliance=alliance, agreement=agreement, clause=clause, form=form,
        number=services.clause_number(db.session, clause), **merging,
    )


_CLAUSE_FIELDS = {"heading": "Heading", "body": "Text of the clause"}


def _clause_values(clause: Clause) -> dict[str, str]:
    return {"heading": clause.heading, "body": clause.body}


def _clause_conflict(
    alliance: Alliance, agreement: Agreement, current: Clause, form: ClauseForm, status: int = 409,
    missing: list[merge.Choice] | None = None,
) -> Response:
    """Both people's changes: merged into the form where they can be, a choice for each place where not."""
    conflict = merge.form_conflict(
        form, _CLAUSE_FIELDS, _clause_values(current), current.lock_version, missing=missing,
        current_author=current.updated_by.display_name if current.updated_by else None, current_at=current.updated_at,
    )
    return _clause_form_response(alliance, agreement, current, form, status, merge=conflict.merge,
                                 hidden=conflict.hidden, missing=conflict.missing, sent=request.form)


def _resolve_clause(alliance: Alliance, agreement: Agreement, clause: Clause, form: ClauseForm) -> Response:
    """The choices made after a conflict: the merged text goes back into the form, to check and save."""
    if not form.validate_on_submit():
        return _clause_form_response(alliance, agreement, clause, form, 422)
    current = services.current_clause(db.session, clause)
    if form.lock_version.data != current.lock_version:  # saved again meanwhile: merge with that instead
        return _clause_conflict(alliance, agreement, current, form)
    try:
        merge.form_choose(form, _CLAUSE_FIELDS, _clause_values(current), request.form)
    except merge.ChoicesMissing as error:
        return _clause_conflict(alliance, agreement, current, form, 422, missing=error.missing)
    return _clause_form_response(alliance, agreement, current, form, 200, merged=True)


@bp.route("/alliances/<slug>/agreement/clauses/<int:clause_id>/edit", methods=["GET", "POST"])
@login_required
def edit_clause(slug: str, clause_id: int) -> Response:
    """Change a clause in place; a stale save answers 409 with both people's changes merged (or to choose)."""
    alliance = alliance_for(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = agreement_for(alliance)
    clause = clause_for(agreement, clause_id)
    if clause.is_retired:
        abort(404)
    stop_if_drafting_closed(agreement)
    prefix = f"clause-{clause.id}"
    if request.method == "GET":
        form = ClauseForm(formdata=None, obj=clause, prefix=prefix)
        form.merge_base.data = merge.snapshot(_clause_values(clause))
        return _clause_form_response(alliance, agreement, clause, form, 200)
    form = ClauseForm(prefix=prefix)
    if "resolve" in request.form:
        return _resolve_clause(alliance, agreement, clause, form)
    if "preview" in request.form:
        form.validate()
        form.heading.errors, form.body.errors = [], []
        return _clause_form_response(alliance, agreement, clause, form, 200)
    if not form.validate_on_submit():
        return _clause_form_response(alliance, agreement, clause, form, 422)
    try:
        done = attempt(form, lambda: services.edit_clause(
            db.session, current_user, clause, heading=form.heading.data, body=form.body.data,
            lock_version=form.lock_version.data,
        ), passes=(EditConflict,))
    except EditConflict:
        return _clause_conflict(alliance, agreement, services.current_clause(db.session, clause), form)
    if not done:
        return _clause_form_response(alliance, agreement, clause, form, 422)
    if targets(f"clause-{clause.id}"):
        response = _clause_fragment(alliance, agreement, done.value)
        response.headers["HX-Trigger"] = "clauseSaved"
        return response
    flash(f"Clause {services.clause_number(db.session, done.value)} has been saved.", "success")
    return redirect_to(_show_url(alliance, done.value))


@bp.route("/alliances/<slug>/agreement/clauses/new", methods=["GET", "POST"])
@login_required
def new_clause(slug: str) -> Response | tuple[str, int]:
    """Add a clause at the end of the draft."""
    alliance = alliance_for(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = agreement_for(alliance)
    stop_if_drafting_closed(agreement, "Propose a new clause instead")
    form = NewClauseForm()
    preview = "preview" in request.form
    if not preview and form.validate_on_submit() and (done := attempt(form, lambda: services.add_clause(
        db.session, current_user, agreement, heading=form.heading.data, body=form.body.data,
    ))):
        flash("The clause has been added.", "success")
        return redirect_to(_show_url(alliance, done.value))
    page = render_template("agreements/clause_new.html", alliance=alliance, agreement=agreement, form=form)
    return page, 200 if preview else form_status()


@bp.post("/alliances/<slug>/agreement/clauses/<int:clause_id>/move")
@login_required
def move_clause(slug: str, clause_id: int) -> Response:
    """Move a clause up or down (plain buttons; no JavaScript needed)."""
    alliance = alliance_for(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = agreement_for(alliance)
    clause = clause_for(agreement, clause_id)
    stop_if_drafting_closed(agreement)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(None, lambda: services.move_clause(db.session, current_user, clause, request.form.get("direction", "")))
    return redirect_to(_show_url(alliance, clause))


@bp.route("/alliances/<slug>/agreement/clauses/<int:clause_id>/retire", methods=["GET", "POST"])
@login_required
def retire_clause(slug: str, clause_id: int) -> Response | str:
    """Check, then retire a clause from the draft."""
    alliance = alliance_for(slug, Permission.AGREEMENT_CLAUSE_EDIT)
    agreement = agreement_for(alliance)
    clause = clause_for(agreement, clause_id)
    stop_if_drafting_closed(agreement)
    if request.method == "GET":
        return render_template("agreements/clause_retire.html", alliance=alliance, agreement=agreement, clause=clause,
                               number=services.clause_number(db.session, clause), form=ConfirmForm(formdata=None))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(None, lambda: services.retire_clause(db.session, current_user, clause))
    flash(f"\u201c{clause.heading}\u201d has been retired. Its history is kept.", "success")
    return redirect_to(_show_url(alliance))


@bp.get("/alliances/<slug>/agreement/clauses/<int:clause_id>/history")
def clause_history(slug: str, clause_id: int) -> str:
    """Every accepted change to a clause, newest first, each with what it changed."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    clause = clause_for(agreement, clause_id)
    return render_template("agreements/clause_history.html",
                           **views.clause_history_page(alliance, agreement, clause, page_number()))


@bp.post("/alliances/<slug>/agreement/drafting")
@login_required
def open_drafting(slug: str) -> Response:
    """Open the agreement for direct drafting of the next version."""
    alliance = alliance_for(slug, Permission.AGREEMENT_VERSION_PUBLISH)
    agreement = agreement_for(alliance)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    attempt(None, lambda: services.open_drafting(db.session, current_user, agreement))
    flash("Drafters can now change clauses directly for the next version.", "success")
    return redirect_to(_show_url(alliance))
