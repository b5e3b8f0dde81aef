"""Linking a specification section to the alliance's key result areas."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.db import db
from collab.security import Permission, require
from collab.specs.models import Spec, SpecSection
from collab.specs.services import get_spec
from collab.value import bp, services
from collab.value.forms import SpecKrasForm
from collab.value.routes._common import value_alliance
from collab.value.services import spec_links
from collab.web import attempt, form_status, parse_id, redirect_to


def _spec(slug: str, spec_id: int) -> Spec:
    """The spec, for someone who may both edit it and see the alliance's KRAs (404 for other alliances)."""
    alliance = value_alliance(slug)
    spec = get_spec(db.session, alliance, spec_id)
    if spec is None:
        abort(404)
    require(Permission.SPEC_EDIT, spec)
    return spec


def _section(spec: Spec, raw: str | None) -> SpecSection:
    if raw:
        section = next((s for s in spec.sections if s.id == parse_id(raw)), None)
    else:
        section = spec_links.default_section(spec)
    if section is None:
        abort(404)
    return section


@bp.route("/alliances/<slug>/value/specs/<int:spec_id>/kras", methods=["GET", "POST"])
@login_required
def link_spec_kras(slug: str, spec_id: int) -> Response | tuple[str, int]:
    """Choose the key result areas a section of the spec speaks to (?section=<id>; the KRA section first)."""
    spec = _spec(slug, spec_id)
    alliance = spec.alliance
    section = _section(spec, request.values.get("section"))
    kras = services.kras_of(db.session, alliance)
    form = SpecKrasForm()
    form.kras.choices = [(k.id, k.name) for k in kras]
    if request.method == "GET":
        form.kras.data = sorted(spec_links.links_of_section(db.session, section))
    elif form.validate_on_submit():
        wanted = set(form.kras.data or [])
        if attempt(form, lambda: spec_links.link_section(
            db.session, current_user, section, [k for k in kras if k.id in wanted],
            unknown=len(wanted - {k.id for k in kras}),
        )):
            flash(f"The key result areas for \u201c{section.heading}\u201d have been saved.", "success")
            return redirect_to(url_for("specs.show", slug=slug, spec_id=spec.id) + "#spec-kras")
    return render_template("value/spec_kras.html", alliance=alliance, spec=spec, section=section, kras=kras,
                           form=form), form_status()
