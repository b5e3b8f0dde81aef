"""Reading pages: the list of specifications, a specification as shared, its versions and their differences."""

from __future__ import annotations

from flask import Response, abort, current_app, make_response, render_template, request, url_for
from flask_login import current_user

from collab.alliances.access import load_alliance
from collab.db import db
from collab.documents import pdf
from collab.page_cache import cached_page
from collab.security import Permission, can
from collab.specs import bp, services, views
from collab.specs.routes._common import load_spec
from collab.web import attempt, query_id, redirect_to, render, targets  # trust-web: query_id


@bp.get("/alliances/<slug>/specs")
def index(slug: str) -> str:
    """The alliance's service specifications."""
    alliance = load_alliance(slug, Permission.SPEC_VIEW)
    specs = services.specs_for(db.session, alliance)
    return render_template(
        "specs/index.html", alliance=alliance, specs=specs,
        counts=services.spec_outcome_counts(db.session, [s.id for s in specs]),
    )


@bp.get("/alliances/<slug>/specs/<int:spec_id>")
@cached_page(Permission.SPEC_VIEW)
def show(slug: str, spec_id: int) -> Response | str:
    """The specification as shared: every paragraph, with its comments during consultation."""
    spec = load_spec(slug, spec_id)
    if spec.current_version_id is None:
        if can(Permission.SPEC_EDIT, spec):
            return redirect_to(url_for("specs.draft", slug=slug, spec_id=spec.id))
        return render_template("specs/not_shared.html", alliance=spec.alliance, spec=spec)
    version = spec.current_version
    assert version is not None
    context = views.show_context(spec, version, query_id("from"))
    if targets("spec-more"):
        return render("specs/show.html", fragment="specs/_sections.html", target="spec-more", **context)
    return render("specs/show.html", fragment="specs/_sections.html", target="spec-more",
                  **views.show_page_extras(spec), **context)


@bp.get("/alliances/<slug>/specs/<int:spec_id>/versions")
def versions(slug: str, spec_id: int) -> str:
    """Every shared version, with a form to compare any two."""
    spec = load_spec(slug, spec_id)
    return render_template("specs/versions.html", alliance=spec.alliance, spec=spec,
                           versions=services.versions_of(db.session, spec))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/versions/<int:number>")
def version(slug: str, spec_id: int, number: int) -> str:
    """One frozen version as it was shared."""
    spec = load_spec(slug, spec_id)
    found = services.get_version(db.session, spec, number)
    if found is None:
        abort(404)
    return render_template("specs/version.html", alliance=spec.alliance, spec=spec, version=found,
                           sections=views.version_sections(found))


@bp.get("/alliances/<slug>/specs/<int:spec_id>/compare")
@cached_page(Permission.SPEC_VIEW)
def compare(slug: str, spec_id: int) -> tuple[str, int] | str:
    """Word-level differences between two versions, section by section."""
    spec = load_spec(slug, spec_id)
    context = views.compare_context(spec, query_id("from"), query_id("to"))
    if context["error"]:
        return render_template("specs/compare.html", **context), 422 if request.args else 200
    return render_template("specs/compare.html", **context)


@bp.get("/alliances/<slug>/specs/<int:spec_id>/versions/<int:number>/export.pdf")
def export_pdf(slug: str, spec_id: int, number: int) -> Response:
    """A version as a PDF for workshops and board papers; ``?size=large`` for large print."""
    spec = load_spec(slug, spec_id)
    found = services.get_version(db.session, spec, number)
    if found is None:
        abort(404)
    large = pdf.wants_large_print(request.args.get("size"))
    html = render_template("specs/pdf.html", alliance=spec.alliance, spec=spec, version=found, large=large,
                           link=current_app.config["BASE_URL"] + url_for("specs.version", slug=slug, spec_id=spec.id,
                                                                         number=found.number))
    try:
        document = pdf.render_pdf(html, current_app.config["BASE_URL"] + "/")
    except pdf.PdfUnavailable:
        current_app.logger.exception("PDF export needs Pango: run scripts/check_prereqs.py to see what to install")
        abort(Response(render_template("errors/error.html", code=503, title="PDF export is not available",
                                       message=pdf.UNAVAILABLE + " You can still read and print this page."), 503))
    if current_user.is_authenticated:  # a public alliance's visitors read without writing to the database
        attempt(None, lambda: services.record_pdf_download(db.session, current_user, spec, found.number, large))
    response = make_response(document)
    response.headers["Content-Type"] = "application/pdf"
    name = f"spec-{spec.id}-v{found.number}{'-large-print' if large else ''}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
