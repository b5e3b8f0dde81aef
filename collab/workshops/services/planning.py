"""Planning a workshop: when and where, how accessible, how many places, and its agenda."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.agreements.models import Agreement, Clause
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.errors import DomainError
from collab.specs.models import Spec, SpecSection
from collab.workshops.models import DEFAULT_TIME_ZONE, AgendaItem, Workshop
from collab.workshops.services._common import check_text, require_not_cancelled

MAX_CAPACITY = 500
MAX_AGENDA_ITEMS = 30


@dataclass
class Plan:
    """What an organiser fills in to schedule (or reschedule) a workshop."""

    title: str
    purpose: str
    day: date
    start: time
    end: time
    in_person: bool
    address: str
    step_free: bool
    hearing_loop: bool
    quiet_room: bool
    accessible_toilets: bool
    access_notes: str
    online: bool
    meeting_link: str
    capacity: int
    payment_pence: int = 0
    time_zone: str = DEFAULT_TIME_ZONE


def local_to_utc(day: date, at: time, zone: ZoneInfo, field: str) -> datetime:
    """A wall-clock time on a day in ``zone`` as UTC; a time that does not exist that day is refused.

    When the clocks go forward (01:00 to 02:00 in the UK on the last Sunday of March) that
    hour never happens; when they go back, the first of the two 01:30s is taken.
    """
    local = datetime.combine(day, at, tzinfo=zone)
    utc = local.astimezone(UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise DomainError("That time does not exist on that day because the clocks go forward. Choose another time.",
                          field=field)
    return utc


def _check_plan(plan: Plan) -> Plan:
    plan.title = check_text(plan.title, "a title", "title", 200)
    plan.purpose = check_text(plan.purpose, "what the workshop is for", "purpose", 5000)
    plan.address = check_text(plan.address, "the address", "address", 1000, required=plan.in_person)
    plan.access_notes = check_text(plan.access_notes, "access information", "access_notes", 5000, required=False)
    plan.meeting_link = check_text(plan.meeting_link, "the meeting link", "meeting_link", 500, required=plan.online)
    if not plan.in_person and not plan.online:
        raise DomainError("Choose in person, online, or both", field="in_person")
    if plan.online and not plan.meeting_link.startswith(("https://", "http://")):
        raise DomainError("Enter the meeting link starting with https://", field="meeting_link")
    if not 1 <= plan.capacity <= MAX_CAPACITY:
        raise DomainError(f"Enter how many people can come, from 1 to {MAX_CAPACITY}", field="capacity")
    if not 0 <= plan.payment_pence <= 100_000:
        raise DomainError("Enter a participation payment from £0 to £1,000", field="payment")
    try:
        ZoneInfo(plan.time_zone)
    except (KeyError, ValueError) as error:
        raise DomainError("Choose a time zone", field="time_zone") from error
    if plan.end <= plan.start:
        raise DomainError("The end time must be after the start time", field="end")
    return plan


def _apply(workshop: Workshop, plan: Plan) -> None:
    zone = ZoneInfo(plan.time_zone)
    workshop.title = plan.title
    workshop.purpose = plan.purpose
    workshop.time_zone = plan.time_zone
    workshop.starts_at = local_to_utc(plan.day, plan.start, zone, "start")
    workshop.ends_at = local_to_utc(plan.day, plan.end, zone, "end")
    workshop.in_person = plan.in_person
    workshop.address = plan.address if plan.in_person else ""
    workshop.step_free = plan.step_free and plan.in_person
    workshop.hearing_loop = plan.hearing_loop and plan.in_person
    workshop.quiet_room = plan.quiet_room and plan.in_person
    workshop.accessible_toilets = plan.accessible_toilets and plan.in_person
    workshop.access_notes = plan.access_notes
    workshop.online = plan.online
    workshop.meeting_link = plan.meeting_link if plan.online else ""
    workshop.capacity = plan.capacity
    workshop.payment_pence = plan.payment_pence


def schedule(session: Session, actor: User, alliance: Alliance, plan: Plan) -> Workshop:
    """Schedule a new workshop (it must start in the future)."""
    plan = _check_plan(plan)
    workshop = Workshop(alliance_id=alliance.id, created_by_id=actor.id, created_at=utcnow(), sequence=0,
                        board_revision=0, voting_dots=0, voting_closed=False, notes="")
    _apply(workshop, plan)
    if workshop.starts_at <= utcnow():
        raise DomainError("Choose a date and time in the future", field="day")
    session.add(workshop)
    session.flush()
    workshop.alliance = alliance
    audit.record(session, actor, "workshop.scheduled", workshop, alliance=alliance, label=workshop.title,
                 detail={"starts_at": workshop.starts_at.isoformat(), "capacity": workshop.capacity})
    return workshop


def reschedule(session: Session, actor: User, workshop: Workshop, plan: Plan) -> list[str]:
    """Change a workshop's details; returns what changed that people coming need to know."""
    require_not_cancelled(workshop)
    plan = _check_plan(plan)
    before = (workshop.starts_at, workshop.ends_at, workshop.address, workshop.meeting_link, workshop.capacity)
    _apply(workshop, plan)
    changed = []
    if (workshop.starts_at, workshop.ends_at) != before[:2]:
        changed.append("time")
    if (workshop.address, workshop.meeting_link) != before[2:4]:
        changed.append("place")
    if changed:
        workshop.sequence += 1
    session.flush()
    audit.record(session, actor, "workshop.rescheduled", workshop, alliance=workshop.alliance, label=workshop.title,
                 detail={"starts_at": workshop.starts_at.isoformat(), "capacity": workshop.capacity,
                         "changed": changed})
    if workshop.capacity > before[4]:
        from collab.workshops.services.invitations import promote_waiting

        promote_waiting(session, workshop)
    return changed


