"""The live ideas board: stepping through the agenda, ideas, themes, merging and dot voting.

Every change anyone can see bumps ``Workshop.board_revision`` in the database. Board
clients poll with the revision they have (ETag); unchanged boards are answered 304
without rendering, and any app instance answers the same because nothing is kept in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from collab.accounts.models import User
from collab.alliances.models import Membership
from collab.errors import DomainError
from collab.notifications.services import notify
from collab.workshops.models import AgendaItem, Idea, Theme, Vote, Workshop
from collab.workshops.services._common import bump_board, check_text, lock_workshop, require_not_cancelled

MAX_IDEA = 500
MAX_DOTS = 20


def board_revision(session: Session, workshop_id: int) -> int | None:
    """The board's revision, read on its own (one indexed primary-key lookup)."""
    return session.scalar(select(Workshop.board_revision).where(Workshop.id == workshop_id))


def current_item(workshop: Workshop) -> AgendaItem | None:
    return next((item for item in workshop.agenda if item.id == workshop.current_item_id), None)


def go_to_item(session: Session, actor: User, workshop: Workshop, item_id: int | None) -> AgendaItem | None:
    """Show an agenda item on everyone's screen (None: back to the start)."""
    require_not_cancelled(workshop)
    if item_id is not None and item_id not in {item.id for item in workshop.agenda}:
        raise DomainError("Choose an item on this workshop's agenda")
    workshop.current_item_id = item_id
    bump_board(session, workshop)
    session.flush()
    return current_item(workshop)


def step(session: Session, actor: User, workshop: Workshop, direction: str) -> AgendaItem | None:
    """Move to the next or previous agenda item."""
    items = workshop.agenda
    if not items:
        raise DomainError("Add items to the agenda first")
    current = current_item(workshop)
    index = items.index(current) if current is not None else -1
    index = index + 1 if direction == "next" else index - 1
    if not 0 <= index < len(items):
        raise DomainError("There is no agenda item that way")
    return go_to_item(session, actor, workshop, items[index].id)


def add_idea(
    session: Session, actor: User, workshop: Workshop, text: str, *, item_id: int | None = None,
    client_key: str | None = None, for_user_id: int | None = None, for_name: str | None = None,
    consent: bool = False, url: str = "",
) -> Idea:
    """Add an idea to an agenda item (default: the one on screen).

    ``client_key`` comes from the sending browser: sending the same idea again (after a dropped
    connection) returns the idea already stored instead of adding it twice. An idea for someone
    else needs their agreement (``consent``); a member it is for is told.
    """
    require_not_cancelled(workshop)
    text = check_text(text, "your idea", "text", MAX_IDEA)
    key = (client_key or "").strip()[:64] or None
    if key is not None:
        existing = session.scalar(select(Idea).where(Idea.workshop_id == workshop.id, Idea.client_key == key))
        if existing is not None:
            return existing
    if item_id is None:
        item_id = workshop.current_item_id
    elif item_id not in {item.id for item in workshop.agenda}:
        raise DomainError("Choose an item on this workshop's agenda", field="item")
    person: User | None = None
    name = check_text(for_name, "their name", "for_name", 120, required=False) or None
    if for_user_id is not None:
        person = session.scalar(
            select(User).join(Membership, Membership.user_id == User.id)
            .where(User.id == for_user_id, Membership.alliance_id == workshop.alliance_id)
        )
        if person is None:
            raise DomainError("Choose a member of this alliance", field="for_user")
        if name:
            raise DomainError("Choose a member or type a name, not both", field="for_name")
    on_behalf = person is not None or name is not None
    if on_behalf and not consent:
        raise DomainError("Tick to confirm they agreed to this being added in their name", field="consent")
    idea = Idea(workshop_id=workshop.id, agenda_item_id=item_id, text=text, author_id=actor.id,
                for_user_id=person.id if person else None, for_name=name, consent=on_behalf and consent,
                client_key=key)
    try:
        with session.begin_nested():
            session.add(idea)
            session.flush()
    except IntegrityError:
        # The same browser sent it twice at once; the other request stored it.
        existing = session.scalar(select(Idea).where(Idea.workshop_id == workshop.id, Idea.client_key == key))
        if existing is None:
            raise
        return existing
    bump_board(session, workshop)
    if person is not None and person.id != actor.id:
        notify(session, [person], "workshop_idea_for_you", f"{actor.display_name} added an idea in your name",
               body=f"At {workshop.title}: \u201c{text}\u201d. You agreed to this. If that is not right, tell the organiser.",
               url=url, alliance=workshop.alliance)
    return idea


