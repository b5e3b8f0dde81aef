"""Exports (canonical Markdown, PDF with a signature certificate) and the public pages that
check a version against its published SHA-256."""

from __future__ import annotations

from flask import Response, abort, current_app, make_response, render_template, request
from flask_login import current_user

from collab.agreements import bp, pdf, services, views
from collab.agreements.forms import VerifyForm
from collab.agreements.models import AgreementVersion
from collab.agreements.routes._common import agreement_for, alliance_for, stop, version_for
from collab.db import db
from collab.extensions import limiter
from collab.page_cache import public_for_visitors
from collab.web import attempt


def _download(body: bytes, content_type: str, filename: str) -> Response:
    response = make_response(body)
    response.headers["Content-Type"] = content_type
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/alliances/<slug>/agreement/versions/<int:number>/export.md")
def export_markdown(slug: str, number: int) -> Response:
    """The version's canonical Markdown; its SHA-256 is the published hash."""
    alliance = alliance_for(slug)
    version = version_for(agreement_for(alliance), number)
    if current_user.is_authenticated:  # a public alliance's visitors read without writing to the database
        attempt(None, lambda: services.record_export(db.session, current_user, version, "markdown"))
    return _download(version.canonical_text.encode("utf-8"), "text/markdown; charset=utf-8",
                     f"{alliance.slug}-agreement-v{version.number}.md")


@bp.get("/alliances/<slug>/agreement/versions/<int:number>/export.pdf")
def export_pdf(slug: str, number: int) -> Response:
    """A PDF of the version with a signature certificate page."""
    alliance = alliance_for(slug)
    version = version_for(agreement_for(alliance), number)
    # Links in the PDF come from BASE_URL, never from the request's Host header.
    base_url = current_app.config["BASE_URL"]
    html = render_template("agreements/pdf.html", **views.pdf_page(alliance, version, base_url),
                           large=pdf.wants_large_print(request.args.get("size")))
    try:
        document = pdf.render_pdf(html, base_url + "/")
    except pdf.PdfUnavailable:
        # WeasyPrint loads Pango as it is imported; a server without it answers this, not a 500.
        current_app.logger.exception("PDF export needs Pango: run scripts/check_prereqs.py to see what to install")
        stop(503, "We cannot make PDF files at the moment, because the server is missing a program it needs. "
                  "Please tell the person who runs Collab. You can still download this version as a text file.",
             title="PDF export is not available")
    if current_user.is_authenticated:
        attempt(None, lambda: services.record_export(db.session, current_user, version, "pdf"))
    return _download(document, "application/pdf", f"{alliance.slug}-agreement-v{version.number}.pdf")


@bp.get("/verify/<public_id>")
@public_for_visitors
def verify_version(public_id: str) -> str:
    """Anyone with the link: the version's hash, signatures and whether the stored text still matches."""
    version = services.find_version_by_public_id(db.session, public_id)
    if version is None:
        abort(404)
    return render_template("agreements/verify_version.html", version=version,
                           check=services.verify_version(db.session, version), full=views.may_see_details(version))


@bp.route("/verify", methods=["GET", "POST"])
@limiter.limit("30 per minute", methods=["POST"])
def verify() -> tuple[str, int]:
    """Paste a SHA-256 or upload an exported Markdown file to see whether it matches a published version."""
    form = VerifyForm()
    found = None
    if request.method == "POST" and form.validate_on_submit():
        found = attempt(form, lambda: services.search_by_hash(
            db.session, upload=form.file.data, sha256=form.sha256.data,
        ))
    matches: list[AgreementVersion] | None = found.value.matches if found else None
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template("agreements/verify.html", form=form, results=views.verify_results(matches or []),
                           checked=found.value.checked if found else None, searched=matches is not None), status
