"""Races the database must settle: run for real on PostgreSQL, with two connections at once.

Each test commits (marker ``committed``) and removes what it made afterwards. A short
pause is slipped into the service at the point where a race would do damage, so the
two transactions really overlap rather than one finishing before the other starts.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances import services
from collab.alliances.models import Alliance, Invitation, Membership, Role
from collab.alliances.services import alliances as alliance_services
from collab.alliances.services import invitations as invitation_services
from collab.alliances.services import memberships as membership_services
from collab.alliances.services import organisations as organisation_services
from collab.audit import AuditEntry, verify_chain
from collab.db import db, utcnow
from collab.errors import DomainError
from collab.security import new_token
from tests.databases import allow_tampering, end_tampering

pytestmark = [pytest.mark.committed, pytest.mark.postgres_only]

PAUSE = 0.3


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("concurrency is proved on PostgreSQL (SQLite runs one writer at a time)")


@pytest.fixture
def made(engine) -> Iterator[dict[str, list[int]]]:
    """Ids of what a test commits, deleted again at the end."""
    ids: dict[str, list[int]] = {"users": [], "alliances": []}
    yield ids
    with Session(engine) as s, s.begin():
        allow_tampering(s)
        s.execute(delete(AuditEntry).where(or_(
            AuditEntry.alliance_id.in_(ids["alliances"]), AuditEntry.actor_id.in_(ids["users"])
        )))
        end_tampering(s)
        s.execute(delete(Invitation).where(Invitation.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Membership).where(Membership.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Alliance).where(Alliance.id.in_(ids["alliances"])))
        s.execute(delete(User).where(User.id.in_(ids["users"])))


def _setup(engine, made, commissioners: int = 1, others: int = 0) -> tuple[int, list[int], list[int]]:
    """An alliance with some commissioners, plus some people outside it; all committed."""
    tag = new_token()[0][:8]
    with Session(engine, expire_on_commit=False) as s, s.begin():
        users = [
            User(email=f"race-{tag}-{n}@example.org", password_hash="x", display_name=f"Racer {n}")
            for n in range(commissioners + others)
        ]
        s.add_all(users)
        alliance = Alliance(name=f"Race {tag}", slug=f"race-{tag}", purpose="Racing")
        s.add(alliance)
        s.flush()
        for user in users[:commissioners]:
            s.add(Membership(user_id=user.id, alliance_id=alliance.id, role=Role.COMMISSIONER))
        s.flush()
        made["users"] += [u.id for u in users]
        made["alliances"].append(alliance.id)
        return alliance.id, [u.id for u in users[:commissioners]], [u.id for u in users[commissioners:]]


def _race(app, *jobs: Callable[[Session], Any]) -> list[Any]:
    """Run each job in its own thread, app context and database session, starting together."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[Session], Any]) -> None:
        with app.app_context():
            session = db.session
            try:
                barrier.wait(timeout=10)
                results[i] = job(session)
                session.commit()
            except DomainError as error:
                session.rollback()
                results[i] = error
            except Exception as error:  # reported below; a thread must not swallow it
                session.rollback()
                results[i] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a racing transaction never finished"
    unexpected = [r for r in results if isinstance(r, Exception) and not isinstance(r, DomainError)]
    assert not unexpected, unexpected
    return results


