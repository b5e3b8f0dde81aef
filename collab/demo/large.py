"""A large, realistic data set for benchmarks and query-count tests: ``flask --app wsgi seed-large``.

Sizes (``Sizes.full()``, the default):

- 20 alliances ("Bench Alliance 01" to "20") and 2,000 people. Alliance 01 has 400 members
  (3 commissioners, 60 providers each for their own organisation, 300 service users and carers,
  20 facilitators, 17 observers); the others have 84 members each.
- In alliance 01, one specification in consultation with 12 sections and 400 paragraphs and
  list items; 5,000 comments on them, 1,500 replies, 10,000 "this matters to me too" supports
  and responses to 3 in 5 comments (every outcome), some on behalf of named participants.
- Alliance 01's agreement: 60 clauses published as 10 versions (6 clauses change between
  versions), with 10 comments on each clause.

Every account's password is the demo password; the bench signs in as
``bench.commissioner@large.example`` (a commissioner of alliance 01). People, specs and the
agreement are made through the services where that is quick (so versions, hashes and
paragraph anchoring are real) and with bulk inserts where there are thousands of rows.
Bulk rows get no audit entries; everything made through services has them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import (
    Alliance,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    SharedOutcome,
    SizeBand,
    Visibility,
)
from collab.db import utcnow
from collab.documents.models import Comment, DiscussionThread
from collab.markdown import render_markdown
from collab.specs import services
from collab.specs.models import (
    POSITION_SCALE,
    AnchorState,
    CommentSupport,
    Outcome,
    SpecComment,
    SpecParagraph,
    SpecResponse,
)

BENCH_EMAIL = "bench.commissioner@large.example"
BENCH_ALLIANCE = "Bench Alliance 01"
SPEC_TITLE = "Integrated community mental health support"


@dataclass(frozen=True)
class Sizes:
    alliances: int
    users: int
    first_alliance_members: int
    other_alliance_members: int
    sections: int
    paragraphs: int
    comments: int
    replies: int
    supports: int
    clauses: int
    versions: int
    clause_comments: int

    @classmethod
    def full(cls) -> Sizes:
        return cls(alliances=20, users=2000, first_alliance_members=400, other_alliance_members=84, sections=12,
                   paragraphs=400, comments=5000, replies=1500, supports=10_000, clauses=60, versions=10,
                   clause_comments=10)

    @classmethod
    def small(cls) -> Sizes:
        """About the size of the demo data (for tests that compare small and large)."""
        return cls(alliances=2, users=60, first_alliance_members=40, other_alliance_members=10, sections=12,
                   paragraphs=24, comments=12, replies=4, supports=10, clauses=4, versions=2, clause_comments=1)


WORDS = ["people", "support", "crisis", "team", "home", "visit", "plan", "safe", "listen", "care", "family", "friend", "carer", "worker", "nurse", "peer", "service", "help", "time", "night", "day", "week", "call", "talk", "meet", "place", "town", "centre", "money", "housing", "health", "doctor", "choice", "recovery", "group", "café", "phone", "text", "chat", "letter", "record", "review", "measure", "outcome", "budget", "partner", "alliance", "commissioner", "provider", "community", "local", "quick", "kind", "clear", "honest"]
STARTS = ["We will", "People can", "The team will", "Every person", "Staff will", "Carers can", "The service will"]


def _sentence(rng: random.Random) -> str:
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 16)))
    return f"{rng.choice(STARTS)} {words}."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(1, 3)))


def _section_body(rng: random.Random, blocks: int) -> str:
    """Markdown with ``blocks`` blocks: paragraphs and, every so often, a short list."""
    parts: list[str] = []
    made = 0
    while made < blocks:
        if made % 7 == 3 and blocks - made >= 3:
            items = min(3, blocks - made)
            parts.append("\n".join(f"- {_sentence(rng)[:-1]} {made + i}" for i in range(items)))
            made += items
        else:
            parts.append(f"{_paragraph(rng)} ({made})")
            made += 1
    return "\n\n".join(parts)


def _ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert and return the new ids in the order of ``rows``."""
    if not rows:
        return []
    result = session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return list(result)


