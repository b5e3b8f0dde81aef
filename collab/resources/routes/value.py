"""The value of sharing: totals by organisation, kind and month, as a chart, a table and a CSV file."""

from __future__ import annotations

from flask import Response, render_template
from flask_login import current_user, login_required

from collab.alliances.access import load_alliance
from collab.csv_export import csv_download
from collab.db import db
from collab.resources import bp, services
from collab.resources.views import bar_chart, month_label
from collab.security import Permission
from collab.web import attempt


@bp.get("/alliances/<slug>/resources/value")
@login_required
def value(slug: str) -> str:
    """What members have shared with each other, in pounds."""
    alliance = load_alliance(slug, Permission.RESOURCE_VIEW)
    report = services.value_report(db.session, alliance)
    months = {month_label(k): v for k, v in report.by_month.items()}
    charts = [
        ("given", bar_chart("Value shared, by the organisation that gave it", report.given)),
        ("received", bar_chart("Value received, by the organisation that used it", report.received)),
        ("kind", bar_chart("Value shared, by kind of resource", report.by_kind)),
        ("month", bar_chart("Value shared, by month", months)),
    ]
    return render_template("resources/value.html", alliance=alliance, report=report, charts=charts)


@bp.get("/alliances/<slug>/resources/value.csv")
@login_required
def value_csv(slug: str) -> Response:
    """Every completed booking and its value, as a spreadsheet."""
    alliance = load_alliance(slug, Permission.RESOURCE_VIEW)
    attempt(None, lambda: services.record_value_download(db.session, current_user, alliance))
    report = services.value_report(db.session, alliance)
    return csv_download(f"{alliance.slug}-shared-resources-value.csv", services.CSV_HEADER, services.csv_rows(report))