def _slow(monkeypatch, name: str) -> None:
    """Pause just after ``<name>`` runs in the services, widening the window for a race.

    The services are a package of sub-modules: the name is slowed in each one that uses it.
    """
    every = (alliance_services, invitation_services, membership_services, organisation_services)
    modules = [m for m in every if hasattr(m, name)]
    assert modules, name
    original = getattr(modules[0], name)

    def slowed(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    for module in modules:
        monkeypatch.setattr(module, name, slowed)


def test_two_people_accepting_one_invitation_at_once_make_one_membership(app, engine, made, monkeypatch):
    alliance_id, _, (first, second) = _setup(engine, made, commissioners=1, others=2)
    token, token_hash = new_token()
    with Session(engine) as s, s.begin():
        invitation = Invitation(
            alliance_id=alliance_id, email=s.get(User, first).email, role=Role.OBSERVER,
            token_hash=token_hash, expires_at=utcnow() + timedelta(days=1),
        )
        s.add(invitation)
        s.flush()
        invitation_id = invitation.id
    # The winner pauses after claiming, so the other acceptance runs into its lock.
    _slow(monkeypatch, "forget_memberships")

    def accept(user_id: int) -> Callable[[Session], Any]:
        def job(session: Session) -> Any:
            invitation = session.get(Invitation, invitation_id)
            return services.accept_invitation(session, invitation, session.get(User, user_id))
        return job

    results = _race(app, accept(first), accept(second))
    assert sum(isinstance(r, Membership) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    with Session(engine) as s:
        joined = s.scalar(select(func.count(Membership.id)).where(
            Membership.alliance_id == alliance_id, Membership.user_id.in_([first, second])
        ))
        assert joined == 1
        assert s.get(Invitation, invitation_id).used_by_id in (first, second)
        with app.app_context():  # the audit key comes from the app (issue 7)
            assert verify_chain(s).ok


def test_one_person_accepting_twice_at_once_joins_once(app, engine, made, monkeypatch):
    alliance_id, _, (person,) = _setup(engine, made, commissioners=1, others=1)
    token, token_hash = new_token()
    with Session(engine) as s, s.begin():
        invitation = Invitation(
            alliance_id=alliance_id, email=s.get(User, person).email, role=Role.PROVIDER,
            token_hash=token_hash, expires_at=utcnow() + timedelta(days=1),
        )
        s.add(invitation)
        s.flush()
        invitation_id = invitation.id
    _slow(monkeypatch, "forget_memberships")

    def job(session: Session) -> Any:
        invitation = session.get(Invitation, invitation_id)
        # Providers need an organisation in the UI; the race is about the claim, so use an observer role.
        invitation.role = Role.OBSERVER
        return services.accept_invitation(session, invitation, session.get(User, person))

    results = _race(app, job, job)
    assert sum(isinstance(r, Membership) for r in results) == 1, results
    with Session(engine) as s:
        assert s.scalar(select(func.count(Membership.id)).where(
            Membership.alliance_id == alliance_id, Membership.user_id == person
        )) == 1


def test_two_commissioners_demoting_each_other_at_once_leave_one_commissioner(app, engine, made, monkeypatch):
    alliance_id, (first, second), _ = _setup(engine, made, commissioners=2)
    # Both count two commissioners, then pause: without the alliance lock both would demote.
    _slow(monkeypatch, "_commissioner_count")

    def demote(actor_id: int, target_id: int) -> Callable[[Session], Any]:
        def job(session: Session) -> Any:
            target = session.scalar(select(Membership).where(
                Membership.alliance_id == alliance_id, Membership.user_id == target_id
            ))
            services.change_role(session, session.get(User, actor_id), target, role=Role.OBSERVER, organisation=None)
            return target
        return job

    results = _race(app, demote(first, second), demote(second, first))
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    assert "at least one commissioner" in next(r for r in results if isinstance(r, DomainError)).message
    with Session(engine) as s:
        roles = s.scalars(select(Membership.role).where(Membership.alliance_id == alliance_id)).all()
        assert sorted(roles) == sorted([Role.COMMISSIONER, Role.OBSERVER])
        with app.app_context():  # the audit key comes from the app (issue 7)
            assert verify_chain(s).ok


def test_two_commissioners_leaving_at_once_leave_one_commissioner(app, engine, made, monkeypatch):
    alliance_id, (first, second), _ = _setup(engine, made, commissioners=2)
    _slow(monkeypatch, "_commissioner_count")

    def leave(user_id: int) -> Callable[[Session], Any]:
        def job(session: Session) -> Any:
            membership = session.scalar(select(Membership).where(
                Membership.alliance_id == alliance_id, Membership.user_id == user_id
            ))
            services.leave(session, membership)
        return job

    results = _race(app, leave(first), leave(second))
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    with Session(engine) as s:
        assert s.scalar(select(func.count(Membership.id)).where(
            Membership.alliance_id == alliance_id, Membership.role == Role.COMMISSIONER
        )) == 1


def test_two_people_registering_the_same_organisation_at_once_get_one_and_a_message(app, engine, made, monkeypatch):
    from collab.alliances.models import Organisation

    _alliance_id, (first, second), _ = _setup(engine, made, commissioners=2)
    name = f"Same Name {new_token()[0][:6]}"
    # Both pass the name check before either inserts.
    _slow(monkeypatch, "_check_organisation_name")

    def register(user_id: int) -> Callable[[Session], Any]:
        def job(session: Session) -> Any:
            return services.create_organisation(
                session, session.get(User, user_id), name=name, org_type="charity", size_band="small",
                locality="Raceville",
            ).id
        return job

    try:
        results = _race(app, register(first), register(second))
        assert sum(isinstance(r, int) for r in results) == 1
        [refused] = [r for r in results if isinstance(r, DomainError)]
        assert "already registered" in refused.message
    finally:
        with Session(engine) as s, s.begin():
            allow_tampering(s)
            s.execute(delete(AuditEntry).where(AuditEntry.subject_type == "organisation", AuditEntry.subject_label == name))
            end_tampering(s)
            s.execute(delete(Organisation).where(Organisation.name == name))


def test_two_alliances_with_the_same_name_at_once_get_different_addresses(app, engine, made, monkeypatch):
    _alliance_id, (first, second), _ = _setup(engine, made, commissioners=2)
    name = f"Twin {new_token()[0][:6]}"
    _slow(monkeypatch, "_unique_slug")

    def create(user_id: int) -> Callable[[Session], Any]:
        def job(session: Session) -> Any:
            alliance = services.create_alliance(
                session, session.get(User, user_id), name=name, purpose="Twins", outcomes=["Both exist"],
            )
            return alliance.id, alliance.slug
        return job

    results = _race(app, create(first), create(second))
    made["alliances"] += [alliance_id for alliance_id, _slug in results]
    slugs = {slug for _id, slug in results}
    assert len(slugs) == 2
