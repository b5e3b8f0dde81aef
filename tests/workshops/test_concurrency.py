"""Places under load, proved on PostgreSQL: 30 people reply at once for 10 places.

Each test commits (marker ``committed``) and removes what it made afterwards. A short pause
is slipped in just after the places are counted, where a race would do damage, so that the
transactions really overlap: without the workshop's row lock, more than 10 would get a place.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Role
from collab.audit import AuditEntry, verify_chain
from collab.db import db
from collab.security import new_token
from collab.workshops import services
from collab.workshops.models import Invitee, Reply, Workshop
from collab.workshops.services import invitations as invitation_services
from tests.databases import allow_tampering, end_tampering

pytestmark = [pytest.mark.committed, pytest.mark.postgres_only]

PAUSE = 0.05


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("concurrency is proved on PostgreSQL (SQLite runs one writer at a time)")


@pytest.fixture
def made(engine) -> Iterator[dict[str, list[int]]]:
    ids: dict[str, list[int]] = {"users": [], "alliances": []}
    yield ids
    with Session(engine) as s, s.begin():
        allow_tampering(s)
        s.execute(delete(AuditEntry).where(or_(
            AuditEntry.alliance_id.in_(ids["alliances"]), AuditEntry.actor_id.in_(ids["users"])
        )))
        end_tampering(s)
        s.execute(delete(Workshop).where(Workshop.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Membership).where(Membership.alliance_id.in_(ids["alliances"])))
        s.execute(delete(Alliance).where(Alliance.id.in_(ids["alliances"])))
        s.execute(delete(User).where(User.id.in_(ids["users"])))


def _setup(engine, made, people: int, capacity: int) -> tuple[int, list[int]]:
    """A workshop with ``capacity`` places and ``people`` invited service users; all committed."""
    tag = new_token()[0][:8]
    with Session(engine, expire_on_commit=False) as s, s.begin():
        organiser = User(email=f"ws-{tag}-org@example.org", password_hash="x", display_name="Organiser")
        users = [User(email=f"ws-{tag}-{n}@example.org", password_hash="x", display_name=f"Person {n}")
                 for n in range(people)]
        s.add_all([organiser, *users])
        alliance = Alliance(name=f"Race {tag}", slug=f"ws-race-{tag}", purpose="Racing")
        s.add(alliance)
        s.flush()
        s.add(Membership(user_id=organiser.id, alliance_id=alliance.id, role=Role.COMMISSIONER))
        for user in users:
            s.add(Membership(user_id=user.id, alliance_id=alliance.id, role=Role.SERVICE_USER))
        start = datetime.now(UTC) + timedelta(days=7)
        workshop = Workshop(alliance_id=alliance.id, title="Busy workshop", purpose="Lots of people", starts_at=start,
                            ends_at=start + timedelta(hours=2), capacity=capacity, in_person=True, address="Hall")
        s.add(workshop)
        s.flush()
        for user in users:
            s.add(Invitee(workshop_id=workshop.id, user_id=user.id, reply=Reply.PENDING, access_needs=[]))
        made["users"] += [organiser.id] + [u.id for u in users]
        made["alliances"].append(alliance.id)
        return workshop.id, [u.id for u in users]


def _race(app, jobs: list[Callable[[Session], Any]]) -> list[Any]:
    """Each job in its own thread, app context and database session, all starting together."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(i: int, job: Callable[[Session], Any]) -> None:
        with app.app_context():
            session = db.session
            try:
                barrier.wait(timeout=20)
                results[i] = job(session)
                session.commit()
            except Exception as error:  # noqa: BLE001 (reported below)
                session.rollback()
                results[i] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a racing transaction never finished"
    problems = [r for r in results if isinstance(r, Exception)]
    assert not problems, problems
    return results


@pytest.fixture
def slow_count(monkeypatch) -> None:
    """Pause just after the places are counted, so replies overlap where it matters."""
    original = invitation_services.taken_places

    def slowed(*args: Any, **kwargs: Any) -> int:
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(invitation_services, "taken_places", slowed)


def _reply(workshop_id: int, user_id: int, answer: str) -> Callable[[Session], Any]:
    def job(session: Session) -> Any:
        return services.reply(session, session.get(User, user_id), session.get(Workshop, workshop_id), answer).invitee.id
    return job


def _state(engine, workshop_id: int) -> list[tuple[int, Reply, int | None, datetime | None]]:
    with Session(engine) as s:
        return list(s.execute(select(Invitee.user_id, Invitee.reply, Invitee.waiting_number, Invitee.replied_at)
                              .where(Invitee.workshop_id == workshop_id)).all())


def test_thirty_replies_at_once_for_ten_places(app, engine, made, slow_count):
    workshop_id, people = _setup(engine, made, people=30, capacity=10)
    _race(app, [_reply(workshop_id, uid, "yes") for uid in people])
    rows = _state(engine, workshop_id)
    coming = [r for r in rows if r.reply == Reply.YES]
    waiting = sorted((r for r in rows if r.reply == Reply.WAITING), key=lambda r: r.waiting_number)
    assert len(coming) == 10
    assert len(waiting) == 20
    # The waiting list is numbered 1..20 with no gaps or repeats, in the order the replies were settled.
    assert [r.waiting_number for r in waiting] == list(range(1, 21))
    assert all(w.replied_at >= c.replied_at for w in waiting[:1] for c in coming)
    with Session(engine) as s, app.app_context():
        assert verify_chain(s).ok


def test_declines_at_once_promote_the_waiting_list_in_order(app, engine, made, slow_count):
    workshop_id, people = _setup(engine, made, people=30, capacity=10)
    _race(app, [_reply(workshop_id, uid, "yes") for uid in people])
    rows = _state(engine, workshop_id)
    coming = [r.user_id for r in rows if r.reply == Reply.YES]
    queue = [r.user_id for r in sorted((r for r in rows if r.reply == Reply.WAITING), key=lambda r: r.waiting_number)]
    # Five people with places and three people waiting say no, all at once.
    leaving = coming[:5] + queue[-3:]
    _race(app, [_reply(workshop_id, uid, "no") for uid in leaving])
    after = {r.user_id: r for r in _state(engine, workshop_id)}
    assert sum(1 for r in after.values() if r.reply == Reply.YES) == 10
    # Exactly the first five still waiting got the places, and the rest keep their order.
    assert list(queue[:5]) == [uid for uid in queue[:5] if after[uid].reply == Reply.YES]
    still = list(queue[5:-3])
    assert all(after[uid].reply == Reply.WAITING for uid in still)
    assert [after[uid].waiting_number for uid in still] == sorted(after[uid].waiting_number for uid in still)
    assert all(after[uid].reply == Reply.NO for uid in leaving)