def ideas_of(session: Session, workshop: Workshop) -> list[Idea]:
    """Every idea not merged into another, oldest first."""
    return list(session.scalars(
        select(Idea).where(Idea.workshop_id == workshop.id, Idea.merged_into_id.is_(None))
        .options(joinedload(Idea.author), joinedload(Idea.for_user)).order_by(Idea.id)
    ))


def themes_of(session: Session, workshop: Workshop) -> list[Theme]:
    return list(session.scalars(select(Theme).where(Theme.workshop_id == workshop.id).order_by(Theme.position)))


def add_theme(session: Session, actor: User, workshop: Workshop, name: str) -> Theme:
    """Add a theme to group ideas under."""
    name = check_text(name, "a name for the theme", "name", 120)
    themes = themes_of(session, workshop)
    if any(t.name.lower() == name.lower() for t in themes):
        raise DomainError("There is already a theme with that name", field="name")
    theme = Theme(workshop_id=workshop.id, name=name, position=len(themes) + 1)
    session.add(theme)
    session.flush()
    bump_board(session, workshop)
    return theme


def _idea(session: Session, workshop: Workshop, idea_id: int | None, field_name: str = "idea") -> Idea:
    idea = session.get(Idea, idea_id) if idea_id else None
    if idea is None or idea.workshop_id != workshop.id or idea.merged_into_id is not None:
        raise DomainError("Choose an idea on this board", field=field_name)
    return idea


def move_to_theme(session: Session, actor: User, workshop: Workshop, idea_id: int | None, theme_id: int | None) -> Idea:
    """Put an idea under a theme (None: not grouped)."""
    idea = _idea(session, workshop, idea_id)
    if theme_id is not None:
        theme = session.get(Theme, theme_id)
        if theme is None or theme.workshop_id != workshop.id:
            raise DomainError("Choose a theme on this board", field="theme")
    idea.theme_id = theme_id
    session.flush()
    bump_board(session, workshop)
    return idea


def merge(session: Session, actor: User, workshop: Workshop, duplicate_id: int | None, into_id: int | None) -> Idea:
    """Fold a duplicate into another idea: its dots move over, and it is kept (hidden) for the record."""
    duplicate = _idea(session, workshop, duplicate_id, "duplicate")
    into = _idea(session, workshop, into_id, "into")
    if duplicate.id == into.id:
        raise DomainError("Choose two different ideas", field="into")
    lock_workshop(session, workshop)
    for vote in list(session.scalars(select(Vote).where(Vote.idea_id == duplicate.id))):
        kept = session.scalar(select(Vote).where(Vote.idea_id == into.id, Vote.user_id == vote.user_id))
        if kept is not None:
            kept.dots += vote.dots
            session.delete(vote)
        else:
            vote.idea_id = into.id
    duplicate.merged_into_id = into.id
    session.flush()
    bump_board(session, workshop)
    return into


def open_voting(session: Session, actor: User, workshop: Workshop, dots: int | None) -> None:
    """Open dot voting with this many dots per person."""
    require_not_cancelled(workshop)
    if dots is None or not 1 <= dots <= MAX_DOTS:
        raise DomainError(f"Enter how many dots each person has, from 1 to {MAX_DOTS}", field="dots")
    workshop.voting_dots = dots
    workshop.voting_closed = False
    session.flush()
    bump_board(session, workshop)


def close_voting(session: Session, actor: User, workshop: Workshop) -> None:
    if not workshop.voting_open:
        raise DomainError("Voting is not open")
    workshop.voting_closed = True
    session.flush()
    bump_board(session, workshop)


