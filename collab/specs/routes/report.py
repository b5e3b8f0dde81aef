"""The "you said, we did" report: the page, its further rows for htmx, and the CSV file."""

from __future__ import annotations

from flask import Response, request
from flask_login import current_user

from collab.csv_export import csv_download
from collab.db import db
from collab.page_cache import cached_page
from collab.security import Permission
from collab.specs import bp, services, views
from collab.specs.routes._common import load_spec
from collab.web import attempt, page_number, render, targets


@bp.get("/alliances/<slug>/specs/<int:spec_id>/you-said-we-did")
@cached_page(Permission.SPEC_VIEW)
def report(slug: str, spec_id: int) -> Response:
    """"You said, we did": every comment by section, with its outcome, response and text change."""
    spec = load_spec(slug, spec_id)
    asked = request.args.get("source") or None
    if targets("report-more"):
        _, chosen = views.report_source(spec, asked)
        return render("specs/report.html", fragment="specs/_report_rows.html", target="report-more",
                      **views.report_rows_context(spec, page_number(), chosen.key if chosen else None))
    return render("specs/report.html", fragment="specs/_report_rows.html", target="report-more",
                  **views.report_context(spec, page_number(), asked))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/you-said-we-did.csv")
def report_csv(slug: str, spec_id: int) -> Response:
    """The "you said, we did" report as a CSV file (one workshop's comments with ``?source=``)."""
    spec = load_spec(slug, spec_id)
    moderator = views.moderator(spec)
    viewer = current_user._get_current_object()
    _, chosen = views.report_source(spec, request.args.get("source") or None)
    source = chosen.key if chosen else None
    if viewer.is_authenticated:  # a visitor of a public alliance downloads without leaving a trace to fill
        attempt(None, lambda: services.record_report_download(db.session, viewer, spec))
    rows = services.report_csv_rows(db.session, spec, viewer, moderator, source)
    name = f"you-said-we-did-spec-{spec.id}" + (f"-{source.replace(':', '-')}" if source else "")
    return csv_download(f"{name}.csv", services.CSV_HEADER, rows)
