"""Loading value objects for a route: 404 when missing, in another alliance, or not visible."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from collab.alliances.access import load_alliance
from collab.alliances.models import Alliance
from collab.db import db
from collab.security import Permission, membership_for, require
from collab.value.models import ValueCommitment, ValueMeasure, ValueReport
from collab.web import get_or_404


def value_alliance(slug: str, permission: Permission = Permission.VALUE_VIEW) -> Alliance:
    """The alliance in the URL, with ``permission`` required (404 for people outside it)."""
    alliance = load_alliance(slug)
    require(permission, alliance)
    return alliance


def load_measure(alliance: Alliance, measure_id: int) -> ValueMeasure:
    return get_or_404(db.session, ValueMeasure, measure_id, alliance_id=alliance.id)


def load_commitment(alliance: Alliance, commitment_id: int) -> ValueCommitment:
    return get_or_404(db.session, ValueCommitment, commitment_id, alliance_id=alliance.id)


def load_report(alliance: Alliance, report_id: int) -> ValueReport:
    report = db.session.get(ValueReport, report_id)
    if report is None or report.commitment.alliance_id != alliance.id:
        abort(404)
    return report


def own_organisation_id(alliance: Alliance) -> int | None:
    """The organisation the signed-in person represents in this alliance, if any."""
    membership = membership_for(current_user, alliance)
    return membership.organisation_id if membership is not None else None
