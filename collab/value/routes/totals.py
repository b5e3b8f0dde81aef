"""The alliance's value page and its CSV files."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, current_app, render_template
from flask_login import current_user, login_required

from collab.agreements import pdf
from collab.alliances.models import Alliance
from collab.csv_export import csv_download
from collab.db import db, utcnow
from collab.page_cache import cached_page
from collab.security import Permission
from collab.value import bp, in_kind, services, views
from collab.value.routes._common import value_alliance
from collab.value.services import ocds
from collab.web import attempt


def _in_kind_changes_at(alliance: Alliance) -> datetime | None:
    """The value page counts bookings once they have ended: it changes then, without any write."""
    return in_kind.next_in_kind_change(db.session, alliance, utcnow())


@bp.get("/alliances/<slug>/value")
@cached_page(Permission.VALUE_VIEW, changes_at=_in_kind_changes_at)
@login_required
def value_page(slug: str) -> str:
    """Committed against delivered, by theme, organisation, size and period; counts apart from money."""
    alliance = value_alliance(slug)
    return render_template("value/index.html", **views.value_page_context(alliance))


@bp.get("/alliances/<slug>/value/<table>.csv")
@login_required
def export(slug: str, table: str) -> Response:
    """One of the value page's tables as a CSV file."""
    alliance = value_alliance(slug)
    exported = views.csv_table(alliance, services.value_totals(db.session, alliance), table)
    if exported is None:
        abort(404)
    header, rows = exported
    attempt(None, lambda: services.record_download(db.session, current_user, alliance, table, "csv"))
    return csv_download(f"{alliance.slug}-value-{table}.csv", header, rows)


@bp.get("/alliances/<slug>/value/open-contracting.json")
@login_required
def open_contracting(slug: str) -> Response:
    """The alliance's contracting process as an OCDS 1.1 release package (JSON download)."""
    alliance = value_alliance(slug)
    package = ocds.release_package(db.session, alliance, ocid_prefix=current_app.config["OCDS_OCID_PREFIX"],
                                   base_url=current_app.config["BASE_URL"], now=utcnow())
    attempt(None, lambda: services.record_download(db.session, current_user, alliance, "open-contracting", "json"))
    response = Response(ocds.dumps(package), content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{alliance.slug}-open-contracting.json"'
    return response


@bp.get("/alliances/<slug>/value/report.pdf")
@login_required
def report_pdf(slug: str) -> Response:
    """A printable value report of the alliance (PDF): social value, scorecard, open book, risk and reward."""
    alliance = value_alliance(slug)
    base_url = current_app.config["BASE_URL"]
    html = render_template("value/report_pdf.html", **views.report_pdf_context(alliance, base_url))
    try:
        document = pdf.render_pdf(html, base_url + "/")
    except pdf.PdfUnavailable:
        current_app.logger.exception("PDF export needs Pango: run scripts/check_prereqs.py to see what to install")
        abort(503, "We cannot make PDF files at the moment, because the server is missing a program it needs. "
                   "You can still download every table as a CSV file.")
    attempt(None, lambda: services.record_download(db.session, current_user, alliance, "report", "pdf"))
    response = Response(document, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{alliance.slug}-value-report.pdf"'
    return response
