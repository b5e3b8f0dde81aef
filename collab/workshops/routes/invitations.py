"""Invitations and replies: inviting people, replying, the organisers' list with access needs, attendance, payments."""

from __future__ import annotations

from flask import Response, flash, render_template, request
from flask_login import current_user, login_required

from collab.alliances.models import Role
from collab.csv_export import csv_download
from collab.db import db
from collab.security import Permission
from collab.web import Caught, attempt, form_status, redirect_to
from collab.workshops import bp, services, views
from collab.workshops.forms import AttendanceForm, InviteForm, ReplyForm
from collab.workshops.models import Reply
from collab.workshops.routes._common import load_workshop


@bp.route("/alliances/<slug>/workshops/<int:workshop_id>/invite", methods=["GET", "POST"])
@login_required
def invite(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Invite chosen members, or everyone with a role."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = InviteForm()
    members = services.members_of(db.session, workshop)
    invited = {i.user_id for i in services.invitees(db.session, workshop)}
    if form.validate_on_submit() and (done := attempt(form, lambda: services.invite(
        db.session, current_user, workshop, user_ids=form.people.data or [], roles=form.roles.data or [],
        url=views.workshop_url(workshop, _external=True),
    ))):
        count = len(done.value)
        flash(f"{count} {'person has' if count == 1 else 'people have'} been invited." if count
              else "Everyone you chose was already invited.", "success")
        return redirect_to(views.workshop_url(workshop, "workshops.people"))
    return render_template("workshops/invite.html", alliance=workshop.alliance, workshop=workshop, form=form,
                           members=members, invited=invited, roles=list(Role)), form_status()


@bp.route("/alliances/<slug>/workshops/<int:workshop_id>/reply", methods=["GET", "POST"])
@login_required
def reply(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Say if you can come, what would help you take part, and whether you claim the payment."""
    workshop = load_workshop(slug, workshop_id)
    mine = services.invitee_for(db.session, workshop, current_user)
    form = ReplyForm()
    if request.method == "GET" and mine is not None:
        form.reply.data = "yes" if mine.reply in (Reply.YES, Reply.WAITING) else (
            mine.reply.value if mine.reply != Reply.PENDING else None)
        form.access_needs.data = list(mine.access_needs)
        form.access_needs_other.data = mine.access_needs_other
        form.claims_payment.data = mine.claims_payment
        form.named_in_exports.data = mine.named_in_exports
    if form.validate_on_submit() and (done := attempt(form, lambda: services.reply(
        db.session, current_user, workshop, form.reply.data or "", access_needs=form.access_needs.data or [],
        access_needs_other=form.access_needs_other.data or "", claims_payment=form.claims_payment.data,
        named_in_exports=form.named_in_exports.data, url=views.workshop_url(workshop, _external=True),
    ))):
        answer = done.value.invitee.reply
        flash({
            Reply.YES: "Thank you. You have a place. You can add it to your calendar below.",
            Reply.WAITING: f"The workshop is full, so you are on the waiting list (number "
                           f"{_queue_place(workshop, done.value.invitee.id)}). We will tell you if a place comes free.",
            Reply.MAYBE: "Thank you. Please tell us when you know.",
            Reply.NO: "Thank you for letting us know.",
        }.get(answer, "Your reply has been saved."), "success")
        return redirect_to(views.workshop_url(workshop))
    return render_template("workshops/reply.html", alliance=workshop.alliance, workshop=workshop, form=form,
                           mine=mine, when=views.when(workshop)), form_status()


def _queue_place(workshop: object, invitee_id: int) -> int:
    waiting = [i for i in services.invitees(db.session, workshop) if i.reply == Reply.WAITING]  # type: ignore[arg-type]
    return next((n for n, i in enumerate(waiting, start=1) if i.id == invitee_id), len(waiting))


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>/people")
@login_required
def people(slug: str, workshop_id: int) -> str:
    """Organisers: who is invited, their replies, the waiting list, and access needs to plan for."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ACCESS_NEEDS_VIEW)
    return render_template("workshops/people.html", **views.people_context(workshop),
                           attendance_form=AttendanceForm(), error="")


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/attendance")
@login_required
def attendance(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Mark who came (for the report and the participation payments)."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = AttendanceForm()
    caught = Caught()
    if form.validate_on_submit() and (done := attempt(caught, lambda: services.mark_attendance(
        db.session, current_user, workshop, form.came.data or [],
    ))):
        flash(f"Attendance saved: {done.value} came.", "success")
        return redirect_to(views.workshop_url(workshop, "workshops.people"))
    return render_template("workshops/people.html", **views.people_context(workshop), attendance_form=form,
                           error=caught.message or "Something went wrong. Try again."), 422


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>/payments.csv")
@login_required
def payments_csv(slug: str, workshop_id: int) -> Response:
    """The participation payment list: people who came and claimed it."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    paying = services.payment_list(db.session, workshop)
    attempt(None, lambda: services.record_payment_export(db.session, current_user, workshop, len(paying)))
    amount = f"{workshop.payment_pence / 100:.2f}"
    rows = [[i.user.display_name, i.user.email, workshop.local_start.date().isoformat(), workshop.title, amount]
            for i in paying]
    return csv_download(f"workshop-{workshop.id}-payments.csv",
                        ["Name", "Email", "Workshop date", "Workshop", "Amount (GBP)"], rows)
