"""Afterwards: contributions from tables, notes, decisions, actions, and proposals from ideas and decisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, abort, flash, render_template, request
from flask_login import current_user, login_required

from collab.agreements.links import proposal_url
from collab.db import db, utcnow
from collab.security import Permission
from collab.specs.links import place_url
from collab.web import Flashed, attempt, query_id, redirect_to
from collab.workshops import bp, services, views
from collab.workshops.forms import (
    ActionForm,
    ActionStatusForm,
    ContributionsForm,
    DecisionForm,
    NotesForm,
    ProposalForm,
    ToCommentForm,
)
from collab.workshops.models import Workshop
from collab.workshops.routes._common import load_action, load_contribution, load_decision, load_idea, load_workshop


def _page(workshop: Workshop, status: int = 200, **forms: Any) -> tuple[str, int]:
    return render_template("workshops/outcomes.html", **views.outcomes_context(workshop, **forms)), status


def _back(workshop: Workshop, anchor: str = "") -> Response:
    return redirect_to(views.workshop_url(workshop, "workshops.outcomes") + anchor)


@bp.get("/alliances/<slug>/workshops/<int:workshop_id>/outcomes")
@login_required
def outcomes(slug: str, workshop_id: int) -> tuple[str, int]:
    """What came out of it: contributions, notes, decisions and actions."""
    workshop = load_workshop(slug, workshop_id)
    return _page(workshop)


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/outcomes/contributions")
@login_required
def add_contributions(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Enter what a table or group said, one item per line."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = ContributionsForm()
    if form.validate_on_submit() and (done := attempt(form, lambda: services.add_contributions(
        db.session, current_user, workshop, group_name=form.group_name.data or "", people=form.people.data,
        lines=form.lines.data or "",
    ))):
        flash(f"{len(done.value)} items from {form.group_name.data} have been added.", "success")
        return _back(workshop, "#contributions")
    return _page(workshop, 422, contributions_form=form)


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/outcomes/contributions/<int:contribution_id>/comment")
@login_required
def contribution_to_comment(slug: str, workshop_id: int, contribution_id: int) -> Response:
    """Add a contribution to a specification as a comment in its group's name."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    contribution = load_contribution(workshop, contribution_id)
    form = ToCommentForm()
    if not form.validate_on_submit():
        abort(400)
    if attempt(Flashed(), lambda: services.contribution_to_comment(
        db.session, current_user, contribution, form.section.data,
    )):
        flash(f"Added to the specification as \u201c{contribution.tag}\u201d.", "success")
    return _back(workshop, "#contributions")


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/outcomes/notes")
@login_required
def save_notes(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Save the workshop notes (Markdown)."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = NotesForm()
    if form.validate_on_submit() and attempt(form, lambda: services.save_notes(
        db.session, current_user, workshop, form.notes.data or "")):
        flash("The notes have been saved.", "success")
        return _back(workshop, "#notes")
    return _page(workshop, 422, notes_form=form)


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/outcomes/decisions")
@login_required
def add_decision(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Record a decision."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = DecisionForm()
    if form.validate_on_submit() and attempt(form, lambda: services.add_decision(
        db.session, current_user, workshop, form.text.data or "")):
        flash("The decision has been recorded.", "success")
        return _back(workshop, "#decisions")
    return _page(workshop, 422, decision_form=form)


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/outcomes/actions")
@login_required
def add_action(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Record an action with an owner and a due date."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    form = ActionForm()
    if form.validate_on_submit() and attempt(form, lambda: services.add_action(
        db.session, current_user, workshop, text=form.text.data or "", owner_id=form.owner.data,
        due_on=form.due_on.data, url=views.workshop_url(workshop, "workshops.outcomes", _external=True),
    )):
        flash("The action has been recorded. Its owner has been told.", "success")
        return _back(workshop, "#actions")
    return _page(workshop, 422, action_form=form)


@bp.post("/alliances/<slug>/workshops/<int:workshop_id>/outcomes/actions/<int:action_id>/status")
@login_required
def action_status(slug: str, workshop_id: int, action_id: int) -> Response:
    """Mark an action done (its owner or an organiser), or open again."""
    workshop = load_workshop(slug, workshop_id)
    action = load_action(workshop, action_id)
    if action.owner_id != current_user.id and not views.organiser(workshop):
        abort(403)
    form = ActionStatusForm()
    if not form.validate_on_submit():
        abort(400)
    attempt(Flashed(), lambda: services.set_action_status(db.session, current_user, action, form.status.data or ""))
    return _back(workshop, f"#action-{action.id}")


@bp.route("/alliances/<slug>/workshops/<int:workshop_id>/outcomes/proposal", methods=["GET", "POST"])
@login_required
def proposal(slug: str, workshop_id: int) -> Response | tuple[str, int]:
    """Raise a proposal from an idea or a decision (pre-filled), on an agreement clause or a spec section."""
    workshop = load_workshop(slug, workshop_id, Permission.WORKSHOP_ORGANISE)
    idea = load_idea(workshop, idea_id) if (idea_id := query_id("idea")) else None
    decision = load_decision(workshop, decision_id) if (decision_id := query_id("decision")) else None
    contribution = (load_contribution(workshop, contribution_id)
                    if not idea and not decision and (contribution_id := query_id("contribution")) else None)
    source_text = idea.text if idea else decision.text if decision else contribution.text if contribution else ""
    form = ProposalForm()
    clauses = services.linkable_clauses(db.session, workshop.alliance)
    sections = services.linkable_sections(db.session, workshop.alliance)
    form.clause.choices = [("", "Choose a clause")] + [(str(c.id), f"{n}. {c.heading}") for n, c in enumerate(clauses, 1)]
    form.section.choices = [("", "Choose a section")] + [(str(s.id), f"{s.spec.title}: {s.heading}") for s in sections]
    if request.method == "GET":
        form.body.data = source_text
        form.reason.data = f"Raised at the workshop \u201c{workshop.title}\u201d on {workshop.short_date}."
        form.closes_on.data = (utcnow() + timedelta(days=14)).date()
        form.target.data = "clause" if clauses else "section"
        if contribution is not None:
            form.group_name.data, form.people.data = contribution.group_name, contribution.people
        elif decision is not None:
            form.group_name.data, form.people.data = "everyone at the workshop", views.people_there(workshop) or None
    if form.validate_on_submit() and (done := attempt(form, lambda: _raise(workshop, form, idea, decision, contribution))):
        flash("The proposal has been raised and links back to this workshop.", "success")
        return redirect_to(done.value)
    return render_template("workshops/proposal.html", alliance=workshop.alliance, workshop=workshop, form=form,
                           source_text=source_text, idea=idea, decision=decision, contribution=contribution), (
        422 if request.method == "POST" else 200)


def _raise(workshop: Workshop, form: ProposalForm, idea: Any, decision: Any, contribution: Any) -> str:
    from collab.errors import DomainError

    if form.target.data == "clause":
        clause_id = form.clause.data
        heading = form.heading.data or ""
        if not heading and clause_id:
            clause = next((c for c in services.linkable_clauses(db.session, workshop.alliance) if c.id == clause_id), None)
            heading = clause.heading if clause else ""
        made = services.raise_proposal(
            db.session, current_user, workshop, clause_id=clause_id, heading=heading, body=form.body.data or "",
            reason=form.reason.data or "", closes_on=form.closes_on.data, idea=idea, decision=decision,
            contribution=contribution, group_name=form.group_name.data, people=form.people.data,
        )
        return proposal_url(made)
    if form.target.data == "section":
        if contribution is not None:
            raise DomainError("Use \u201cAdd it as a comment\u201d to add a group's words to a specification",
                              field="target")
        meta = services.section_proposal(
            db.session, current_user, workshop, section_id=form.section.data, body=form.body.data or "",
            idea=idea, decision=decision, group_name=form.group_name.data, people=form.people.data,
        )
        return place_url(workshop.alliance.slug, meta.spec_id, meta.paragraph_id, meta.section_id)
    raise DomainError("Choose an agreement clause or a specification section", field="target")
