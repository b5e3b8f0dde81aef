"""Races the database must settle, proved on PostgreSQL with real concurrent requests.

Each test commits (marker ``committed``), runs every writer in its own thread with its
own test client (so its own request, session and connection), and removes what it
made at the end.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.agreements import services
from collab.agreements.models import Agreement, Clause, ClauseRevision, RevisionSource, Signature
from collab.alliances.models import Alliance, Membership, Organisation, OrganisationType, Role, SizeBand
from collab.audit import AuditEntry, verify_chain
from collab.security import new_token
from tests.databases import allow_tampering, end_tampering
from tests.factories import PASSWORD, _password_hash, enable_two_step, login_as

pytestmark = [pytest.mark.committed, pytest.mark.postgres_only]

WRITERS = 8
ROUNDS = 100
SIGNERS = 20


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("concurrency is proved on PostgreSQL (SQLite runs one writer at a time)")


@pytest.fixture
def made(engine) -> Iterator[dict[str, list[int]]]:
    ids: dict[str, list[int]] = {"users": [], "alliances": [], "organisations": []}
    yield ids
    with Session(engine) as s, s.begin():
        allow_tampering(s)
        s.execute(text("DELETE FROM signature WHERE version_id IN (SELECT v.id FROM agreement_version v JOIN agreement a "
                       "ON a.id = v.agreement_id WHERE a.alliance_id = ANY(:a))"), {"a": ids["alliances"]})
        s.execute(delete(AuditEntry).where(or_(
            AuditEntry.alliance_id.in_(ids["alliances"]), AuditEntry.actor_id.in_(ids["users"])
        )))
        end_tampering(s)
        s.execute(delete(Agreement).where(Agreement.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Membership).where(Membership.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Alliance).where(Alliance.id.in_(ids["alliances"])))
        s.execute(delete(Organisation).where(Organisation.id.in_(ids["organisations"])))
        s.execute(delete(User).where(User.id.in_(ids["users"])))


def _setup(app, engine, made, people: int) -> tuple[str, list[int], int]:
    """A committed alliance with ``people`` providers for one organisation and a started agreement."""
    tag = new_token()[1][:8]  # hex, so the slug is all lower case
    with Session(engine, expire_on_commit=False) as s, s.begin():
        org = Organisation(name=f"Race org {tag}", org_type=OrganisationType.CHARITY, size_band=SizeBand.SMALL, locality="Here")
        users = [User(email=f"agree-{tag}-{n}@example.org", password_hash=_password_hash(), display_name=f"Writer {n}")
                 for n in range(people)]
        alliance = Alliance(name=f"Race {tag}", slug=f"race-{tag}", purpose="Racing")
        s.add_all([org, alliance, *users])
        s.flush()
        made["users"] += [u.id for u in users]
        made["alliances"].append(alliance.id)
        made["organisations"].append(org.id)
        s.add(Membership(user_id=users[0].id, alliance_id=alliance.id, role=Role.COMMISSIONER, organisation_id=org.id))
        for user in users[1:]:
            s.add(Membership(user_id=user.id, alliance_id=alliance.id, role=Role.PROVIDER, organisation_id=org.id))
        s.flush()
        with app.test_request_context():
            for user in users:  # signing for an organisation needs two-step sign-in (issue 7)
                enable_two_step(user, s)
            agreement = services.start_agreement(s, users[0], alliance, use_template=True)
        clause_id = services.active_clauses(s, agreement)[0].id
        return alliance.slug, [u.id for u in users], clause_id


def _run(threads: list[threading.Thread]) -> None:
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a writer never finished"


def test_racing_edits_lose_nothing(app, engine, made):
    slug, user_ids, clause_id = _setup(app, engine, made, WRITERS)
    barrier = threading.Barrier(WRITERS)
    accepted: list[str] = []
    rejected: list[str] = []
    failures: list[str] = []
    lock = threading.Lock()
    url = f"/alliances/{slug}/agreement/clauses/{clause_id}/edit"

    def writer(n: int) -> None:
        client = app.test_client()
        with Session(engine) as s:
            login_as(client, s.get(User, user_ids[n]), session=s)
        with engine.connect() as conn:
            for r in range(ROUNDS):
                body = f"Writer {n}, round {r}: we share what we know."
                try:
                    barrier.wait(timeout=60)
                except threading.BrokenBarrierError:
                    return
                version = conn.execute(text("SELECT lock_version FROM clause WHERE id = :id"), {"id": clause_id}).scalar_one()
                conn.rollback()
                response = client.post(url, data={
                    f"clause-{clause_id}-heading": "Purpose and shared outcomes",
                    f"clause-{clause_id}-body": body,
                    f"clause-{clause_id}-lock_version": str(version),
                })
                with lock:
                    if response.status_code == 303:
                        accepted.append(body)
                    elif response.status_code == 409 and "Someone else saved a change" in response.get_data(as_text=True):
                        rejected.append(body)
                    else:
                        failures.append(f"{n}/{r}: {response.status_code}")
                        barrier.abort()

    _run([threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)])
    assert not failures, failures[:5]
    assert len(accepted) + len(rejected) == WRITERS * ROUNDS
    assert len(accepted) >= ROUNDS  # at least one writer wins every round
    assert rejected, "the writers never actually collided"
    with Session(engine) as s:
        edits = s.scalars(
            select(ClauseRevision).where(ClauseRevision.clause_id == clause_id, ClauseRevision.source == RevisionSource.EDIT)
            .order_by(ClauseRevision.lock_version)
        ).all()
        clause = s.get(Clause, clause_id)
        # Every accepted edit is in the history exactly once, no rejected one is, and versions have no gaps.
        assert Counter(r.body for r in edits) == Counter(accepted)
        assert not set(rejected) & {r.body for r in edits}
        assert [r.lock_version for r in edits] == list(range(2, 2 + len(accepted)))
        # 0 lost updates: the clause holds the last accepted edit.
        assert clause.lock_version == 1 + len(accepted)
        assert clause.body == edits[-1].body
        assert s.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "clause.edited", AuditEntry.subject_id == clause_id)) == len(accepted)
        with app.app_context():  # the audit key comes from the app (issue 7)
            assert verify_chain(s).ok


def test_racing_signatures_make_exactly_one(app, engine, made):
    slug, user_ids, _clause_id = _setup(app, engine, made, 2)
    with Session(engine, expire_on_commit=False) as s, s.begin(), app.test_request_context():
        agreement = s.scalar(select(Agreement).where(Agreement.alliance_id == made["alliances"][0]))
        version = services.publish(s, s.get(User, user_ids[0]), agreement)
        version_id, sha = version.id, version.sha256
    barrier = threading.Barrier(SIGNERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def signer(n: int) -> None:
        client = app.test_client()
        with Session(engine) as s:
            login_as(client, s.get(User, user_ids[1]), session=s)
        barrier.wait(timeout=60)
        response = client.post(
            f"/alliances/{slug}/agreement/versions/1/sign",
            data={"password": PASSWORD, "typed_name": "Writer 1", "confirm": "y", "sha256": sha},
            environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"},
        )
        with lock:
            statuses.append(response.status_code)

    _run([threading.Thread(target=signer, args=(n,)) for n in range(SIGNERS)])
    assert statuses == [303] * SIGNERS, statuses
    with Session(engine) as s:
        assert s.scalar(select(func.count(Signature.id)).where(Signature.version_id == version_id)) == 1
        assert s.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "agreement.signed", AuditEntry.alliance_id == made["alliances"][0])) == 1
        # The one organisation has signed, so the version is in force, exactly once.
        assert s.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "agreement.in_force", AuditEntry.alliance_id == made["alliances"][0])) == 1
        with app.app_context():  # the audit key comes from the app (issue 7)
            assert verify_chain(s).ok
