"""The social value framework: themes, outcomes, measures (versioned), periods, the starter set."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.security import Permission
from collab.value import bp, services
from collab.value.forms import ConfirmForm, EditMeasureForm, MeasureForm, OutcomeForm, PeriodForm, ThemeForm
from collab.value.routes._common import load_measure, value_alliance
from collab.web import attempt, form_status, redirect_to


@bp.get("/alliances/<slug>/value/framework")
@login_required
def framework(slug: str) -> str:
    """The framework: themes, outcomes and measures, and the reporting periods."""
    alliance = value_alliance(slug)
    return render_template("value/framework.html", alliance=alliance,
                           themes=services.load_framework(db.session, alliance),
                           periods=services.periods_of(db.session, alliance), form=ConfirmForm())


@bp.post("/alliances/<slug>/value/framework/starter")
@login_required
def starter(slug: str) -> Response:
    """Fill an empty framework with the starter set."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    done = attempt(None, lambda: services.add_starter_set(db.session, current_user, alliance))
    flash(f"The starter set is in: {done.value} measures. Change anything that does not fit your alliance.", "success")
    return redirect_to(url_for("value.framework", slug=slug))


@bp.route("/alliances/<slug>/value/framework/themes/new", methods=["GET", "POST"])
@login_required
def new_theme(slug: str) -> Response | tuple[str, int]:
    """Add a theme."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    form = ThemeForm()
    if form.validate_on_submit() and attempt(form, lambda: services.add_theme(
        db.session, current_user, alliance, name=form.name.data, description=form.description.data or "",
    )):
        flash("The theme has been added.", "success")
        return redirect_to(url_for("value.framework", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form, title="Add a theme",
                           button="Add the theme"), form_status()


@bp.route("/alliances/<slug>/value/framework/outcomes/new", methods=["GET", "POST"])
@login_required
def new_outcome(slug: str) -> Response | tuple[str, int]:
    """Add an outcome under a theme."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    themes = services.load_framework(db.session, alliance)
    form = OutcomeForm()
    form.theme_id.choices = [(t.id, t.name) for t in themes]
    if form.validate_on_submit():
        theme = next(t for t in themes if t.id == form.theme_id.data)
        if attempt(form, lambda: services.add_outcome(db.session, current_user, theme, name=form.name.data)):
            flash("The outcome has been added.", "success")
            return redirect_to(url_for("value.framework", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form, title="Add an outcome",
                           button="Add the outcome", empty=None if themes else "Add a theme first."), form_status()


def _outcome_choices(themes: list) -> list[tuple[int, str]]:
    return [(o.id, f"{t.name}: {o.name}") for t in themes for o in t.outcomes]


@bp.route("/alliances/<slug>/value/framework/measures/new", methods=["GET", "POST"])
@login_required
def new_measure(slug: str) -> Response | tuple[str, int]:
    """Add a measure under an outcome."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    themes = services.load_framework(db.session, alliance)
    form = MeasureForm()
    form.outcome_id.choices = _outcome_choices(themes)
    if form.validate_on_submit():
        outcome = next(o for t in themes for o in t.outcomes if o.id == form.outcome_id.data)
        if attempt(form, lambda: services.add_measure(
            db.session, current_user, outcome, name=form.name.data, unit=form.unit.data,
            direction=form.direction.data, proxy_per_unit=form.proxy_per_unit.data,
            proxy_source=form.proxy_source.data or "",
        )):
            flash("The measure has been added.", "success")
            return redirect_to(url_for("value.framework", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form, title="Add a measure",
                           button="Add the measure",
                           empty=None if form.outcome_id.choices else "Add an outcome first."), form_status()


@bp.route("/alliances/<slug>/value/framework/measures/<int:measure_id>", methods=["GET", "POST"])
@login_required
def edit_measure(slug: str, measure_id: int) -> Response | tuple[str, int]:
    """Change a measure's definition (a new version) and see its earlier versions."""
    alliance = value_alliance(slug)
    measure = load_measure(alliance, measure_id)
    form = EditMeasureForm()
    current = measure.current
    if form.is_submitted():
        value_alliance(slug, Permission.VALUE_MANAGE)
    else:
        form.name.data, form.unit.data, form.direction.data = current.name, current.unit, current.direction.value
        form.proxy_per_unit.data, form.proxy_source.data = current.proxy_per_unit, current.proxy_source
    if form.validate_on_submit() and attempt(form, lambda: services.change_measure(
        db.session, current_user, measure, name=form.name.data, unit=form.unit.data, direction=form.direction.data,
        proxy_per_unit=form.proxy_per_unit.data, proxy_source=form.proxy_source.data or "",
    )):
        flash(f"The measure is now at version {measure.current_number}. Reports already made keep the "
              "version they were made against.", "success")
        return redirect_to(url_for("value.framework", slug=slug))
    return render_template("value/measure.html", alliance=alliance, measure=measure, form=form), form_status()


@bp.route("/alliances/<slug>/value/periods/new", methods=["GET", "POST"])
@login_required
def new_period(slug: str) -> Response | tuple[str, int]:
    """Add a reporting period."""
    alliance = value_alliance(slug, Permission.VALUE_MANAGE)
    form = PeriodForm()
    if form.validate_on_submit() and attempt(form, lambda: services.add_period(
        db.session, current_user, alliance, label=form.label.data, starts_on=form.starts_on.data,
        ends_on=form.ends_on.data, reports_due_on=form.reports_due_on.data,
    )):
        flash("The period has been added.", "success")
        return redirect_to(url_for("value.framework", slug=slug))
    return render_template("value/form.html", alliance=alliance, form=form, title="Add a reporting period",
                           button="Add the period"), form_status()

