"""Reminders: "a proposal closes in three days", to the seats that have not responded, once each."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from collab.agreements import links
from collab.agreements.models import Agreement, Proposal, ProposalStatus
from collab.agreements.services.consent import consent_state
from collab.notifications.services import claim_reminders, notify

#: The notification kind (registered in collab/agreements/activity.py).
CLOSING_KIND = "agreement_proposal_closing"
#: How many days before the closing date seats are reminded.
REMINDER_DAYS = 3


def closing_proposals(session: Session, today: date) -> list[Proposal]:
    """Open proposals whose response deadline is within the next three days (today included)."""
    return list(
        session.scalars(
            select(Proposal)
            .where(
                Proposal.status == ProposalStatus.OPEN,
                Proposal.closes_on >= today,
                Proposal.closes_on <= today + timedelta(days=REMINDER_DAYS),
            )
            .options(selectinload(Proposal.agreement).selectinload(Agreement.alliance))
            .order_by(Proposal.id)
        )
    )


def send_closing_reminders(session: Session, today: date) -> int:
    """Remind the people of every seat that has not answered a proposal closing soon; returns how many were told.

    Once per person and revision of the proposal (a revision asks every seat again), however
    often this runs and however many workers run it at once.
    """
    told = 0
    for proposal in closing_proposals(session, today):
        waiting = consent_state(session, proposal).waiting
        people = {person.id: person for seat in waiting for person in seat.people if person.is_active_account}
        fresh = claim_reminders(session, CLOSING_KIND, f"proposal:{proposal.id}:r{proposal.revision}", people)
        if not fresh:
            continue
        closes = proposal.closes_on
        when = "today" if closes == today else f"on {closes:%A} {closes.day} {closes:%B}"
        notes = notify(
            session, [people[uid] for uid in sorted(fresh)], CLOSING_KIND,
            f"Your response is still needed: {proposal.heading}",
            body=f"The proposal {proposal.heading} in {proposal.alliance.name} closes {when}, and your seat has not "
            "responded yet. Agree, stand aside or object before then.",
            url=links.proposal_url(proposal), alliance=proposal.alliance,
        )
        told += len(notes)
    return told
