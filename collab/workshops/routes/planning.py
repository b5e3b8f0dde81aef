"""Planning pages: the list, scheduling, changing or cancelling a workshop, its agenda, its .ics file."""

from __future__ import annotations

from decimal import Decimal

from flask import Response, abort, flash, make_response, render_template, request, url_for
from flask_login import current_user, login_required

from collab.alliances.access import load_alliance
from collab.db import db
from collab.security import Permission
from collab.web import Flashed, attempt, form_status, redirect_to
from collab.workshops import bp, services, views
from collab.workshops.forms import AgendaItemForm, CancelForm, ConfirmForm, MoveItemForm, UsualPaymentForm, WorkshopForm
from collab.workshops.models import Workshop
from collab.workshops.routes._common import load_item, load_workshop


def _plan(form: WorkshopForm) -> services.Plan:
    pounds = form.payment.data or Decimal(0)
    return services.Plan(
        title=form.title.data or "", purpose=form.purpose.data or "", day=form.day.data, start=form.start.data,
        end=form.end.data, in_person=form.in_person.data, address=form.address.data or "",
        step_free=form.step_free.data, hearing_loop=form.hearing_loop.data, quiet_room=form.quiet_room.data,
        accessible_toilets=form.accessible_toilets.data, access_notes=form.access_notes.data or "",
        online=form.online.data, meeting_link=form.meeting_link.data or "", capacity=form.capacity.data or 0,
        payment_pence=int(pounds * 100),
    )


@bp.get("/alliances/<slug>/workshops")
@login_required
def index(slug: str) -> str:
    """Upcoming and past workshops."""
    alliance = load_alliance(slug, Permission.WORKSHOP_VIEW)
    upcoming, past = services.workshops_for(db.session, alliance)
    return render_template("workshops/index.html", alliance=alliance, upcoming=upcoming, past=past, when=views.when)


@bp.route("/alliances/<slug>/workshops/new", methods=["GET", "POST"])
@login_required
def new(slug: str) -> Response | tuple[str, int]:
    """Schedule a workshop."""
    alliance = load_alliance(slug, Permission.WORKSHOP_ORGANISE)
    form = WorkshopForm()
    if request.method == "GET":
        form.in_person.data = True
        form.capacity.data = 20
        usual = services.usual_payment(db.session, alliance)  # the alliance's usual rate; this workshop may differ
        form.payment.data = Decimal(usual) / 100 if usual else None
    if form.validate_on_submit() and (
        done := attempt(form, lambda: services.schedule(db.session, current_user, alliance, _plan(form)))
    ):
        flash("The workshop is scheduled. Now add its agenda and invite people.", "success")
        return redirect_to(views.workshop_url(done.value))
    return render_template("workshops/edit.html", alliance=alliance, form=form, workshop=None), form_status()


@bp.route("/alliances/<slug>/workshops/usual-payment", methods=["GET", "POST"])
@login_required
def usual_payment(slug: str) -> Response | tuple[str, int]:
    """Organisers: the participation payment new workshops start with."""
    alliance = load_alliance(slug, Permission.WORKSHOP_ORGANISE)
    form = UsualPaymentForm()
    if request.method == "GET":
        usual = services.usual_payment(db.session, alliance)
        form.payment.data = Decimal(usual) / 100 if usual else None
    if form.validate_on_submit() and attempt(form, lambda: services.set_usual_payment(
        db.session, current_user, alliance, int((form.payment.data or Decimal(0)) * 100),
    )):
        flash("The usual participation payment has been saved. Workshops already planned keep their own.", "success")
        return redirect_to(url_for("workshops.index", slug=alliance.slug))
    return render_template("workshops/usual_payment.html", alliance=alliance, form=form), form_status()


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>")
@login_required
def show(slug: str, workshop_id: int) -> str:
    """A workshop: when and where, access, the agenda, and your reply."""
    workshop = load_workshop(slug, workshop_id)
    return render_template("workshops/show.html", **views.show_context(workshop))


def _fill(form: WorkshopForm, workshop: Workshop) -> None:
    form.title.data, form.purpose.data = workshop.title, workshop.purpose
    form.day.data, form.start.data, form.end.data = (workshop.local_start.date(), workshop.local_start.time(),
                                                     workshop.local_end.time())
    for name in ("in_person", "address", "step_free", "hearing_loop", "quiet_room", "accessible_toilets",
                 "access_notes", "online", "meeting_link", "capacity"):
        getattr(form, name).data = getattr(workshop, name)
    form.payment.data = Decimal(workshop.payment_pence) / 100 if workshop.payment_pence else None


