"""Demo data: Riverside's agreement, with version 1 in force and version 2 being drafted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.agreements import services
from collab.agreements.models import Clause
from collab.alliances.models import Alliance
from collab.db import utcnow
from collab.demo import DEMO_PASSWORD
from collab.documents import services as comments


def _person(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def _clause(session: Session, agreement_id: int, heading: str) -> Clause:
    clause = session.scalar(
        select(Clause).where(Clause.agreement_id == agreement_id, Clause.heading == heading, Clause.retired_at.is_(None))
    )
    assert clause is not None, heading
    return clause


def seed_riverside_agreement(session: Session) -> None:
    """Add Riverside's agreement (does nothing if it is already there)."""
    alliance = session.scalar(select(Alliance).where(Alliance.name == "Riverside Living Well Alliance"))
    if alliance is None or services.get_agreement(session, alliance) is not None:
        return
    priya = _person(session, "commissioner@riverside.example")
    grace = _person(session, "provider@riverside.example")
    kwame = _person(session, "opendoor@riverside.example")
    amir = _person(session, "trust@riverside.example")
    cleo = _person(session, "serviceuser@riverside.example")
    sam = _person(session, "facilitator@riverside.example")

    agreement = services.start_agreement(session, priya, alliance, use_template=True)
    decision = _clause(session, agreement.id, "Decision making")
    services.edit_clause(
        session, grace, decision, heading=decision.heading, lock_version=decision.lock_version,
        body=decision.body + "\n\nWe try to decide at the meeting. If we cannot, we decide within four weeks.",
    )
    first = comments.add_comment(
        session, cleo, alliance, "agreement_clause", decision.id,
        body="Can people who use services really block a decision? I would like that written down clearly.",
        subject_label=f"the clause \u201c{decision.heading}\u201d",
    )
    comments.add_comment(
        session, grace, alliance, "agreement_clause", decision.id, parent=first,
        body="Yes. Your seat counts the same as ours. If you object, the decision waits until we find a better answer.",
        subject_label=f"the clause \u201c{decision.heading}\u201d",
    )
    comments.add_comment(
        session, sam, alliance, "agreement_clause", decision.id, on_behalf_of_name="Sunny",
        body="Please send the papers in easy read as well, so everyone can follow the decision.",
        subject_label=f"the clause \u201c{decision.heading}\u201d",
    )

    version = services.publish(session, priya, agreement)
    for seat in services.member_organisations(session, alliance):
        signer = seat.people[0]
        services.sign(
            session, signer, version, password=DEMO_PASSWORD, typed_name=signer.display_name, confirmed=True,
            ip_address="127.0.0.1", user_agent="Collab demo data", require_two_step=False,
        )

    services.open_drafting(session, priya, agreement)
    kras = _clause(session, agreement.id, "Key result areas")
    services.edit_clause(
        session, grace, kras, heading=kras.heading, lock_version=kras.lock_version,
        body=kras.body + "\n\nPeople who use services help choose the measures and check the results with us.",
    )
    joining = _clause(session, agreement.id, "Joining and leaving")
    proposal = services.propose(
        session, kwame, agreement, clause=joining, heading=joining.heading,
        body=joining.body.replace("six months' notice", "three months' notice, or six months' if it is a large organisation"),
        reason="Six months is a long time for a small organisation whose funding ends. "
        "A shorter notice period keeps small, local members able to join.",
        closes_on=(utcnow() + timedelta(days=14)).date(),
    )
    services.respond(session, grace, proposal, response="agree")
    services.respond(session, priya, proposal, response="agree")
    services.respond(session, cleo, proposal, response="stand_aside",
                     reason="I am not sure what this means for people who use Open Door, but I will not block it.")
    services.respond(
        session, amir, proposal, response="object",
        reason="Three months is not enough time to move people's support safely to another service. "
        "Could we agree three months only when the handover plan is ready?",
    )
    comments.add_comment(
        session, kwame, alliance, "agreement_proposal", proposal.id,
        body="Thank you, Amir. I am happy to add the handover plan. I will revise the proposal after our next meeting.",
        subject_label=f"the proposal \u201c{proposal.heading}\u201d",
    )
