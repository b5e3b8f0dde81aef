"""The bench's data for the newer areas: workshops, shared resources, value and "For you".

``seed_areas`` runs after ``collab.demo.large.seed_large`` in the bench's own database. It adds the
demo alliances (Riverside and Northgate, ``collab.demo.seed_demo``: workshops with a live ideas
board, a dozen shared resources with bookings, a social value framework, commitments, KRAs and a
scorecard) and makes the bench commissioner a member of several alliances, so "For you" gathers
from the large specification in Bench Alliance 01 and from every area of Riverside. The past
Riverside workshop's board is scaled to a busy session: BOARD_PEOPLE more participants, BOARD_IDEAS
ideas in themes and their dot votes (bulk rows, like the large data set).

Returns the ids the bench's addresses need.
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Role
from collab.db import utcnow
from collab.demo import seed_demo
from collab.demo.large import BENCH_EMAIL
from collab.demo.workshops import PAST_TITLE
from collab.resources.models import Booking, Resource
from collab.value.models import EvaluationModel
from collab.workshops.models import Idea, Theme, Vote, Workshop

RIVERSIDE = "Riverside Living Well Alliance"
NORTHGATE = "Northgate Youth Alliance"
#: The bench commissioner is also in these alliances (besides Bench Alliance 01), as these roles.
ALSO_IN = {RIVERSIDE: Role.COMMISSIONER, NORTHGATE: Role.FACILITATOR, "Bench Alliance 02": Role.PROVIDER,
           "Bench Alliance 03": Role.SERVICE_USER}
BOARD_PEOPLE = 60
BOARD_IDEAS = 150
BOARD_THEMES = 8

#: The value pages the bench loads in Riverside (name, path after /alliances/<slug>/value), besides the
#: value page and the scorecard; "{evaluation}" is the demo evaluation model's id.
VALUE_PAGES = [
    ("value commitments", "/commitments"),
    ("value framework", "/framework"),
    ("value open book", "/open-book"),
    ("value risk and reward", "/risk-and-reward"),
    ("value evaluations", "/evaluations"),
    ("value evaluation model", "/evaluations/{evaluation}"),
]

IDEA_WORDS = ["a quiet space", "peer support", "open late", "no referral needed", "a text line", "carers welcome",
              "free tea", "bus fare paid", "someone who has been there", "help with forms", "a safe place",
              "open at weekends", "easy to find", "a warm welcome", "no judgement", "a follow-up call"]


def seed_areas(session: Session, *, seed: int = 2026) -> dict[str, Any]:
    rng = random.Random(seed)
    seed_demo(session)
    session.flush()
    now = utcnow()
    bench = session.scalar(select(User).where(User.email == BENCH_EMAIL))
    assert bench is not None
    alliances = {a.name: a for a in session.scalars(select(Alliance).where(Alliance.name.in_(ALSO_IN)))}
    session.execute(insert(Membership), [
        {"user_id": bench.id, "alliance_id": alliances[name].id, "role": role, "organisation_id": None,
         "created_at": now}
        for name, role in ALSO_IN.items()
    ])
    riverside = alliances[RIVERSIDE]
    # A busy board: more participants (people of the large data set), ideas in themes, dots.
    people = list(session.scalars(
        select(User.id).where(User.email.like("person%@large.example")).order_by(User.id).limit(BOARD_PEOPLE)))
    session.execute(insert(Membership), [
        {"user_id": uid, "alliance_id": riverside.id, "role": Role.SERVICE_USER, "organisation_id": None,
         "created_at": now}
        for uid in people
    ])
    workshop = session.scalar(select(Workshop).where(Workshop.alliance_id == riverside.id,
                                                     Workshop.title == PAST_TITLE))
    assert workshop is not None
    first_theme = session.scalar(select(func.coalesce(func.max(Theme.position), 0))
                                 .where(Theme.workshop_id == workshop.id)) or 0
    theme_ids = list(session.scalars(insert(Theme).returning(Theme.id, sort_by_parameter_order=True), [
        {"workshop_id": workshop.id, "name": f"Theme {i + 1}: {rng.choice(IDEA_WORDS)}", "position": first_theme + i + 1}
        for i in range(BOARD_THEMES)
    ]))
    idea_ids = list(session.scalars(insert(Idea).returning(Idea.id, sort_by_parameter_order=True), [
        {"workshop_id": workshop.id, "text": f"{rng.choice(IDEA_WORDS).capitalize()} and {rng.choice(IDEA_WORDS)} ({i})",
         "author_id": people[i % len(people)], "consent": False,
         "theme_id": theme_ids[i % len(theme_ids)] if i % 5 else None, "created_at": now}
        for i in range(BOARD_IDEAS)
    ]))
    votes = []
    for uid in people:
        for idea in rng.sample(idea_ids, 3):
            votes.append({"workshop_id": workshop.id, "idea_id": idea, "user_id": uid, "dots": rng.randint(1, 2)})
    session.execute(insert(Vote), votes)
    session.execute(update(Workshop).where(Workshop.id == workshop.id).values(board_revision=Workshop.board_revision + 1))
    # The resource with the most bookings: its calendar is the heaviest.
    resource = session.scalar(
        select(Resource.id).outerjoin(Booking, Booking.resource_id == Resource.id)
        .where(Resource.alliance_id == riverside.id).group_by(Resource.id)
        .order_by(func.count(Booking.id).desc(), Resource.id).limit(1))
    evaluation = session.scalar(select(EvaluationModel.id).where(EvaluationModel.alliance_id == riverside.id)
                                .order_by(EvaluationModel.id).limit(1))
    return {"riverside": riverside.slug, "workshop": workshop.id, "resource": resource, "evaluation": evaluation}
