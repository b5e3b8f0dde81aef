"""Signing a published version for your organisation."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.agreements import bp, services, views
from collab.agreements.forms import SignForm
from collab.agreements.routes._common import agreement_for, alliance_for, stop, version_for
from collab.db import db
from collab.extensions import limiter
from collab.security import Permission
from collab.web import attempt, form_status, redirect_to


@bp.route("/alliances/<slug>/agreement/versions/<int:number>/sign", methods=["GET", "POST"])
@login_required
# Re-entering the password must not become a way to guess it: failed attempts are limited.
@limiter.limit("10 per 15 minutes", methods=["POST"], deduct_when=lambda response: response.status_code == 422)
def sign(slug: str, number: int) -> Response | tuple[str, int]:
    """Sign a version for your organisation: password, full name and the explicit statement."""
    alliance = alliance_for(slug, Permission.AGREEMENT_SIGN)
    agreement = agreement_for(alliance)
    version = version_for(agreement, number)
    membership = services.signing_organisation(db.session, alliance, current_user)
    if membership is None or membership.organisation is None:
        abort(403)
    organisation = membership.organisation
    existing = services.signature_status(db.session, version).signed.get(organisation.id)
    form = SignForm()
    if existing is None and not services.can_be_signed(db.session, version):
        stop(409, "A newer version has replaced this one, so it can no longer be signed.")
    version_url = url_for("agreements.show_version", slug=alliance.slug, number=version.number)
    already = f"{organisation.name} has already signed version {version.number}. Nothing more to do."
    if request.method == "POST" and existing is not None:
        flash(already, "info")
        return redirect_to(version_url)
    if request.method == "POST" and form.validate_on_submit():
        try:
            done = attempt(form, lambda: services.sign(
                db.session, current_user, version, password=form.password.data, typed_name=form.typed_name.data,
                confirmed=bool(form.confirm.data), ip_address=request.remote_addr or "",
                user_agent=request.headers.get("User-Agent", ""), version_url=version_url,
                read_sha256=form.sha256.data or "",
            ), passes=(services.AlreadySigned,))
        except services.AlreadySigned:
            flash(already, "info")
            return redirect_to(version_url)
        if done:
            flash(f"You have signed version {version.number} for {organisation.name}.", "success")
            return redirect_to(version_url)
    if request.method == "POST":
        form.password.data = ""
    return render_template(
        "agreements/sign.html", **views.sign_page(alliance, agreement, version, organisation, form, existing)
    ), form_status()
