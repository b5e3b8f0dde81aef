"""Afterwards: table contributions, notes, decisions, actions, and turning them into document changes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from collab import audit
from collab.accounts.models import User
from collab.agreements import services as agreement_services
from collab.agreements.models import Clause, Proposal
from collab.alliances.models import Membership
from collab.db import utcnow
from collab.errors import DomainError
from collab.notifications.services import notify
from collab.specs import services as spec_services
from collab.specs.models import SpecComment, SpecSection
from collab.workshops.models import Action, ActionStatus, Contribution, Decision, Idea, Workshop, group_tag
from collab.workshops.services._common import check_text

MAX_LINES = 200


def add_contributions(
    session: Session, actor: User, workshop: Workshop, *, group_name: str, people: int | None, lines: str,
) -> list[Contribution]:
    """What one table or group said: one item per line, all speaking for ``people`` people."""
    group_name = check_text(group_name, "the table or group name", "group_name", 120)
    if people is None or not 1 <= people <= 1000:
        raise DomainError("Enter how many people the group speaks for, from 1 to 1000", field="people")
    items = [line.strip().lstrip("-*\u2022 ").strip() for line in (lines or "").splitlines()]
    items = [item for item in items if item]
    if not items:
        raise DomainError("Enter at least one item, one on each line", field="lines")
    if len(items) > MAX_LINES:
        raise DomainError(f"Enter at most {MAX_LINES} items at a time", field="lines")
    if any(len(item) > 2000 for item in items):
        raise DomainError("Each item must be 2,000 characters or fewer", field="lines")
    made = [Contribution(workshop_id=workshop.id, group_name=group_name, people=people, text=item,
                         created_by_id=actor.id, created_at=utcnow()) for item in items]
    session.add_all(made)
    session.flush()
    for contribution in made:
        contribution.workshop = workshop
    return made


def contributions_of(session: Session, workshop: Workshop) -> list[Contribution]:
    return list(session.scalars(
        select(Contribution).where(Contribution.workshop_id == workshop.id)
        .options(joinedload(Contribution.spec_comment)).order_by(Contribution.group_name, Contribution.id)
    ))


def _shared_section(section: SpecSection) -> SpecSection:
    """The section a table's words are about, as a whole (an empty section too: people say what is missing)."""
    if section.spec.current_version_id is None:
        raise DomainError("That specification has not been shared for comments yet", field="section")
    return section


def _alliance_section(session: Session, workshop: Workshop, section_id: int | None) -> SpecSection:
    section = session.get(SpecSection, section_id) if section_id else None
    if section is None or section.spec.alliance_id != workshop.alliance_id:
        raise DomainError("Choose a section of one of this alliance's specifications", field="section")
    return section


def _alliance_clause(session: Session, workshop: Workshop, clause_id: int | None) -> Clause:
    clause = session.get(Clause, clause_id) if clause_id else None
    if clause is None or clause.agreement.alliance_id != workshop.alliance_id or clause.is_retired:
        raise DomainError("Choose a clause of this alliance's agreement", field="clause")
    return clause


def _speaker_role(session: Session, workshop: Workshop, actor: User) -> object:
    return session.scalar(select(Membership.role).where(
        Membership.alliance_id == workshop.alliance_id, Membership.user_id == actor.id))


def workshop_source_key(workshop: Workshop) -> str:
    """How spec comments name this workshop as their source (the report's filter value)."""
    return f"workshop:{workshop.id}"


def workshop_source_label(workshop: Workshop) -> str:
    """'3 March workshop: Evening support', as the report's filter shows it."""
    return f"{workshop.short_date} workshop: {workshop.title}"[:200]


