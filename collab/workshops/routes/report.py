"""The printable workshop report."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from collab.db import db
from collab.workshops import bp, services, views
from collab.workshops.routes._common import load_workshop


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>/report")
@login_required
def report(slug: str, workshop_id: int) -> str:
    """Attendance by role (counts only), ideas by theme with votes, decisions, actions, proposals raised."""
    workshop = load_workshop(slug, workshop_id)
    return render_template("workshops/report.html", alliance=workshop.alliance, workshop=workshop,
                           when=views.when(workshop), report=services.build_report(db.session, workshop),
                           organiser=views.organiser(workshop))
