"""Proposal pages: propose and revise a change, respond for your seat, decide under reserved
powers, and the decision register."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_login import current_user, login_required

from collab.agreements import bp, services, views
from collab.agreements.forms import DecisionForm, ProposalForm, ResponseForm
from collab.agreements.models import Agreement, Proposal
from collab.agreements.routes._common import agreement_for, alliance_for, clause_for, proposal_for, stop
from collab.alliances.models import Alliance
from collab.db import db
from collab.errors import DomainError, NotAllowed
from collab.security import Permission
from collab.web import attempt, form_status, parse_id, redirect_to


def _proposal_url(alliance: Alliance, proposal: Proposal) -> str:
    return url_for("agreements.show_proposal", slug=alliance.slug, proposal_id=proposal.id)


@bp.get("/alliances/<slug>/agreement/proposals")
def proposals(slug: str) -> str:
    """Every proposal, open ones first."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    items = services.proposals(db.session, agreement)
    return render_template("agreements/proposals.html", alliance=alliance, agreement=agreement,
                           open_items=[p for p in items if p.is_open], closed_items=[p for p in items if not p.is_open])


@bp.route("/alliances/<slug>/agreement/proposals/new", methods=["GET", "POST"])
@login_required
def new_proposal(slug: str) -> Response | tuple[str, int]:
    """Propose a change to a clause (?clause=<id>) or a new clause."""
    alliance = alliance_for(slug, Permission.AGREEMENT_PROPOSAL_CREATE)
    agreement = agreement_for(alliance)
    clause = None
    raw = request.values.get("clause")
    if raw:
        clause_id = parse_id(raw)
        if clause_id is None:
            abort(404)
        clause = clause_for(agreement, clause_id)
        if clause.is_retired:
            abort(404)
    form = ProposalForm()
    if request.method == "GET" and clause is not None:
        form.heading.data, form.body.data = clause.heading, clause.body
    preview = "preview" in request.form
    if not preview and form.validate_on_submit() and (done := attempt(form, lambda: services.propose(
        db.session, current_user, agreement, clause=clause, heading=form.heading.data, body=form.body.data,
        reason=form.reason.data, closes_on=form.closes_on.data,
    ))):
        flash("Your proposal has been made. Every seat has been asked to respond.", "success")
        return redirect_to(_proposal_url(alliance, done.value))
    page = render_template("agreements/proposal_form.html", alliance=alliance, agreement=agreement, clause=clause,
                           form=form, proposal=None)
    return page, 200 if preview else form_status()