def contribution_to_comment(
    session: Session, actor: User, contribution: Contribution, section_id: int | None, url: str = "",
) -> SpecComment:
    """Post a contribution as a spec comment, in the name of its group: 'From the 3 March workshop, table 2 (4 people)'.

    "You said, we did" counts it as a group with its size (never as one person of the organiser's
    role) and can show only this workshop's comments (its source key).
    """
    if contribution.spec_comment_id is not None:
        raise DomainError("This has already been added as a comment")
    workshop = contribution.workshop
    section = _alliance_section(session, workshop, section_id)
    target = _shared_section(section)
    meta = spec_services.add_comment(
        session, actor, target, body=contribution.text, on_behalf_of_name=contribution.tag[:120],
        on_behalf_role=_speaker_role(session, workshop, actor),  # type: ignore[arg-type]
        group_size=max(contribution.people, 1), source_key=workshop_source_key(workshop),
        source_label=workshop_source_label(workshop), url=url,
    )
    contribution.spec_comment_id = meta.id
    session.flush()
    audit.record(session, actor, "workshop.contribution_posted", workshop, alliance=workshop.alliance,
                 label=workshop.title, detail={"group": contribution.group_name, "people": contribution.people,
                                               "spec": section.spec.title})
    return meta


def check_group(group_name: str | None, people: int | None) -> tuple[str, int] | None:
    """The table or group a proposal speaks for (both given), or None (both empty)."""
    name = (group_name or "").strip()
    if not name and people is None:
        return None
    if not name:
        raise DomainError("Enter the table or group name, or leave both group boxes empty", field="group_name")
    name = check_text(name, "the table or group name", "group_name", 120)
    if people is None or not 1 <= people <= 1000:
        raise DomainError("Enter how many people the group speaks for, from 1 to 1000", field="people")
    return name, people


def raise_proposal(
    session: Session, actor: User, workshop: Workshop, *, clause_id: int | None, heading: str, body: str,
    reason: str, closes_on: date | None, idea: Idea | None = None, decision: Decision | None = None,
    contribution: Contribution | None = None, group_name: str | None = None, people: int | None = None,
) -> Proposal:
    """Propose a change to an agreement clause from an idea, decision or contribution, linked back to the workshop.

    With a group (a table's contribution has one; an idea or decision may be given one), the proposal
    says so, as a group's spec comment does: "From the 3 March workshop, table 2 (4 people)", and is
    counted as that group with its size.
    """
    clause = _alliance_clause(session, workshop, clause_id)
    source = idea or decision or contribution
    if source is not None and (source.proposal_id is not None or getattr(source, "spec_comment_id", None) is not None):
        raise DomainError("A proposal has already been raised from this")
    if contribution is not None and not (group_name or "").strip() and people is None:
        group_name, people = contribution.group_name, contribution.people
    group = check_group(group_name, people)
    where = f"From the {workshop.short_date} workshop \u201c{workshop.title}\u201d"
    reason = check_text(reason, "why", "reason", 5000)
    if where not in reason:
        reason = f"{where}. {reason}"
    proposal = agreement_services.propose(
        session, actor, clause.agreement, clause=clause, heading=heading, body=body, reason=reason, closes_on=closes_on,
    )
    if source is not None:
        source.proposal_id = proposal.id
    if group is not None:
        proposal.group_label = group_tag(workshop, *group)[:200]
        proposal.group_size = group[1]
    proposal.source_key = workshop_source_key(workshop)
    proposal.source_label = workshop_source_label(workshop)
    session.flush()
    audit.record(session, actor, "workshop.proposal_raised", workshop, alliance=workshop.alliance,
                 label=workshop.title, detail={"proposal_id": proposal.id, "clause": clause.heading,
                                               "group": group[0] if group else None,
                                               "people": group[1] if group else None})
    return proposal


def section_proposal(
    session: Session, actor: User, workshop: Workshop, *, section_id: int | None, body: str,
    idea: Idea | None = None, decision: Decision | None = None, url: str = "",
    group_name: str | None = None, people: int | None = None,
) -> SpecComment:
    """Propose a change to a spec section (as a comment on it, in the workshop's name or a group's), linked back."""
    source = idea or decision
    if source is not None and (source.spec_comment_id is not None or source.proposal_id is not None):
        raise DomainError("A proposal has already been raised from this")
    group = check_group(group_name, people)
    section = _alliance_section(session, workshop, section_id)
    body = check_text(body, "the change you propose", "body", 5000)
    target = _shared_section(section)
    meta = spec_services.add_comment(
        session, actor, target, body=f"Proposed change: {body}",
        on_behalf_of_name=(group_tag(workshop, *group) if group else f"From the {workshop.short_date} workshop")[:120],
        on_behalf_role=_speaker_role(session, workshop, actor),  # type: ignore[arg-type]
        group_size=group[1] if group else None,
        source_key=workshop_source_key(workshop), source_label=workshop_source_label(workshop), url=url,
    )
    if source is not None:
        source.spec_comment_id = meta.id
        session.flush()
    audit.record(session, actor, "workshop.proposal_raised", workshop, alliance=workshop.alliance,
                 label=workshop.title, detail={"spec_comment_id": meta.id, "section": section.heading,
                                               "idea_id": idea.id if idea else None,
                                               "decision_id": decision.id if decision else None})
    return meta


