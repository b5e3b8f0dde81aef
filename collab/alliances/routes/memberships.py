"""Membership pages: the members list, changing roles, removing someone, leaving."""

from __future__ import annotations

from flask import Response, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances import bp, services, views
from collab.alliances.access import load_alliance
from collab.alliances.forms import RoleForm, organisation_choices
from collab.alliances.models import Alliance, Membership, Role
from collab.alliances.routes._common import article, chosen_organisation, load_membership
from collab.db import db
from collab.security import Permission, membership_for
from collab.web import Caught, attempt, redirect_to


@bp.get("/alliances/<slug>/members")
@login_required
def members(slug: str) -> str:
    """Everyone in the alliance, by role, with controls for commissioners."""
    alliance = load_alliance(slug, Permission.ALLIANCE_MEMBER_VIEW)
    return render_template("alliances/members.html", **views.members_page(alliance))


@bp.post("/alliances/<slug>/members/<int:membership_id>/role")
@login_required
def change_role(slug: str, membership_id: int) -> Response | tuple[str, int]:
    """Change a member's role and organisation."""
    alliance = load_alliance(slug, Permission.ALLIANCE_MEMBER_MANAGE)
    target = load_membership(alliance, membership_id)
    form = RoleForm()
    form.organisation_id.choices = organisation_choices(services.visible_organisations(db.session, current_user))
    if form.validate_on_submit() and attempt(form, lambda: services.change_role(
        db.session, current_user, target,
        role=Role(form.role.data), organisation=chosen_organisation(form.organisation_id.data),
    )):
        flash(f"{target.user.display_name} is now {article(target.role.label)}.", "success")
        return redirect_to(url_for("alliances.members", slug=alliance.slug))
    return _members_with_errors(alliance, form, target)


@bp.post("/alliances/<slug>/members/<int:membership_id>/remove")
@login_required
def remove_member(slug: str, membership_id: int) -> Response | tuple[str, int]:
    """Remove someone from the alliance."""
    alliance = load_alliance(slug, Permission.ALLIANCE_MEMBER_MANAGE)
    target = load_membership(alliance, membership_id)
    name = target.user.display_name
    form = RoleForm()
    if not attempt(form, lambda: services.remove_member(db.session, current_user, target)):
        return _members_with_errors(alliance, form, target)
    flash(f"{name} has been removed from the alliance.", "success")
    return redirect_to(url_for("alliances.members", slug=alliance.slug))


def _members_with_errors(alliance: Alliance, form: RoleForm, target: Membership) -> tuple[str, int]:
    """The members page again with the form's messages beside the member it was about (422)."""
    messages = [m for f in form for m in f.errors] + list(form.form_errors)
    if not messages:
        messages = ["Select a role"]
    return render_template("alliances/members.html", **views.members_page(alliance, {target.id: messages})), 422


@bp.route("/alliances/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug: str) -> Response | tuple[str, int]:
    """Leave the alliance (asks to confirm first)."""
    alliance = load_alliance(slug, Permission.ALLIANCE_LEAVE)
    membership = membership_for(current_user, alliance)
    assert membership is not None  # ALLIANCE_LEAVE is granted to members only
    caught = Caught()
    if request.method == "POST" and attempt(caught, lambda: services.leave(db.session, membership)):
        flash(f"You have left {alliance.name}.", "success")
        return redirect_to(url_for("alliances.index"))
    return render_template("alliances/leave.html", alliance=alliance, error=caught.message), 422 if caught.error else 200