def cancel(session: Session, actor: User, workshop: Workshop, reason: str) -> None:
    """Cancel a workshop (it stays on record, marked cancelled)."""
    require_not_cancelled(workshop)
    reason = check_text(reason, "why it is cancelled", "reason", 1000)
    workshop.cancelled_at = utcnow()
    workshop.sequence += 1
    session.flush()
    audit.record(session, actor, "workshop.cancelled", workshop, alliance=workshop.alliance, label=workshop.title,
                 detail={"reason": reason})


def workshops_for(session: Session, alliance: Alliance) -> tuple[list[Workshop], list[Workshop]]:
    """(upcoming, soonest first; past, newest first)."""
    rows = list(session.scalars(select(Workshop).where(Workshop.alliance_id == alliance.id).order_by(Workshop.starts_at)))
    now = utcnow()
    upcoming = [w for w in rows if w.ends_at > now]
    past = [w for w in rows if w.ends_at <= now]
    past.reverse()
    return upcoming, past


def get_workshop(session: Session, alliance: Alliance, workshop_id: int) -> Workshop | None:
    workshop = session.get(Workshop, workshop_id)
    if workshop is None or workshop.alliance_id != alliance.id:
        return None
    return workshop


# The agenda ---------------------------------------------------------------------------


def linkable_sections(session: Session, alliance: Alliance) -> list[SpecSection]:
    """Spec sections an agenda item can be about (every spec of the alliance)."""
    return list(session.scalars(
        select(SpecSection).join(Spec).where(Spec.alliance_id == alliance.id).order_by(Spec.title, SpecSection.position)
    ))


def linkable_clauses(session: Session, alliance: Alliance) -> list[Clause]:
    """Agreement clauses an agenda item can be about (not retired)."""
    return list(session.scalars(
        select(Clause).join(Agreement).where(Agreement.alliance_id == alliance.id, Clause.retired_at.is_(None))
        .order_by(Clause.position)
    ))


def add_agenda_item(
    session: Session, actor: User, workshop: Workshop, *, title: str, minutes: int | None,
    spec_section_id: int | None = None, clause_id: int | None = None,
) -> AgendaItem:
    """Add an item to the end of the agenda, optionally about a spec section or an agreement clause."""
    require_not_cancelled(workshop)
    title = check_text(title, "what the item is about", "title", 200)
    if minutes is None or not 1 <= minutes <= 480:
        raise DomainError("Enter a time box from 1 to 480 minutes", field="minutes")
    if len(workshop.agenda) >= MAX_AGENDA_ITEMS:
        raise DomainError(f"An agenda can have at most {MAX_AGENDA_ITEMS} items")
    if spec_section_id is not None and spec_section_id not in {s.id for s in linkable_sections(session, workshop.alliance)}:
        raise DomainError("Choose a section of one of this alliance's specifications", field="spec_section")
    if clause_id is not None and clause_id not in {c.id for c in linkable_clauses(session, workshop.alliance)}:
        raise DomainError("Choose a clause of this alliance's agreement", field="clause")
    item = AgendaItem(workshop_id=workshop.id, position=len(workshop.agenda) + 1, title=title, minutes=minutes,
                      spec_section_id=spec_section_id, clause_id=clause_id)
    workshop.agenda.append(item)
    session.flush()
    return item


def remove_agenda_item(session: Session, actor: User, item: AgendaItem) -> None:
    """Take an item off the agenda; ideas already added to it stay on the board."""
    workshop = item.workshop
    if workshop.current_item_id == item.id:
        raise DomainError("This item is on screen now. Move to another item first.")
    workshop.agenda.remove(item)
    session.flush()
    for number, other in enumerate(workshop.agenda, start=1):
        other.position = number
    session.flush()


def move_agenda_item(session: Session, actor: User, item: AgendaItem, direction: str) -> None:
    """Move an item one place up or down the agenda."""
    items = item.workshop.agenda
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        raise DomainError("That item cannot move that way")
    items[index].position, items[other].position = items[other].position, items[index].position
    session.flush()
    session.expire(item.workshop, ["agenda"])


def agenda_times(workshop: Workshop) -> list[tuple[AgendaItem, datetime]]:
    """Each agenda item with the local time it starts (items run one after another)."""
    at = workshop.local_start
    out = []
    for item in workshop.agenda:
        out.append((item, at))
        at = at + timedelta(minutes=item.minutes)
    return out
