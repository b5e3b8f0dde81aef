"""Alliance revisions (issue 10): bumped by every write an alliance's pages can show, in the same
transaction, from one place in the unit of work; never by a rollback; never serialising writers."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import collab.models  # noqa: F401  (every table on the metadata)
from collab.accounts.models import SignInSession
from collab.alliances.models import Alliance, SharedOutcome, Visibility
from collab.db import Base, make_engine, utcnow
from collab.migrate import upgrade
from collab.revisions import SITE, AllianceRevision, is_declared, revisions
from tests.databases import fresh_database
from tests.factories import make_alliance


def test_every_model_says_where_its_rows_belong(app) -> None:
    undeclared = sorted(
        mapper.class_.__name__ for mapper in Base.registry.mappers if not is_declared(mapper.class_)
    )
    assert undeclared == [], (
        "Give these models an alliance_id column, an `alliance` property or __alliance_of__, or register "
        "them with collab.revisions.private / site_wide (README: Where does it go)"
    )


def _now(session, *alliances: Alliance) -> dict[int, int]:
    return revisions(session, [a.id for a in alliances])


def test_a_write_bumps_its_alliance_and_only_it(session) -> None:
    mine, other = make_alliance(), make_alliance()
    session.commit()
    before = _now(session, mine, other)
    session.add(SharedOutcome(alliance_id=mine.id, position=9, text="People feel heard"))
    session.commit()
    after = _now(session, mine, other)
    assert after[mine.id] != before[mine.id]
    assert after[other.id] == before[other.id]
    assert after.get(SITE) == before.get(SITE)


def test_a_child_row_reaches_its_alliance_through_its_parent(session) -> None:
    from collab.agreements import services as agreements

    alliance = make_alliance()
    boss = alliance.memberships[0].user
    agreement = agreements.start_agreement(session, boss, alliance, use_template=True)
    session.commit()
    before = _now(session, alliance)[alliance.id]
    clause = agreement.clauses[0]
    clause.heading = clause.heading + " (changed)"  # a Clause has no alliance_id: agreement.alliance
    session.commit()
    assert _now(session, alliance)[alliance.id] != before


def test_a_rolled_back_write_bumps_nothing(session) -> None:
    alliance = make_alliance()
    session.commit()
    before = _now(session, alliance)
    with pytest.raises(RuntimeError), session.begin_nested():
        alliance.name = "Renamed"
        session.flush()
        raise RuntimeError
    session.rollback()
    assert _now(session, alliance) == before


def test_a_persons_name_bumps_every_page_but_their_sign_in_does_not(session) -> None:
    alliance = make_alliance()
    person = alliance.memberships[0].user
    session.commit()
    before = _now(session, alliance)
    person.last_login_at = utcnow()
    session.add(SignInSession(user_id=person.id, id_hash="x" * 64))
    session.commit()
    assert _now(session, alliance) == before
    person.display_name = "Someone else"
    session.commit()
    after = _now(session, alliance)
    assert after[SITE] != before.get(SITE)


def test_a_bulk_update_bumps_the_alliances_it_touches(session) -> None:
    from sqlalchemy import update

    alliance, other = make_alliance(), make_alliance()
    session.commit()
    before = _now(session, alliance, other)
    session.execute(update(SharedOutcome).where(SharedOutcome.alliance_id == alliance.id).values(text="New words"))
    session.commit()
    after = _now(session, alliance, other)
    assert after[alliance.id] != before[alliance.id]
    assert after[other.id] == before[other.id]


# Concurrency (PostgreSQL): writers of one alliance do not wait for each other -----------------


@pytest.fixture(scope="module")
def pg_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    url = os.environ.get("COLLAB_TEST_DATABASE_URL", "")
    if not url:
        pytest.skip("concurrency is proved on PostgreSQL (SQLite runs one writer at a time)")
    with fresh_database(url, "collab_revisions", Path(tmp_path_factory.mktemp("rev"))) as fresh:
        engine = make_engine(fresh)
        upgrade(engine)
        yield engine
        engine.dispose()


def test_two_writers_of_one_alliance_do_not_block_each_other(pg_engine) -> None:
    with Session(pg_engine) as s:
        alliance = Alliance(name="Busy", slug="busy", purpose="", visibility=Visibility.PRIVATE)
        s.add(alliance)
        s.commit()
        alliance_id = alliance.id
    first_flushed, second_done = threading.Event(), threading.Event()
    timings: dict[str, float] = {}
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with Session(pg_engine) as s:
                s.add(SharedOutcome(alliance_id=alliance_id, position=1, text="First"))
                s.flush()  # its write is made; the transaction stays open
                first_flushed.set()
                second_done.wait(10)
                timings["first_commit_started"] = time.monotonic()
                s.commit()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    def quick_writer() -> None:
        try:
            first_flushed.wait(10)
            with Session(pg_engine) as s:
                s.add(SharedOutcome(alliance_id=alliance_id, position=2, text="Second"))
                s.commit()
                timings["second_committed"] = time.monotonic()
                timings["second_revision"] = s.scalar(
                    select(AllianceRevision.revision).where(AllianceRevision.alliance_id == alliance_id)
                )
            second_done.set()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=slow_writer), threading.Thread(target=quick_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors
    # The second writer committed while the first still had its transaction open.
    assert timings["second_committed"] < timings["first_commit_started"]
    with Session(pg_engine) as s:
        final = s.scalar(select(AllianceRevision.revision).where(AllianceRevision.alliance_id == alliance_id))
        assert len(s.scalars(select(SharedOutcome).where(SharedOutcome.alliance_id == alliance_id)).all()) == 2
    # Each commit left a number of its own: the state after both differs from the state after one.
    assert final != timings["second_revision"]
