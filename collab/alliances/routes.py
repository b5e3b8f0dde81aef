"""Alliance pages: list, create, home, edit, members, invitations, activity, organisations."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from collab import audit
from collab.accounts import services as accounts
from collab.accounts.forms import NewAccountForm
from collab.accounts.signin import complete_sign_in
from collab.alliances import bp, services
from collab.alliances.access import load_alliance
from collab.alliances.forms import (
    AllianceForm,
    CorrectionForm,
    InvitationForm,
    OrganisationForm,
    RoleForm,
    organisation_choices,
    parse_id,
)
from collab.alliances.models import (
    ORGANISATION_FIELDS,
    Alliance,
    Invitation,
    Membership,
    Organisation,
    OrganisationCorrection,
    Role,
    Visibility,
)
from collab.audit import AuditEntry
from collab.db import db
from collab.errors import DomainError
from collab.forms import BaseForm
from collab.security import Permission, can, membership_for, require, viewable_organisation_ids
from collab.security_log import log_event
from collab.web import form_status, get_or_404, page_number, paginate, redirect_to, render


def _load_membership(alliance: Alliance, membership_id: int) -> Membership:
    return get_or_404(db.session, Membership, membership_id, alliance_id=alliance.id)


def _organisation(form_value: str | None) -> Organisation | None:
    org_id = parse_id(form_value)
    return db.session.get(Organisation, org_id) if org_id else None


# Alliances ----------------------------------------------------------------------


@bp.get("/alliances")
@login_required
def index() -> str:
    """The alliances you belong to, and public ones you could look at."""
    return render_template(
        "alliances/index.html",
        mine=services.alliances_for(db.session, current_user),
        public=services.public_alliances(db.session, exclude_user=current_user),
    )


@bp.get("/alliances/switch")
@login_required
def switch() -> Response:
    """The header's alliance switcher (a plain GET form)."""
    slug = request.args.get("alliance", "")
    alliance = services.get_alliance(db.session, slug) if slug else None
    if alliance is None or not can(Permission.ALLIANCE_VIEW, alliance):
        return redirect(url_for("alliances.index"))  # type: ignore[return-value]
    return redirect(url_for("alliances.home", slug=alliance.slug))  # type: ignore[return-value]


@bp.route("/alliances/new", methods=["GET", "POST"])
@login_required
def create() -> Response | tuple[str, int]:
    """Create an alliance; you become its first commissioner."""
    require(Permission.ALLIANCE_CREATE)
    form = AllianceForm()
    if "preview" not in request.form and form.validate_on_submit():
        alliance = services.create_alliance(
            db.session,
            current_user,
            name=form.name.data,
            purpose=form.purpose.data,
            outcomes=form.outcome_list,
            visibility=Visibility(form.visibility.data),
        )
        db.session.commit()
        flash(f"{alliance.name} has been created. Next, invite its members.", "success")
        return redirect_to(url_for("alliances.home", slug=alliance.slug))
    status = form_status() if "preview" not in request.form else 200
    return render_template("alliances/form.html", form=form, alliance=None), status


@bp.get("/alliances/<slug>")
def home(slug: str) -> str:
    """An alliance's home page: purpose, outcomes, organisations, people and recent activity."""
    alliance = load_alliance(slug)
    # Visitors to a public alliance see its organisations, but not the people in it.
    people = services.people_preview(db.session, alliance) if can(Permission.ALLIANCE_MEMBER_VIEW, alliance) else []
    recent: list[AuditEntry] = []
    if can(Permission.ALLIANCE_ACTIVITY_VIEW, alliance):
        recent = list(
            db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.alliance_id == alliance.id)
                .order_by(AuditEntry.id.desc())
                .limit(5)
            )
        )
    organisations = services.member_organisations(db.session, alliance)
    return render_template(
        "alliances/home.html",
        alliance=alliance,
        organisations=organisations,
        # One query for all the links, however many organisations (not can() per row).
        viewable_organisations=viewable_organisation_ids(current_user, [o.id for o in organisations]),
        people=people,
        recent=recent,
        describe=audit.describe,
        membership=membership_for(current_user, alliance),
    )