@bp.get("/alliances/<slug>/agreement/proposals/<int:proposal_id>")
def show_proposal(slug: str, proposal_id: int) -> tuple[str, int]:
    """A proposal: the tracked changes, the reason, who has responded and who has not, the discussion."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    proposal = proposal_for(agreement, proposal_id)
    return _proposal_page(alliance, agreement, proposal, ResponseForm(formdata=None))


def _proposal_page(
    alliance: Alliance, agreement: Agreement, proposal: Proposal, form: ResponseForm, status: int = 200
) -> tuple[str, int]:
    context = views.proposal_page(alliance, agreement, proposal, form)
    return render_template("agreements/proposal.html", **context), status


@bp.post("/alliances/<slug>/agreement/proposals/<int:proposal_id>/respond")
@login_required
def respond(slug: str, proposal_id: int) -> Response | tuple[str, int]:
    """Agree, stand aside or object, for your seat."""
    alliance = alliance_for(slug, Permission.AGREEMENT_PROPOSAL_RESPOND)
    agreement = agreement_for(alliance)
    proposal = proposal_for(agreement, proposal_id)
    form = ResponseForm()
    url = _proposal_url(alliance, proposal)
    if not form.validate_on_submit():
        return _proposal_page(alliance, agreement, proposal, form, 422)
    try:
        done = attempt(form, lambda: services.respond(
            db.session, current_user, proposal, response=form.response.data, reason=form.reason.data, url=url,
        ), passes=(NotAllowed,))
    except NotAllowed:
        abort(403)  # no seat: the same answer as any other refusal
    if not done:
        return _proposal_page(alliance, agreement, proposal, form, 422)
    if proposal.status.value == "carried":
        flash("Thank you. Every seat has now responded with no objection, so the proposal is carried and the agreement has changed.", "success")
    else:
        flash("Thank you. Your response has been recorded.", "success")
    return redirect_to(url)


@bp.route("/alliances/<slug>/agreement/proposals/<int:proposal_id>/revise", methods=["GET", "POST"])
@login_required
def revise_proposal(slug: str, proposal_id: int) -> Response | tuple[str, int]:
    """The proposer changes their proposal (which clears all responses)."""
    alliance = alliance_for(slug, Permission.AGREEMENT_PROPOSAL_CREATE)
    agreement = agreement_for(alliance)
    proposal = proposal_for(agreement, proposal_id)
    if proposal.proposer_id != current_user.id or not proposal.is_open:
        abort(403)
    form = ProposalForm(obj=proposal if request.method == "GET" else None)
    url = _proposal_url(alliance, proposal)
    preview = "preview" in request.form
    if not preview and form.validate_on_submit() and attempt(form, lambda: services.revise_proposal(
        db.session, current_user, proposal, heading=form.heading.data, body=form.body.data,
        reason=form.reason.data, closes_on=form.closes_on.data, url=url,
    )):
        flash("Your proposal has been changed. Every seat has been asked to respond again.", "success")
        return redirect_to(url)
    page = render_template("agreements/proposal_form.html", alliance=alliance, agreement=agreement,
                           clause=proposal.clause, form=form, proposal=proposal)
    return page, 200 if preview else form_status()


@bp.route("/alliances/<slug>/agreement/proposals/<int:proposal_id>/decide", methods=["GET", "POST"])
@login_required
def decide_proposal(slug: str, proposal_id: int) -> Response | tuple[str, int]:
    """A commissioner closes a proposal as withdrawn or decides it with a reserved power."""
    alliance = alliance_for(slug, Permission.AGREEMENT_PROPOSAL_DECIDE)
    agreement = agreement_for(alliance)
    proposal = proposal_for(agreement, proposal_id)
    if not proposal.is_open:
        stop(409, "This proposal is already closed. See the decision register.")
    form = DecisionForm()
    url = _proposal_url(alliance, proposal)
    reserved = form.outcome.data in ("reserved_apply", "reserved_reject")
    changing = "change" in request.form
    if not changing and reserved and "confirmed" not in request.form and form.validate_on_submit():
        # A reserved power overrules consent: check the reason, then show whom it overrules.
        try:
            services.check_reserved_reason(form.reason.data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            return render_template("agreements/decide_confirm.html", alliance=alliance, agreement=agreement,
                                   proposal=proposal, form=form,
                                   impact=services.reserved_impact(db.session, proposal)), 200

    def decide() -> None:
        if form.outcome.data == "withdraw":
            services.withdraw_proposal(db.session, current_user, proposal, form.reason.data, url=url)
        else:
            services.decide_reserved(db.session, current_user, proposal,
                                     apply=form.outcome.data == "reserved_apply", reason=form.reason.data, url=url)

    if not changing and not form.errors and form.validate_on_submit() and attempt(form, decide):
        flash("Your decision has been recorded in the decision register."
              + (" Everyone with a seat has been told, with your reason." if reserved else ""), "success")
        return redirect_to(url_for("agreements.decisions", slug=alliance.slug) + f"#decision-{proposal.id}")
    return render_template("agreements/decide.html", alliance=alliance, agreement=agreement, proposal=proposal,
                           form=form), 200 if changing else form_status()


@bp.get("/alliances/<slug>/agreement/decisions")
def decisions(slug: str) -> str:
    """The decision register: every decision, its date, the responses and reasons."""
    alliance = alliance_for(slug)
    agreement = agreement_for(alliance)
    # Today's seats, for decisions made before the unanswered seats were kept with them.
    return render_template("agreements/decisions.html", alliance=alliance, agreement=agreement,
                           items=services.decisions(db.session, agreement), seats=services.seats(db.session, alliance))