@bp.route("/alliances/<slug>/workshops/<int:workshop_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Change a workshop's details; people coming are told if the time or place changes."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = WorkshopForm()
    if request.method == "GET":
        _fill(form, workshop)
    if form.validate_on_submit() and (
        done := attempt(form, lambda: _reschedule(workshop, form))
    ):
        flash("The workshop has been changed." + (" Everyone coming has been told." if done.value else ""), "success")
        return redirect_to(views.workshop_url(workshop))
    return render_template("workshops/edit.html", alliance=workshop.alliance, form=form, workshop=workshop), form_status()


def _reschedule(workshop: Workshop, form: WorkshopForm) -> list[str]:
    from collab.notifications.services import notify

    changed = services.reschedule(db.session, current_user, workshop, _plan(form))
    if changed:
        coming = [i.user for i in services.invitees(db.session, workshop) if i.reply in ("yes", "waiting", "maybe")]
        notify(db.session, coming, "workshop_changed", f"{workshop.title} has changed",
               body=f"The {' and '.join(changed)} changed. It is now {views.when(workshop)}.",
               url=views.workshop_url(workshop, _external=True), alliance=workshop.alliance, exclude=current_user)
    return changed


@bp.route("/alliances/<slug>/workshops/<int:workshop_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Cancel a workshop; everyone invited is told why."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = CancelForm()
    if form.validate_on_submit() and attempt(form, lambda: _cancel(workshop, form.reason.data or "")):
        flash("The workshop is cancelled. Everyone invited has been told.", "success")
        return redirect_to(views.workshop_url(workshop))
    return render_template("workshops/cancel.html", alliance=workshop.alliance, workshop=workshop, form=form,
                           when=views.when(workshop)), form_status()


def _cancel(workshop: Workshop, reason: str) -> None:
    from collab.notifications.services import notify

    services.cancel(db.session, current_user, workshop, reason)
    people = [i.user for i in services.invitees(db.session, workshop) if i.reply != "no"]
    notify(db.session, people, "workshop_changed", f"{workshop.title} is cancelled", body=reason,
           url=views.workshop_url(workshop, _external=True), alliance=workshop.alliance, exclude=current_user)


@bp.route("/alliances/<slug>/workshops/<int:workshop_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """The agenda: add items (optionally about a spec section or agreement clause), move and remove them."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = AgendaItemForm()
    sections = services.linkable_sections(db.session, workshop.alliance)
    clauses = services.linkable_clauses(db.session, workshop.alliance)
    form.spec_section.choices = [("", "None")] + [(str(s.id), f"{s.spec.title}: {s.heading}") for s in sections]
    form.clause.choices = [("", "None")] + [(str(c.id), f"{n}. {c.heading}") for n, c in enumerate(clauses, start=1)]
    if form.validate_on_submit() and attempt(form, lambda: services.add_agenda_item(
        db.session, current_user, workshop, title=form.title.data or "", minutes=form.minutes.data,
        spec_section_id=form.spec_section.data, clause_id=form.clause.data,
    )):
        flash("The item has been added to the agenda.", "success")
        return redirect_to(views.workshop_url(workshop, "workshops.agenda"))
    return render_template("workshops/agenda.html", alliance=workshop.alliance, workshop=workshop, form=form,
                           agenda=services.agenda_times(workshop), move_form=MoveItemForm(),
                           confirm_form=ConfirmForm()), form_status()


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/agenda/<int:item_id>/move")
@login_required
def move_item(slug: str, workshop_id: int, item_id: int) -> Response:
    """Move an agenda item up or down."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    item = load_item(workshop, item_id)
    form = MoveItemForm()
    if not form.validate_on_submit():
        abort(400)
    attempt(Flashed(), lambda: services.move_agenda_item(db.session, current_user, item, form.direction.data or ""))
    return redirect_to(views.workshop_url(workshop, "workshops.agenda"))


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/agenda/<int:item_id>/remove")
@login_required
def remove_item(slug: str, workshop_id: int, item_id: int) -> Response:
    """Take an item off the agenda."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    item = load_item(workshop, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if attempt(Flashed(), lambda: services.remove_agenda_item(db.session, current_user, item)):
        flash("The item has been taken off the agenda.", "success")
    return redirect_to(views.workshop_url(workshop, "workshops.agenda"))


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>/workshop.ics")
@login_required
def ics(slug: str, workshop_id: int) -> Response:
    """The workshop as a calendar file."""
    workshop = load_workshop(slug, workshop_id)
    body = services.workshop_ics(workshop, views.workshop_url(workshop, _external=True), host=request.host)
    response = make_response(body)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="workshop-{workshop.id}.ics"'
    return response

