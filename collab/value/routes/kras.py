"""Key result areas, their results (by form or CSV import with a preview) and the open-book scorecard."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.security import Permission
from collab.value import bp, services, views
from collab.value.forms import ApplyImportForm, ImportForm, KraForm, KraResultForm
from collab.value.models import KeyResultArea
from collab.value.routes._common import value_alliance
from collab.value.services import spec_links
from collab.web import Caught, attempt, form_status, get_or_404, redirect_to


@bp.get("/alliances/<slug>/value/scorecard")
@login_required
def scorecard(slug: str) -> str:
    """Each key result area against its target and minimum, in words, with its trend."""
    alliance = value_alliance(slug)
    return render_template("value/scorecard.html", alliance=alliance,
                           lines=services.scorecard(db.session, alliance),
                           linked_specs=spec_links.specs_by_kra(db.session, alliance))


def _kra_values(form: KraForm) -> dict[str, object]:
    return {"name": form.name.data, "measure": form.measure.data, "unit": form.unit.data,
            "direction": form.direction.data, "baseline": form.baseline.data, "target": form.target.data,
            "minimum": form.minimum.data}


@bp.route("/alliances/<slug>/value/kras/new", methods=["GET", "POST"])
@login_required
def new_kra(slug: str) -> Response | tuple[str, int]:
    """Add a key result area (six at most)."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    form = KraForm()
    if form.validate_on_submit() and attempt(form, lambda: services.add_kra(
        db.session, current_user, alliance, **_kra_values(form))):  # type: ignore[arg-type]
        flash("The key result area has been added.", "success")
        return redirect_to(url_for("value.scorecard", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form, title="Add a key result area",
                           button="Add the key result area"), form_status()


@bp.route("/alliances/<slug>/value/kras/<int:kra_id>", methods=["GET", "POST"])
@login_required
def edit_kra(slug: str, kra_id: int) -> Response | tuple[str, int]:
    """Change a key result area's measure, baseline, target or minimum."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    kra = get_or_404(db.session, KeyResultArea, kra_id, alliance_id=alliance.id)
    form = KraForm(obj=kra if request.method == "GET" else None)
    if request.method == "GET":
        form.direction.data = kra.direction.value
    if form.validate_on_submit() and attempt(form, lambda: services.change_kra(
        db.session, current_user, kra, **_kra_values(form))):  # type: ignore[arg-type]
        flash("The key result area has been changed.", "success")
        return redirect_to(url_for("value.scorecard", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form, title=f"Change {kra.name}",
                           button="Save the changes"), form_status()


@bp.route("/alliances/<slug>/value/kras/results", methods=["GET", "POST"])
@login_required
def enter_result(slug: str) -> Response | tuple[str, int]:
    """Enter a key result area's result for a period."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    kras = services.kras_of(db.session, alliance)
    periods = services.periods_of(db.session, alliance)
    form = KraResultForm()
    form.kra_id.choices = [(k.id, k.name) for k in kras]
    form.period_id.choices = [(p.id, p.label) for p in periods]
    if form.validate_on_submit():
        kra = next(k for k in kras if k.id == form.kra_id.data)
        period = next(p for p in periods if p.id == form.period_id.data)
        if attempt(form, lambda: services.record_result(db.session, current_user, kra, period,
                                                        value=form.value.data, note=form.note.data or "")):
            flash("The result has been saved.", "success")
            return redirect_to(url_for("value.scorecard", slug=slug))
    empty = None if kras and periods else "The alliance needs key result areas and a reporting period first."
    return render_template("value/form.html", alliance=alliance, form=form, title="Enter a result",
                           button="Save the result", empty=empty), form_status()


@bp.route("/alliances/<slug>/value/kras/import", methods=["GET", "POST"])
@login_required
def import_results(slug: str) -> tuple[str, int]:
    """Upload a CSV of results and see, row by row, what it would change and what it refuses."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    form, caught = ImportForm(), Caught()
    preview, text = None, ""
    if form.validate_on_submit():
        text = views.uploaded_text(form.file.data, caught)
        if text and (done := attempt(caught, lambda: services.preview_results(db.session, alliance, text))):
            db.session.rollback()  # a preview changes nothing
            preview = done.value
    return render_template("value/import.html", alliance=alliance, form=form, apply_form=ApplyImportForm(text=text),
                           preview=preview, error=caught.message, what="key result area results",
                           columns=services.kras.IMPORT_COLUMNS,
                           apply_url=url_for("value.apply_results", slug=slug),
                           back_url=url_for("value.scorecard", slug=slug)), (422 if caught.message else 200)


@bp.post("/alliances/<slug>/value/kras/import/apply")
@login_required
def apply_results(slug: str) -> Response:
    """Apply the previewed rows (refused rows are left out)."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    form = ApplyImportForm()
    if not form.validate_on_submit() or not form.text.data:
        abort(400)
    done = attempt(None, lambda: services.import_results(db.session, current_user, alliance, form.text.data))
    flash(f"{len(done.value.to_apply)} results saved; {len(done.value.refused)} rows refused.", "success")
    return redirect_to(url_for("value.scorecard", slug=slug))
