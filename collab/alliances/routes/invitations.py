"""Invitation pages: inviting people, cancelling an invitation, following an invitation link."""

from __future__ import annotations

from flask import Response, current_app, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.accounts import services as accounts
from collab.accounts.forms import NewAccountForm
from collab.accounts.signin import complete_sign_in
from collab.alliances import bp, services
from collab.alliances.access import load_alliance
from collab.alliances.forms import InvitationForm, organisation_choices
from collab.alliances.models import Invitation, Role
from collab.alliances.routes._common import chosen_organisation
from collab.db import db
from collab.mail import external_url
from collab.security import Permission
from collab.security_log import log_event
from collab.web import Caught, attempt, form_status, get_or_404, redirect_to, render


@bp.route("/alliances/<slug>/invitations", methods=["GET", "POST"])
@login_required
def invitations(slug: str) -> Response | tuple[str, int]:
    """Invite people, and see or cancel invitations that have not been used yet."""
    alliance = load_alliance(slug, Permission.ALLIANCE_INVITATION_MANAGE)
    form = InvitationForm()
    form.organisation_id.choices = organisation_choices(services.visible_organisations(db.session, current_user))
    if form.validate_on_submit() and attempt(form, lambda: services.invite(
        db.session, current_user, alliance, email=form.email.data, role=Role(form.role.data),
        organisation=chosen_organisation(form.organisation_id.data),
        link_for=_invitation_link, valid_days=current_app.config["INVITATION_DAYS"],
    )):
        flash(f"An invitation has been sent to {accounts.normalise_email(form.email.data)}.", "success")
        return redirect_to(url_for("alliances.invitations", slug=alliance.slug))
    return render(
        "alliances/invitations.html",
        fragment="alliances/_invitation_form.html",
        target="invitation-form",
        status=form_status(),
        alliance=alliance,
        form=form,
        pending=services.pending_invitations(db.session, alliance),
    )


def _invitation_link(token: str) -> str:
    """The absolute link an invitation email carries."""
    return external_url(url_for("alliances.invitation", token=token))


@bp.post("/alliances/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug: str, invitation_id: int) -> Response | tuple[str, int]:
    """Cancel an invitation so its link stops working."""
    alliance = load_alliance(slug, Permission.ALLIANCE_INVITATION_MANAGE)
    invitation = get_or_404(db.session, Invitation, invitation_id, alliance_id=alliance.id)
    caught = Caught()
    if attempt(caught, lambda: services.revoke_invitation(db.session, current_user, invitation)):
        flash(f"The invitation to {invitation.email} has been cancelled.", "success")
    else:
        flash(caught.message, "info")
    return redirect_to(url_for("alliances.invitations", slug=alliance.slug))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Response | tuple[str, int]:
    """Someone follows an invitation link: join if signed in, or create an account."""
    found = services.find_invitation(db.session, token)
    if found is None or not found.is_pending:
        return render_template("alliances/invitation_invalid.html", invitation=found), 404
    if current_user.is_authenticated and not services.is_invited(found, current_user):
        return _invitation_for_someone_else(found)
    existing = accounts.find_by_email(db.session, found.email)
    form = NewAccountForm()
    caught = Caught()
    error = None
    if request.method == "POST":
        if current_user.is_authenticated:
            if attempt(caught, lambda: services.accept_invitation(db.session, found, current_user)):
                flash(f"Welcome to {found.alliance.name}.", "success")
                return redirect_to(url_for("alliances.home", slug=found.alliance.slug))
        elif existing is not None:
            error = "There is already an account with this email address. Sign in to accept the invitation."
        elif form.validate_on_submit():
            done = attempt(caught, lambda: services.join_with_new_account(
                db.session, found, display_name=form.display_name.data, password=form.password.data,
            ))
            if done:
                complete_sign_in(done.value.user, how="invitation")  # commits the new session
                flash(f"Your account has been created. Welcome to {found.alliance.name}.", "success")
                return redirect_to(url_for("alliances.home", slug=found.alliance.slug))
            if caught.error is not None and caught.error.field == "password":  # too easy to guess: beside the field
                form.add_domain_error(caught.error)
                caught.error = None
    error = error or caught.message
    return (
        render_template(
            "alliances/invitation.html", invitation=found, form=form, existing=existing, error=error, token=token
        ),
        form_status(),
    )


def _invitation_for_someone_else(invitation: Invitation) -> tuple[str, int]:
    """Someone signed in as another person followed the link: explain, change nothing."""
    log_event(
        "invitation-wrong-account", invitation_id=invitation.id, alliance_id=invitation.alliance_id,
    )
    return (
        render_template(
            "alliances/invitation_wrong_account.html",
            invitation=invitation,
            masked_email=services.mask_email(invitation.email),
        ),
        403,
    )