def dots_used(session: Session, workshop: Workshop, user: User) -> int:
    return session.scalar(
        select(func.coalesce(func.sum(Vote.dots), 0)).where(Vote.workshop_id == workshop.id, Vote.user_id == user.id)
    ) or 0


def vote(session: Session, actor: User, workshop: Workshop, idea_id: int | None, change: int) -> int:
    """Place (+1) or take back (-1) one dot; returns the dots the person has left.

    The workshop is locked so two quick taps cannot spend more dots than the person has.
    """
    if not workshop.voting_open:
        raise DomainError("Voting is not open")
    if change not in (1, -1):
        raise DomainError("Add or take back one dot at a time")
    idea = _idea(session, workshop, idea_id)
    lock_workshop(session, workshop)
    mine = session.scalar(select(Vote).where(Vote.idea_id == idea.id, Vote.user_id == actor.id))
    used = dots_used(session, workshop, actor)
    if change == 1:
        if used >= workshop.voting_dots:
            raise DomainError(f"You have used all {workshop.voting_dots} of your dots. Take one back to move it.")
        if mine is None:
            session.add(Vote(workshop_id=workshop.id, idea_id=idea.id, user_id=actor.id, dots=1))
        else:
            mine.dots += 1
        used += 1
    else:
        if mine is None:
            raise DomainError("You have no dots on that idea")
        mine.dots -= 1
        if mine.dots == 0:
            session.delete(mine)
        used -= 1
    session.flush()
    bump_board(session, workshop)
    return workshop.voting_dots - used


@dataclass
class Ranked:
    idea: Idea
    dots: int
    rank: int


def results(session: Session, workshop: Workshop) -> list[Ranked]:
    """Ideas by dots, most first; ideas with equal dots share a rank."""
    totals = dict(session.execute(
        select(Vote.idea_id, func.sum(Vote.dots)).where(Vote.workshop_id == workshop.id).group_by(Vote.idea_id)
    ).all())
    ideas = sorted(ideas_of(session, workshop), key=lambda i: (-(totals.get(i.id) or 0), i.id))
    ranked: list[Ranked] = []
    for position, idea in enumerate(ideas, start=1):
        dots = int(totals.get(idea.id) or 0)
        rank = ranked[-1].rank if ranked and ranked[-1].dots == dots else position
        ranked.append(Ranked(idea, dots, rank))
    return ranked


@dataclass
class Board:
    """What one person's board shows."""

    workshop: Workshop
    revision: int
    current: AgendaItem | None
    themes: list[Theme]
    #: Theme id (None: not grouped) -> its ideas.
    grouped: dict[int | None, list[Idea]] = field(default_factory=dict)
    dots: dict[int, int] = field(default_factory=dict)
    my_dots: dict[int, int] = field(default_factory=dict)
    dots_left: int = 0
    idea_count: int = 0


def board_for(session: Session, workshop: Workshop, user: User) -> Board:
    """The board as ``user`` sees it: the item on screen, ideas by theme, dots."""
    revision = board_revision(session, workshop.id) or 0
    themes = themes_of(session, workshop)
    ideas = ideas_of(session, workshop)
    grouped: dict[int | None, list[Idea]] = {None: []}
    for theme in themes:
        grouped[theme.id] = []
    for idea in ideas:
        grouped.setdefault(idea.theme_id, []).append(idea)
    dots = dict(session.execute(
        select(Vote.idea_id, func.sum(Vote.dots)).where(Vote.workshop_id == workshop.id).group_by(Vote.idea_id)
    ).all())
    my_dots = dict(session.execute(
        select(Vote.idea_id, Vote.dots).where(Vote.workshop_id == workshop.id, Vote.user_id == user.id)
    ).all())
    left = workshop.voting_dots - sum(my_dots.values()) if workshop.voting_open else 0
    return Board(workshop, revision, current_item(workshop), themes, grouped,
                 {k: int(v) for k, v in dots.items()}, my_dots, left, len(ideas))
