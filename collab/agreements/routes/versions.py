"""Version pages: publish the draft as the next version, the list of versions, one version,
and comparing two versions clause by clause."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.agreements import bp, services, views
from collab.agreements.forms import PublishForm
from collab.agreements.routes._common import agreement_for, alliance_for, version_for
from collab.db import db
from collab.page_cache import cached_page
from collab.security import Permission
from collab.web import attempt, query_id, redirect_to


@bp.route("/alliances/<slug>/agreement/publish", methods=["GET", "POST"])
@login_required
def publish(slug: str) -> Response | tuple[str, int]:
    """Check, then publish the current clauses as the next version."""
    alliance = alliance_for(slug, Permission.AGREEMENT_VERSION_PUBLISH)
    agreement = agreement_for(alliance)
    form = PublishForm()
    latest = services.latest_version(db.session, agreement)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if latest is not None and not latest.is_in_force and not form.replace_unsigned.data:
            # The version still being signed would stop being signable: say so, and ask again.
            form.replace_unsigned.errors = [
                f"Version {latest.number} is still being signed. Tick the box to say you understand, or cancel"
            ]
        elif done := attempt(form, lambda: services.publish(db.session, current_user, agreement)):
            number = done.value.number
            flash(f"Version {number} has been published. Each member organisation can now sign it.", "success")
            return redirect_to(url_for("agreements.show_version", slug=alliance.slug, number=number))
    return render_template("agreements/publish.html", **views.publish_page(alliance, agreement, form)), (
        422 if form.form_errors or form.replace_unsigned.errors else 200
    )


@bp.get("/alliances/<slug>/agreement/versions")
def versions(slug: str) -> str:
    """Every published version with its date, SHA-256 and signatures."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    return render_template("agreements/versions.html", **views.versions_page(alliance, agreement))


@bp.get("/alliances/<slug>/agreement/versions/<int:number>")
def show_version(slug: str, number: int) -> str:
    """One published version: its text, SHA-256, signatures and downloads."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    version = version_for(agreement, number)
    return render_template("agreements/version.html", **views.version_page(alliance, agreement, version))


@bp.get("/alliances/<slug>/agreement/compare")
@cached_page(Permission.AGREEMENT_VIEW)
def compare(slug: str) -> str:
    """Compare any two versions clause by clause (?from=1&to=2)."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    numbers = [v.number for v in services.versions(db.session, agreement)]
    a, b = query_id("from"), query_id("to")
    if a is None or b is None:
        if request.args.get("from") or request.args.get("to"):
            abort(404)  # a version number that cannot exist, such as 9223372036854775808
        if not numbers:
            abort(404)
        b = numbers[0]
        a = numbers[1] if len(numbers) > 1 else numbers[0]
    older, newer = version_for(agreement, min(a, b)), version_for(agreement, max(a, b))
    return render_template("agreements/compare.html", alliance=alliance, agreement=agreement, older=older, newer=newer,
                           rows=services.compare_versions(older, newer), numbers=sorted(numbers))
