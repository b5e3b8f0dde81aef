"""Open book: every member's budget and actual spend, seen by every member; entered by each organisation."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, url_for
from flask_login import current_user, login_required

from collab.alliances.models import Alliance, Organisation
from collab.db import db
from collab.security import Permission
from collab.value import bp, services, views
from collab.value.forms import ApplyImportForm, BookLineForm, ImportForm
from collab.value.routes._common import value_alliance
from collab.web import Caught, attempt, form_status, redirect_to


@bp.get("/alliances/<slug>/value/open-book")
@login_required
def open_book(slug: str) -> str:
    """Every member's budget and actual spend by period and cost line."""
    alliance = value_alliance(slug)
    return render_template("value/open_book.html", **views.open_book_context(alliance))


def _own(alliance: Alliance) -> Organisation:
    organisation = views.own_organisation(alliance)
    if organisation is None:
        abort(403, "You do not represent an organisation in this alliance, so you have no open book to fill in.")
    return organisation


@bp.route("/alliances/<slug>/value/open-book/new", methods=["GET", "POST"])
@login_required
def new_book_line(slug: str) -> Response | tuple[str, int]:
    """Record your organisation's budget and spend on a cost line for a period (or correct it)."""
    alliance = value_alliance(slug, Permission.VALUE_REPORT)
    organisation = _own(alliance)
    periods = services.periods_of(db.session, alliance)
    form = BookLineForm()
    form.period_id.choices = [(p.id, p.label) for p in periods]
    if form.validate_on_submit():
        period = next(p for p in periods if p.id == form.period_id.data)
        if attempt(form, lambda: services.save_line(
            db.session, current_user, alliance, organisation, period, cost_line=form.cost_line.data,
            budget=form.budget.data, actual=form.actual.data, note=form.note.data or "",
        )):
            flash("The figures are saved. Every member of the alliance can see them.", "success")
            return redirect_to(url_for("value.open_book", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form,
                           title=f"Budget and spend for {organisation.name}", button="Save the figures",
                           empty=None if periods else "The alliance needs a reporting period first."), form_status()


@bp.route("/alliances/<slug>/value/open-book/import", methods=["GET", "POST"])
@login_required
def import_book(slug: str) -> tuple[str, int]:
    """Upload your organisation's figures as CSV and see what it would change and what it refuses."""
    alliance = value_alliance(slug, Permission.VALUE_REPORT)
    organisation = _own(alliance)
    form, caught = ImportForm(), Caught()
    preview, text = None, ""
    if form.validate_on_submit():
        text = views.uploaded_text(form.file.data, caught)
        if text and (done := attempt(caught, lambda: services.preview_lines(db.session, alliance, organisation, text))):
            db.session.rollback()  # a preview changes nothing
            preview = done.value
    return render_template("value/import.html", alliance=alliance, form=form, apply_form=ApplyImportForm(text=text),
                           preview=preview, error=caught.message, what=f"open-book figures for {organisation.name}",
                           columns=services.openbook.IMPORT_COLUMNS,
                           apply_url=url_for("value.apply_book", slug=slug),
                           back_url=url_for("value.open_book", slug=slug)), (422 if caught.message else 200)


@bp.post("/alliances/<slug>/value/open-book/import/apply")
@login_required
def apply_book(slug: str) -> Response:
    """Apply the previewed rows (refused rows are left out)."""
    alliance = value_alliance(slug, Permission.VALUE_REPORT)
    organisation = _own(alliance)
    form = ApplyImportForm()
    if not form.validate_on_submit() or not form.text.data:
        abort(400)
    done = attempt(None, lambda: services.import_lines(db.session, current_user, alliance, organisation, form.text.data))
    flash(f"{len(done.value.to_apply)} lines saved; {len(done.value.refused)} rows refused.", "success")
    return redirect_to(url_for("value.open_book", slug=slug))
