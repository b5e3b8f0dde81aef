"""Commitments, reports of what was delivered, and commissioners confirming or querying them."""

from __future__ import annotations

from datetime import date

from flask import Response, abort, flash, render_template, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.documents.views import thread_context
from collab.security import Permission, require
from collab.value import bp, services, views
from collab.value.forms import CommitmentForm, ConfirmForm, QueryForm, ReportForm
from collab.value.routes._common import load_commitment, load_report, own_organisation_id, value_alliance
from collab.web import attempt, form_status, redirect_to


@bp.get("/alliances/<slug>/value/commitments")
@login_required
def commitments(slug: str) -> str:
    """Every member's commitments and reports (open book), late ones flagged."""
    alliance = value_alliance(slug)
    return render_template("value/commitments.html", **views.commitments_context(alliance))


@bp.route("/alliances/<slug>/value/commitments/new", methods=["GET", "POST"])
@login_required
def new_commitment(slug: str) -> Response | tuple[str, int]:
    """Your organisation commits to a target on a measure for a period."""
    alliance = value_alliance(slug, Permission.VALUE_REPORT)
    organisation = views.own_organisation(alliance)
    if organisation is None:
        abort(403, "You do not represent an organisation in this alliance, so you cannot make commitments.")
    measures = services.measures_of(db.session, alliance)
    periods = services.periods_of(db.session, alliance)
    form = CommitmentForm()
    form.measure_id.choices = [(m.id, f"{m.current.name} ({m.current.unit})") for m in measures]
    form.period_id.choices = [(p.id, p.label) for p in periods]
    if form.validate_on_submit():
        measure = next(m for m in measures if m.id == form.measure_id.data)
        period = next(p for p in periods if p.id == form.period_id.data)
        if attempt(form, lambda: services.add_commitment(db.session, current_user, alliance, organisation, measure,
                                                         period, target=form.target.data)):
            flash("Your commitment has been added.", "success")
            return redirect_to(url_for("value.commitments", slug=slug))
    empty = None if measures and periods else "The alliance needs measures and a reporting period first."
    return render_template("value/form.html", alliance=alliance, form=form, title=f"Add a commitment for {organisation.name}",
                           button="Add the commitment", empty=empty), form_status()


@bp.route("/alliances/<slug>/value/commitments/<int:commitment_id>/report", methods=["GET", "POST"])
@login_required
def report(slug: str, commitment_id: int) -> Response | tuple[str, int]:
    """Report what your organisation delivered against a commitment (or correct a queried report)."""
    alliance = value_alliance(slug, Permission.VALUE_REPORT)
    commitment = load_commitment(alliance, commitment_id)
    if own_organisation_id(alliance) != commitment.organisation_id:
        abort(403, "Only someone from this organisation can report for it.")
    form = ReportForm()
    existing = commitment.report
    if not form.is_submitted() and existing is not None:
        form.amount.data, form.note.data, form.evidence_url.data = existing.amount, existing.note, existing.evidence_url
    if form.validate_on_submit() and (done := attempt(form, lambda: services.report_actual(
        db.session, current_user, commitment, amount=form.amount.data, note=form.note.data or "",
        evidence_url=form.evidence_url.data or "",
    ))):
        flash("Thank you. Your report has been sent to the commissioners to confirm.", "success")
        return redirect_to(url_for("value.show_report", slug=slug, report_id=done.value.id))
    return render_template("value/report_form.html", alliance=alliance, commitment=commitment, form=form,
                           late=services.is_late(commitment, date.today())), form_status()


@bp.get("/alliances/<slug>/value/reports/<int:report_id>")
@login_required
def show_report(slug: str, report_id: int) -> str:
    """A report, its measure's definition as it was, and its query thread."""
    alliance = value_alliance(slug)
    found = load_report(alliance, report_id)
    subject = views.load_report_subject(db.session, found.id)
    assert subject is not None
    return render_template("value/report.html", alliance=alliance, report=found, form=ConfirmForm(),
                           may_report=own_organisation_id(alliance) == found.commitment.organisation_id,
                           **thread_context(services.SUBJECT, found.id, subject))


@bp.post("/alliances/<slug>/value/reports/<int:report_id>/confirm")
@login_required
def confirm_report(slug: str, report_id: int) -> Response:
    """A commissioner confirms a report."""
    alliance = value_alliance(slug, Permission.VALUE_CONFIRM)
    found = load_report(alliance, report_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    url = url_for("value.show_report", slug=slug, report_id=found.id)
    attempt(None, lambda: services.confirm(db.session, current_user, found, url=url))
    flash("The report is confirmed. It now counts on the value page.", "success")
    return redirect_to(url)


@bp.route("/alliances/<slug>/value/reports/<int:report_id>/query", methods=["GET", "POST"])
@login_required
def query_report(slug: str, report_id: int) -> Response | tuple[str, int]:
    """A commissioner asks a question about a report before confirming it."""
    alliance = value_alliance(slug, Permission.VALUE_CONFIRM)
    found = load_report(alliance, report_id)
    require(Permission.VALUE_CONFIRM, alliance)
    form = QueryForm()
    url = url_for("value.show_report", slug=slug, report_id=found.id)
    if form.validate_on_submit() and attempt(form, lambda: services.query(
        db.session, current_user, found, reason=form.reason.data, url=url,
    )):
        flash("Your question has been sent. The report waits until it is answered or corrected.", "success")
        return redirect_to(url)
    return render_template("value/query.html", alliance=alliance, report=found, form=form), form_status()