def seed_large(session: Session, sizes: Sizes | None = None, *, seed: int = 2026) -> bool:
    """Build the data set; False (and nothing changes) if it is already there."""
    sizes = sizes or Sizes.full()
    if session.scalar(select(Alliance.id).where(Alliance.name == BENCH_ALLIANCE)) is not None:
        return False
    from collab.demo import DEMO_PASSWORD
    from collab.security import hash_password

    rng = random.Random(seed)
    now = utcnow()
    password_hash = hash_password(DEMO_PASSWORD)

    # People and organisations.
    users = [
        {
            "email": BENCH_EMAIL if i == 0 else f"person{i:04d}@large.example",
            "password_hash": password_hash,
            "display_name": "Bea Bench" if i == 0 else f"Person {i:04d}",
            "is_site_admin": False,
            "is_active_account": True,
            "session_version": 1,
            "created_at": now,
        }
        for i in range(sizes.users)
    ]
    user_ids = _ids(session, User, users)
    org_ids = _ids(session, Organisation, [
        {
            "name": f"Bench organisation {i:03d}",
            "org_type": rng.choice(list(OrganisationType)),
            "size_band": rng.choice(list(SizeBand)),
            "locality": f"Bench town {i % 17}",
            "created_at": now,
        }
        for i in range(max(60, sizes.alliances * 10))
    ])

    # Alliances and membership.
    alliance_ids = _ids(session, Alliance, [
        {
            "name": f"Bench Alliance {i + 1:02d}",
            "slug": f"bench-alliance-{i + 1:02d}",
            "purpose": "We plan and run **community support** together. " * 3,
            "visibility": Visibility.PRIVATE,
            "created_by_id": user_ids[0],
            "created_at": now,
        }
        for i in range(sizes.alliances)
    ])
    session.execute(insert(SharedOutcome), [
        {"alliance_id": a, "position": p, "text": text}
        for a in alliance_ids
        for p, text in enumerate(["People recover and stay well", "People choose their support", "People take part"], 1)
    ])
    memberships: list[dict[str, Any]] = []
    first_roles: dict[int, Role] = {}
    n = sizes.first_alliance_members
    plan = (
        [Role.COMMISSIONER] * 3 + [Role.PROVIDER] * min(60, n // 6) + [Role.FACILITATOR] * max(2, n // 20)
    )
    plan += [Role.SERVICE_USER] * max(0, (n * 3) // 4 - 0)
    plan = plan[:n] + [Role.OBSERVER] * max(0, n - len(plan))
    for index, role in enumerate(plan):
        uid = user_ids[index]
        first_roles[uid] = role
        memberships.append({
            "user_id": uid, "alliance_id": alliance_ids[0], "role": role,
            "organisation_id": org_ids[index % len(org_ids)] if role == Role.PROVIDER else None, "created_at": now,
        })
    pool = user_ids[n:] or user_ids
    cursor = 0
    for a_index, alliance_id in enumerate(alliance_ids[1:], start=1):
        for k in range(sizes.other_alliance_members):
            uid = pool[cursor % len(pool)]
            cursor += 1
            role = (Role.COMMISSIONER if k == 0 else Role.PROVIDER if k < 12 else Role.FACILITATOR if k < 14
                    else Role.OBSERVER if k % 10 == 9 else Role.SERVICE_USER)
            memberships.append({
                "user_id": uid, "alliance_id": alliance_id, "role": role,
                "organisation_id": org_ids[(a_index * 12 + k) % len(org_ids)] if role == Role.PROVIDER else None,
                "created_at": now,
            })
    session.execute(insert(Membership), memberships)
    session.flush()

    alliance = session.get(Alliance, alliance_ids[0])
    bench = session.get(User, user_ids[0])
    assert alliance is not None and bench is not None
    from collab import audit

    audit.record(session, bench, "alliance.created", alliance, alliance=alliance, label=alliance.name)

    _build_spec(session, rng, sizes, alliance, bench, first_roles)
    _build_agreement(session, rng, sizes, alliance, bench, [u for u, r in first_roles.items() if r != Role.OBSERVER])
    return True


def _build_spec(
    session: Session, rng: random.Random, sizes: Sizes, alliance: Alliance, bench: User, roles: dict[int, Role]
) -> None:
    spec = services.create_spec(session, bench, alliance, title=SPEC_TITLE, service_area="Adult mental health",
                                summary="Support in the community for adults with mental health needs.")
    services.update_details(session, bench, spec, spec.lock_version, title=spec.title, service_area=spec.service_area,
                            summary=spec.summary, easy_read="We help you when you are not well.\n\n- Call us.\n- We listen.")
    for i in range(sizes.sections - len(spec.sections)):
        services.add_section(session, bench, spec, heading=f"Extra section {i + 1}")
    sections = sorted(spec.sections, key=lambda s: s.position)
    per = [sizes.paragraphs // len(sections) + (1 if i < sizes.paragraphs % len(sections) else 0) for i in range(len(sections))]
    for section, blocks in zip(sections, per, strict=False):
        services.save_section(session, bench, section, section.lock_version, heading=section.heading,
                              body=_section_body(rng, blocks))
    today = utcnow().date()
    services.open_consultation(session, bench, spec, opens_on=today - timedelta(days=10), closes_on=today + timedelta(days=30))
    paragraphs = session.scalars(select(SpecParagraph).where(SpecParagraph.spec_id == spec.id).order_by(SpecParagraph.id)).all()

    thread_ids = _ids(session, DiscussionThread, [
        {"alliance_id": alliance.id, "subject_type": services.SUBJECT, "subject_id": p.id, "created_at": utcnow()}
        for p in paragraphs
    ])
    thread_of = {p.id: t for p, t in zip(paragraphs, thread_ids, strict=False)}
    section_position = {s.id: s.position for s in sections}
    speakers = [u for u, r in roles.items() if r != Role.OBSERVER]
    facilitators = [u for u, r in roles.items() if r == Role.FACILITATOR]
    names = ["Amal", "Bo", "Cai", "Dee", "Eli", "Fay", "Gus", "Hana"]
    base = utcnow() - timedelta(days=9)

    top_rows: list[dict[str, Any]] = []
    meta: list[Any] = []
    for i in range(sizes.comments):
        # Some paragraphs get far more comments than others, as in real consultations.
        paragraph = paragraphs[int(len(paragraphs) * rng.random() ** 2)]
        on_behalf = rng.random() < 0.1 and facilitators
        author = rng.choice(facilitators) if on_behalf else rng.choice(speakers)
        body = f"{_sentence(rng)} {_sentence(rng)} (comment {i})"
        created = base + timedelta(seconds=i * 60)
        top_rows.append({
            "thread_id": thread_of[paragraph.id], "parent_id": None, "author_id": author,
            "on_behalf_of_name": rng.choice(names) if on_behalf else None, "body": body,
            "body_html": str(render_markdown(body)), "created_at": created,
        })
        meta.append((paragraph, Role.SERVICE_USER if on_behalf else roles[author], created))
    comment_ids = _ids(session, Comment, top_rows)
    sc_ids = _ids(session, SpecComment, [
        {
            "comment_id": cid, "spec_id": spec.id, "section_id": p.section_id, "paragraph_id": p.id,
            "version_number": 1, "quote": p.text, "speaker_role": role, "anchor": AnchorState.CURRENT,
            "support_count": 0, "created_at": created,
            "position_key": section_position[p.section_id] * POSITION_SCALE + p.position,
        }
        for cid, (p, role, created) in zip(comment_ids, meta, strict=False)
    ])
    if comment_ids:
        session.execute(insert(Comment), [
            {
                "thread_id": top_rows[k]["thread_id"], "parent_id": comment_ids[k], "author_id": rng.choice(speakers),
                "body": f"Reply: {_sentence(rng)}", "body_html": f"<p>Reply: {_sentence(rng)}</p>",
                "created_at": top_rows[k]["created_at"] + timedelta(hours=1),
            }
            for k in (rng.randrange(len(comment_ids)) for _ in range(sizes.replies))
        ])
    # Supports: unique (comment, person) pairs, and the count kept on each comment.
    counts: dict[int, int] = {}
    pairs: set[tuple[int, int]] = set()
    supporters = list(roles)
    while len(pairs) < min(sizes.supports, len(sc_ids) * len(supporters)) and sc_ids:
        pair = (rng.choice(sc_ids), rng.choice(supporters))
        if pair not in pairs:
            pairs.add(pair)
            counts[pair[0]] = counts.get(pair[0], 0) + 1
    if pairs:
        session.execute(insert(CommentSupport), [
            {"spec_comment_id": sc, "user_id": u, "created_at": utcnow()} for sc, u in sorted(pairs)
        ])
        from sqlalchemy import update

        for sc, count in counts.items():
            session.execute(update(SpecComment).where(SpecComment.id == sc).values(support_count=count)
                            .execution_options(synchronize_session=False))
    outcomes = [Outcome.CHANGED, Outcome.PARTLY_CHANGED, Outcome.NOT_CHANGED, Outcome.ANSWERED]
    responses = []
    for k, sc in enumerate(sc_ids):
        if k % 5 >= 3:
            continue  # 2 in 5 are still waiting
        outcome = outcomes[k % 4 if k % 5 else (k // 5) % 4]
        paragraph = meta[k][0]
        responses.append({
            "spec_comment_id": sc, "spec_id": spec.id, "outcome": outcome,
            "text": f"Thank you. {_sentence(rng)}",
            "change_section_id": paragraph.section_id if outcome in (Outcome.CHANGED, Outcome.PARTLY_CHANGED) else None,
            "change_version_number": None, "responded_by_id": bench.id, "responded_at": utcnow(),
        })
    if responses:
        session.execute(insert(SpecResponse), responses)
    session.flush()


def _build_agreement(session: Session, rng: random.Random, sizes: Sizes, alliance: Alliance, bench: User,
                     speakers: list[int]) -> None:
    from collab.agreements import services as agreements
    from collab.agreements.models import Clause

    agreement = agreements.start_agreement(session, bench, alliance, use_template=False)
    clauses = [
        agreements.add_clause(session, bench, agreement, heading=f"Clause {i + 1}: {rng.choice(WORDS).capitalize()}",
                              body=_section_body(rng, 3))
        for i in range(sizes.clauses)
    ]
    for number in range(1, sizes.versions + 1):
        agreements.publish(session, bench, agreement)
        if number == sizes.versions:
            break
        agreements.open_drafting(session, bench, agreement)
        for clause in rng.sample(clauses, k=min(6, len(clauses))):
            current = session.get(Clause, clause.id)
            assert current is not None
            agreements.edit_clause(session, bench, current, heading=current.heading,
                                   body=current.body + f"\n\n{_paragraph(rng)}", lock_version=current.lock_version)
    thread_ids = _ids(session, DiscussionThread, [
        {"alliance_id": alliance.id, "subject_type": "agreement_clause", "subject_id": c.id, "created_at": utcnow()}
        for c in clauses
    ])
    rows = [
        {"thread_id": t, "parent_id": None, "author_id": rng.choice(speakers), "body": _sentence(rng),
         "body_html": f"<p>{_sentence(rng)}</p>", "created_at": utcnow()}
        for t in thread_ids for _ in range(sizes.clause_comments)
    ]
    if rows:
        session.execute(insert(Comment), rows)
    session.flush()