@bp.route("/alliances/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str) -> Response | tuple[str, int]:
    """Change the alliance's name, purpose, outcomes and visibility."""
    alliance = load_alliance(slug, Permission.ALLIANCE_EDIT)
    # Filled from plain values, not obj=alliance: its outcomes are rows, the form wants lines.
    form = AllianceForm(
        data={
            "name": alliance.name,
            "purpose": alliance.purpose,
            "outcomes": "\n".join(o.text for o in alliance.outcomes),
            "visibility": alliance.visibility.value,
        }
    )
    if "preview" not in request.form and form.validate_on_submit():
        services.update_alliance(
            db.session,
            current_user,
            alliance,
            name=form.name.data,
            purpose=form.purpose.data,
            outcomes=form.outcome_list,
            visibility=Visibility(form.visibility.data),
        )
        db.session.commit()
        flash("The alliance's details have been saved.", "success")
        return redirect_to(url_for("alliances.home", slug=alliance.slug))
    status = form_status() if "preview" not in request.form else 200
    return render_template("alliances/form.html", form=form, alliance=alliance), status


# Members ------------------------------------------------------------------------


@bp.get("/alliances/<slug>/members")
@login_required
def members(slug: str) -> str:
    """Everyone in the alliance, by role, with controls for commissioners."""
    alliance = load_alliance(slug, Permission.ALLIANCE_MEMBER_VIEW)
    memberships = services.members(db.session, alliance)
    organisations = (
        services.visible_organisations(db.session, current_user)
        if can(Permission.ALLIANCE_MEMBER_MANAGE, alliance) else []
    )
    return render_template(
        "alliances/members.html",
        alliance=alliance,
        people=services.members_by_role(memberships),
        organisation_choices=organisation_choices(organisations),
        membership=membership_for(current_user, alliance),
        errors={},
    )


@bp.post("/alliances/<slug>/members/<int:membership_id>/role")
@login_required
def change_role(slug: str, membership_id: int) -> Response | tuple[str, int]:
    """Change a member's role and organisation."""
    alliance = load_alliance(slug, Permission.ALLIANCE_MEMBER_MANAGE)
    target = _load_membership(alliance, membership_id)
    form = RoleForm()
    form.organisation_id.choices = organisation_choices(services.visible_organisations(db.session, current_user))
    if form.validate_on_submit():
        try:
            services.change_role(
                db.session, current_user, target,
                role=Role(form.role.data), organisation=_organisation(form.organisation_id.data),
            )
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash(f"{target.user.display_name} is now {_article(target.role.label)}.", "success")
            return redirect_to(url_for("alliances.members", slug=alliance.slug))
    return _members_with_errors(alliance, form, target)


@bp.post("/alliances/<slug>/members/<int:membership_id>/remove")
@login_required
def remove_member(slug: str, membership_id: int) -> Response | tuple[str, int]:
    """Remove someone from the alliance."""
    alliance = load_alliance(slug, Permission.ALLIANCE_MEMBER_MANAGE)
    target = _load_membership(alliance, membership_id)
    name = target.user.display_name
    try:
        services.remove_member(db.session, current_user, target)
    except DomainError as error:
        db.session.rollback()
        form = RoleForm()
        form.add_domain_error(error)
        return _members_with_errors(alliance, form, target)
    db.session.commit()
    flash(f"{name} has been removed from the alliance.", "success")
    return redirect_to(url_for("alliances.members", slug=alliance.slug))


def _members_with_errors(alliance: Alliance, form: RoleForm, target: Membership) -> tuple[str, int]:
    messages = [m for f in form for m in f.errors] + list(form.form_errors)
    if not messages:
        messages = ["Select a role"]
    memberships = services.members(db.session, alliance)
    return (
        render_template(
            "alliances/members.html",
            alliance=alliance,
            people=services.members_by_role(memberships),
            organisation_choices=organisation_choices(services.visible_organisations(db.session, current_user)),
            membership=membership_for(current_user, alliance),
            errors={target.id: messages},
        ),
        422,
    )


def _article(label: str) -> str:
    label = label.lower()
    return ("an " if label[0] in "aeiou" else "a ") + label


@bp.route("/alliances/<slug>/leave", methods=["GET", "POST"])
@login_required
def leave(slug: str) -> Response | tuple[str, int]:
    """Leave the alliance (asks to confirm first)."""
    alliance = load_alliance(slug, Permission.ALLIANCE_LEAVE)
    membership = membership_for(current_user, alliance)
    error = None
    if request.method == "POST":
        try:
            services.leave(db.session, membership)
        except DomainError as exc:
            db.session.rollback()
            error = exc.message
        else:
            db.session.commit()
            flash(f"You have left {alliance.name}.", "success")
            return redirect_to(url_for("alliances.index"))
    return render_template("alliances/leave.html", alliance=alliance, error=error), 422 if error else 200


# Invitations --------------------------------------------------------------------


@bp.route("/alliances/<slug>/invitations", methods=["GET", "POST"])
@login_required
def invitations(slug: str) -> Response | tuple[str, int]:
    """Invite people, and see or cancel invitations that have not been used yet."""
    alliance = load_alliance(slug, Permission.ALLIANCE_INVITATION_MANAGE)
    form = InvitationForm()
    form.organisation_id.choices = organisation_choices(services.visible_organisations(db.session, current_user))
    if form.validate_on_submit():
        try:
            services.invite(
                db.session, current_user, alliance,
                email=form.email.data, role=Role(form.role.data),
                organisation=_organisation(form.organisation_id.data),
            )
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
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


@bp.post("/alliances/<slug>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke_invitation(slug: str, invitation_id: int) -> Response | tuple[str, int]:
    """Cancel an invitation so its link stops working."""
    alliance = load_alliance(slug, Permission.ALLIANCE_INVITATION_MANAGE)
    invitation = get_or_404(db.session, Invitation, invitation_id, alliance_id=alliance.id)
    try:
        services.revoke_invitation(db.session, current_user, invitation)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash(f"The invitation to {invitation.email} has been cancelled.", "success")
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
    error = None
    if request.method == "POST":
        if current_user.is_authenticated:
            try:
                services.accept_invitation(db.session, found, current_user)
            except DomainError as exc:
                db.session.rollback()
                error = exc.message
            else:
                db.session.commit()
                flash(f"Welcome to {found.alliance.name}.", "success")
                return redirect_to(url_for("alliances.home", slug=found.alliance.slug))
        elif existing is not None:
            error = "There is already an account with this email address. Sign in to accept the invitation."
        elif form.validate_on_submit():
            try:
                user = accounts.create_user(
                    db.session, found.email, form.password.data, form.display_name.data, check_strength=True
                )
                services.accept_invitation(db.session, found, user)
            except DomainError as exc:
                db.session.rollback()
                if exc.field == "password":  # too easy to guess: say so beside the field
                    form.add_domain_error(exc)
                else:
                    error = exc.message
            else:
                complete_sign_in(user, how="invitation")  # commits
                flash(f"Your account has been created. Welcome to {found.alliance.name}.", "success")
                return redirect_to(url_for("alliances.home", slug=found.alliance.slug))
    status = form_status()
    return (
        render_template(
            "alliances/invitation.html", invitation=found, form=form, existing=existing, error=error, token=token
        ),
        status,
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


# Activity -----------------------------------------------------------------------


@bp.get("/alliances/<slug>/activity")
@login_required
def activity(slug: str) -> str:
    """The alliance's audit trail, newest first, 25 to a page."""
    alliance = load_alliance(slug, Permission.ALLIANCE_ACTIVITY_VIEW)
    stmt = select(AuditEntry).where(AuditEntry.alliance_id == alliance.id).order_by(AuditEntry.id.desc())
    page = paginate(db.session, stmt, page_number(), per_page=25)
    return render_template("alliances/activity.html", alliance=alliance, page=page, describe=audit.describe)


# Organisations ------------------------------------------------------------------


@bp.get("/organisations")
@login_required
def organisations() -> str:
    """The organisations you may see: those in your alliances and those you registered."""
    return render_template(
        "alliances/organisations.html", organisations=services.visible_organisations(db.session, current_user)
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@login_required
def create_organisation() -> Response | tuple[str, int]:
    """Register an organisation."""
    require(Permission.ORGANISATION_CREATE)
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(db.session, current_user, **_organisation_fields(form))
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash(f"{organisation.name} has been registered.", "success")
            return redirect_to(url_for("alliances.organisation", organisation_id=organisation.id))
    return render_template("alliances/organisation_form.html", form=form, organisation=None), form_status()


def _load_organisation(organisation_id: int, permission: Permission) -> Organisation:
    """The organisation in the URL: 404 if missing or not yours to see, 403 if you may not do this."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    require(permission, organisation)
    return organisation


@bp.get("/organisations/<int:organisation_id>")
@login_required
def organisation(organisation_id: int) -> str:
    """An organisation: its details, the alliances it is in that you can see, and proposed corrections."""
    organisation = _load_organisation(organisation_id, Permission.ORGANISATION_VIEW)
    alliances = [
        a for a in services.organisation_alliances(db.session, organisation) if can(Permission.ALLIANCE_VIEW, a)
    ]
    return render_template(
        "alliances/organisation.html",
        organisation=organisation,
        alliances=alliances,
        corrections=services.pending_corrections(db.session, organisation),
        labels=services.FIELD_LABELS,
        show_value=services.show_value,
        current=services.organisation_values(organisation),
        form=BaseForm(),
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@login_required
def edit_organisation(organisation_id: int) -> Response | tuple[str, int]:
    """Change an organisation's details (its representatives and site administrators)."""
    organisation = _load_organisation(organisation_id, Permission.ORGANISATION_EDIT)
    form = OrganisationForm(obj=organisation)
    if request.method == "GET":
        form.org_type.data = organisation.org_type.value
        form.size_band.data = organisation.size_band.value
    if form.validate_on_submit():
        try:
            changed = services.update_organisation(
                db.session, current_user, organisation, **_organisation_fields(form)
            )
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash(f"{organisation.name} has been saved." if changed else "Nothing was changed.", "success")
            return redirect_to(url_for("alliances.organisation", organisation_id=organisation.id))
    return render_template("alliances/organisation_form.html", form=form, organisation=organisation), form_status()


@bp.route("/organisations/<int:organisation_id>/corrections/new", methods=["GET", "POST"])
@login_required
def propose_correction(organisation_id: int) -> Response | tuple[str, int]:
    """Propose a correction to an organisation's details (commissioners of its alliances)."""
    organisation = _load_organisation(organisation_id, Permission.ORGANISATION_CORRECTION_PROPOSE)
    form = CorrectionForm(obj=organisation)
    if request.method == "GET":
        form.org_type.data = organisation.org_type.value
        form.size_band.data = organisation.size_band.value
        form.reason.data = ""
    if form.validate_on_submit():
        try:
            services.propose_correction(
                db.session, current_user, organisation, reason=form.reason.data, **_organisation_fields(form)
            )
        except DomainError as error:
            db.session.rollback()
            form.add_domain_error(error)
        else:
            db.session.commit()
            flash(
                f"Your correction has been sent to the people who represent {organisation.name}. "
                "Nothing changes until one of them accepts it.",
                "success",
            )
            return redirect_to(url_for("alliances.organisation", organisation_id=organisation.id))
    return (
        render_template("alliances/correction_form.html", form=form, organisation=organisation),
        form_status(),
    )


@bp.post("/organisations/<int:organisation_id>/corrections/<int:correction_id>/accept")
@login_required
def accept_correction(organisation_id: int, correction_id: int) -> Response:
    """Accept a proposed correction, changing the organisation (its representatives)."""
    return _decide_correction(organisation_id, correction_id, accept=True)


@bp.post("/organisations/<int:organisation_id>/corrections/<int:correction_id>/decline")
@login_required
def decline_correction(organisation_id: int, correction_id: int) -> Response:
    """Decline a proposed correction; nothing changes (its representatives)."""
    return _decide_correction(organisation_id, correction_id, accept=False)


def _decide_correction(organisation_id: int, correction_id: int, *, accept: bool) -> Response:
    organisation = _load_organisation(organisation_id, Permission.ORGANISATION_CORRECTION_DECIDE)
    correction = get_or_404(db.session, OrganisationCorrection, correction_id, organisation_id=organisation.id)
    if not BaseForm().validate_on_submit():
        abort(400)
    decide = services.accept_correction if accept else services.decline_correction
    try:
        decide(db.session, current_user, correction)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "info")
    else:
        db.session.commit()
        flash(
            f"The correction has been accepted and {organisation.name}'s details are updated."
            if accept else "The correction has been declined. Nothing was changed.",
            "success",
        )
    return redirect_to(url_for("alliances.organisation", organisation_id=organisation.id))


def _organisation_fields(form: OrganisationForm) -> dict[str, object]:
    return {name: getattr(form, name).data for name in ORGANISATION_FIELDS}
