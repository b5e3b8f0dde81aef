"""Page assembly for workshops: the context each template needs, built from services."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import current_app, session, url_for
from flask_login import current_user

from collab.db import db, utcnow
from collab.security import Permission, can, membership_for
from collab.workshops import services
from collab.workshops.forms import (
    IdeaForm,
    MergeForm,
    MoveIdeaForm,
    ThemeForm,
    VotingForm,
)
from collab.workshops.models import Reply, Workshop


def workshop_url(workshop: Workshop, endpoint: str = "workshops.show", **extra: Any) -> str:
    return url_for(endpoint, slug=workshop.alliance.slug, workshop_id=workshop.id, **extra)


def organiser(workshop: Workshop) -> bool:
    return can(Permission.WORKSHOP_ORGANISE, workshop.alliance)


def when(workshop: Workshop) -> str:
    """'Wednesday 3 March 2027, 10:00 to 12:30 (UK time)'."""
    start, end = workshop.local_start, workshop.local_end
    zone = "UK time" if workshop.time_zone == "Europe/London" else workshop.time_zone
    return f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M} to {end:%H:%M} ({zone})"


def show_context(workshop: Workshop) -> dict[str, Any]:
    mine = services.invitee_for(db.session, workshop, current_user)
    counts = services.reply_counts(db.session, workshop)
    return {
        "alliance": workshop.alliance, "workshop": workshop, "when": when(workshop), "mine": mine,
        "counts": counts, "places_left": max(0, workshop.capacity - counts[Reply.YES]),
        "agenda": services.agenda_times(workshop), "organiser": organiser(workshop),
        "Reply": Reply,
    }


def people_context(workshop: Workshop) -> dict[str, Any]:
    people = services.invitees(db.session, workshop)
    return {
        "alliance": workshop.alliance, "workshop": workshop, "when": when(workshop), "people": people,
        "summary": services.access_summary(people), "counts": services.reply_counts(db.session, workshop),
        "Reply": Reply, "started": workshop.starts_at <= utcnow(),
        "paying": services.payment_list(db.session, workshop),
    }


def people_there(workshop: Workshop) -> int:
    """How many came (once attendance is marked), else how many said yes: a decision's group size."""
    people = services.invitees(db.session, workshop)
    came = sum(1 for p in people if p.attended)
    return came or sum(1 for p in people if p.reply == Reply.YES)


def board_context(workshop: Workshop, idea_form: IdeaForm | None = None) -> dict[str, Any]:
    board = services.board_for(db.session, workshop, current_user)
    is_organiser = organiser(workshop)
    form = idea_form or IdeaForm()
    members = services.members_of(db.session, workshop) if is_organiser else []
    form.for_user.choices = [("", "Me (my own idea)")] + [(str(m.user_id), m.user.display_name) for m in members]
    merge_form = MergeForm()
    idea_choices = [(str(i.id), i.text[:80]) for ideas in board.grouped.values() for i in ideas]
    merge_form.duplicate.choices = [("", "Choose an idea")] + idea_choices
    merge_form.into.choices = [("", "Choose an idea")] + idea_choices
    return {
        "alliance": workshop.alliance, "workshop": workshop, "board": board, "organiser": is_organiser,
        "can_add": can(Permission.WORKSHOP_IDEA_ADD, workshop.alliance) and not workshop.is_cancelled,
        "idea_form": form, "theme_form": ThemeForm(), "move_form": MoveIdeaForm(), "merge_form": merge_form,
        "voting_form": VotingForm(), "etag": board_etag(workshop, board.revision),
        "ranked": services.results(db.session, workshop) if workshop.voting_dots else [],
    }


def board_etag(workshop: Workshop, revision: int) -> str:
    """The board's entity tag: its revision, whose board (dots left, organiser's controls) and in which browser.

    ``collab.workshops.live`` answers polls carrying this tag with 304 before the application runs.
    """
    from collab.workshops.live import etag_for

    membership = membership_for(current_user, workshop.alliance)
    role = str(membership.role) if membership is not None else ""
    return etag_for(current_app, workshop.id, revision, current_user.id, role, session.get("_sid"))


def outcomes_context(workshop: Workshop, **forms: Any) -> dict[str, Any]:
    from collab.workshops.forms import ActionForm, ContributionsForm, DecisionForm, NotesForm, ToCommentForm

    members = services.members_of(db.session, workshop)
    action_form = forms.get("action_form") or ActionForm()
    action_form.owner.choices = [("", "Choose a person")] + [(str(m.user_id), m.user.display_name) for m in members]
    to_comment = ToCommentForm()
    sections = services.linkable_sections(db.session, workshop.alliance)
    to_comment.section.choices = [(str(s.id), f"{s.spec.title}: {s.heading}") for s in sections]
    notes_form = forms.get("notes_form") or NotesForm(notes=workshop.notes)
    return {
        "alliance": workshop.alliance, "workshop": workshop, "when": when(workshop),
        "contributions": services.contributions_of(db.session, workshop),
        "decisions": services.decisions_of(db.session, workshop),
        "actions": services.actions_of(db.session, workshop),
        "ranked": services.results(db.session, workshop),
        "today": date.today(),
        "contributions_form": forms.get("contributions_form") or ContributionsForm(),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "action_form": action_form, "notes_form": notes_form, "to_comment_form": to_comment,
        "has_sections": bool(sections), "organiser": organiser(workshop),
    }
