"""The workshop report: who came (counts by role), ideas by theme with their dots, decisions, actions, proposals."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.agreements.models import Proposal
from collab.alliances.models import Membership, Role
from collab.specs.models import SpecComment
from collab.workshops.models import Action, Contribution, Decision, Reply, Theme, Workshop
from collab.workshops.services import board, invitations, outcomes


@dataclass
class ThemeResult:
    name: str
    ideas: list[board.Ranked]

    @property
    def dots(self) -> int:
        return sum(r.dots for r in self.ideas)


@dataclass
class Report:
    workshop: Workshop
    #: Role -> (invited, said yes, came); counts only.
    attendance: list[tuple[Role, int, int, int]]
    came_total: int
    marked: bool
    themes: list[ThemeResult]
    ranked: list[board.Ranked]
    contributions: list[Contribution]
    decisions: list[Decision]
    actions: list[Action]
    proposals: list[Proposal]
    #: Changes proposed to specification sections (comments in the workshop's name).
    section_proposals: list[SpecComment]
    #: People who came and agreed to be named (never service users who did not agree).
    named: list[str] = field(default_factory=list)

    @property
    def proposal_groups(self) -> tuple[int, int]:
        """How many groups the proposals raised speak for, and how many people in all (each group once, with its size)."""
        sizes = [p.group_size for p in self.proposals if p.group_size]
        sizes += [c.group_size for c in self.section_proposals if c.group_size]
        return len(sizes), sum(sizes)


def build(session: Session, workshop: Workshop) -> Report:
    people = invitations.invitees(session, workshop)
    roles = dict(session.execute(select(Membership.user_id, Membership.role).where(
        Membership.alliance_id == workshop.alliance_id)).all())
    invited: Counter[Role] = Counter()
    yes: Counter[Role] = Counter()
    came: Counter[Role] = Counter()
    for invitee in people:
        role = roles.get(invitee.user_id, Role.OBSERVER)
        invited[role] += 1
        yes[role] += invitee.reply == Reply.YES
        came[role] += bool(invitee.attended)
    attendance = [(role, invited[role], yes[role], came[role]) for role in Role if invited[role]]
    marked = any(i.attended is not None for i in people)
    ranked = board.results(session, workshop)
    themes: list[Theme] = board.themes_of(session, workshop)
    by_theme = [ThemeResult(t.name, [r for r in ranked if r.idea.theme_id == t.id]) for t in themes]
    loose = [r for r in ranked if r.idea.theme_id is None]
    if loose:
        by_theme.append(ThemeResult("Not grouped", loose))
    named = [i.user.display_name for i in people
             if i.attended and (i.named_in_exports or roles.get(i.user_id) not in (Role.SERVICE_USER,))]
    return Report(workshop, attendance, sum(came.values()), marked, by_theme, ranked,
                  outcomes.contributions_of(session, workshop), outcomes.decisions_of(session, workshop),
                  outcomes.actions_of(session, workshop), outcomes.proposals_raised(session, workshop),
                  outcomes.section_proposals_raised(session, workshop), sorted(named))