def save_notes(session: Session, actor: User, workshop: Workshop, notes: str) -> None:
    workshop.notes = check_text(notes, "notes", "notes", 50_000, required=False)
    session.flush()


def add_decision(session: Session, actor: User, workshop: Workshop, text: str) -> Decision:
    decision = Decision(workshop_id=workshop.id, text=check_text(text, "the decision", "text", 2000),
                        created_by_id=actor.id, created_at=utcnow())
    session.add(decision)
    session.flush()
    audit.record(session, actor, "workshop.decision_recorded", workshop, alliance=workshop.alliance,
                 label=workshop.title, detail={"text": decision.text[:200]})
    return decision


def decisions_of(session: Session, workshop: Workshop) -> list[Decision]:
    return list(session.scalars(select(Decision).where(Decision.workshop_id == workshop.id).order_by(Decision.id)))


def add_action(
    session: Session, actor: User, workshop: Workshop, *, text: str, owner_id: int | None, due_on: date | None,
    url: str = "",
) -> Action:
    """An action with an owner (a member of the alliance) and a due date; the owner is told."""
    text = check_text(text, "what needs doing", "text", 300)
    owner = session.scalar(select(User).join(Membership, Membership.user_id == User.id).where(
        User.id == owner_id, Membership.alliance_id == workshop.alliance_id)) if owner_id else None
    if owner is None:
        raise DomainError("Choose who will do it", field="owner")
    if due_on is None:
        raise DomainError("Enter the date it is due", field="due_on")
    action = Action(workshop_id=workshop.id, text=text, owner_id=owner.id, due_on=due_on, status=ActionStatus.OPEN,
                    created_by_id=actor.id, created_at=utcnow())
    session.add(action)
    session.flush()
    action.workshop = workshop
    notify(session, [owner], "workshop_action", f"An action for you from {workshop.title}",
           body=f"{text} (due {due_on.day} {due_on:%B %Y})", url=url, alliance=workshop.alliance, exclude=actor)
    return action


def set_action_status(session: Session, actor: User, action: Action, status: str) -> None:
    try:
        action.status = ActionStatus(status)
    except ValueError as error:
        raise DomainError("Choose open or done", field="status") from error
    session.flush()


def actions_of(session: Session, workshop: Workshop) -> list[Action]:
    return list(session.scalars(
        select(Action).where(Action.workshop_id == workshop.id).options(joinedload(Action.owner))
        .order_by(Action.due_on, Action.id)
    ))


def proposals_raised(session: Session, workshop: Workshop) -> list[Proposal]:
    ids = {row for row in session.scalars(select(Idea.proposal_id).where(Idea.workshop_id == workshop.id)) if row}
    ids |= {row for row in session.scalars(select(Decision.proposal_id).where(Decision.workshop_id == workshop.id)) if row}
    ids |= {row for row in session.scalars(
        select(Contribution.proposal_id).where(Contribution.workshop_id == workshop.id)) if row}
    if not ids:
        return []
    return list(session.scalars(select(Proposal).where(Proposal.id.in_(ids)).order_by(Proposal.id)))


def section_proposals_raised(session: Session, workshop: Workshop) -> list[SpecComment]:
    """Changes proposed to spec sections from this workshop's ideas and decisions."""
    ids = {row for row in session.scalars(select(Idea.spec_comment_id).where(Idea.workshop_id == workshop.id)) if row}
    ids |= {row for row in session.scalars(
        select(Decision.spec_comment_id).where(Decision.workshop_id == workshop.id)) if row}
    if not ids:
        return []
    return list(session.scalars(select(SpecComment).where(SpecComment.id.in_(ids)).order_by(SpecComment.id)))
