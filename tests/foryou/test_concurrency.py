"""Many first visits at the same moment (two tabs, a double click) make one visit row, and no error.

Proved on PostgreSQL with real concurrent transactions (SQLite runs one writer at a time).
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from collab.accounts.models import User
from collab.foryou import services
from collab.foryou.models import AttentionVisit
from collab.security import new_token
from tests.factories import _password_hash

pytestmark = [pytest.mark.committed, pytest.mark.postgres_only]

VISITORS = 8
ROUNDS = 20


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("concurrency is proved on PostgreSQL (SQLite runs one writer at a time)")


def test_simultaneous_first_visits_make_one_row(app, engine):
    tag = new_token()[1][:8]
    with Session(engine, expire_on_commit=False) as s, s.begin():
        users = [User(email=f"visit-{tag}-{n}@example.org", password_hash=_password_hash(), display_name=f"V {n}")
                 for n in range(ROUNDS)]
        s.add_all(users)
    ids = [u.id for u in users]
    failures: list[str] = []
    previous: list[object] = []
    lock = threading.Lock()
    barrier = threading.Barrier(VISITORS)

    def visitor() -> None:
        for user_id in ids:
            try:
                barrier.wait(timeout=60)
            except threading.BrokenBarrierError:
                return
            try:
                with Session(engine) as s, s.begin():
                    visit = services.record_visit(s, s.get(User, user_id))
                with lock:
                    previous.append(visit.previous)
            except Exception as error:  # any failure is what the test looks for
                with lock:
                    failures.append(repr(error))
                barrier.abort()

    threads = [threading.Thread(target=visitor) for _ in range(VISITORS)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert not failures, failures[:3]
        assert previous == [None] * (VISITORS * ROUNDS)  # a first visit, however many at once
        with Session(engine) as s:
            rows = s.execute(
                select(AttentionVisit.user_id, func.count()).where(AttentionVisit.user_id.in_(ids))
                .group_by(AttentionVisit.user_id)
            ).all()
            assert sorted(rows) == sorted((user_id, 1) for user_id in ids)
    finally:
        with Session(engine) as s, s.begin():
            s.execute(delete(AttentionVisit).where(AttentionVisit.user_id.in_(ids)))
            s.execute(delete(User).where(User.id.in_(ids)))
