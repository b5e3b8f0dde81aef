"""The pages `make bench` loads for the newer areas open, on the bench's own data (tests/bench/areas.py).

The bench stops if a page does not answer 200 or the board poll does not answer 304 to its own
ETag; this checks the same on a small copy of its data, so a broken bench page shows up in
`make test` rather than only when someone runs the bench.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership
from collab.demo.large import BENCH_EMAIL, Sizes, seed_large
from tests.bench.areas import ALSO_IN, BOARD_IDEAS, VALUE_PAGES, seed_areas
from tests.factories import login_as


def test_the_bench_pages_of_the_newer_areas_open_and_the_idle_poll_is_not_modified(client, session):
    nested = session.begin_nested()
    try:
        assert seed_large(session, replace(Sizes.small(), alliances=3))
        ids = seed_areas(session)
        session.flush()
        bench = session.scalar(select(User).where(User.email == BENCH_EMAIL))
        assert bench is not None
        # "For you" gathers from several alliances: the bench commissioner is in five.
        member_of = set(session.scalars(select(Alliance.name).join(Membership).where(Membership.user_id == bench.id)))
        assert set(ALSO_IN) < member_of and len(member_of) == len(ALSO_IN) + 1
        login_as(client, bench)
        river, workshop = ids["riverside"], f"/alliances/{ids['riverside']}/workshops/{ids['workshop']}"
        for path in ["/for-you", workshop, f"{workshop}/board", f"/alliances/{river}/resources",
                     f"/alliances/{river}/resources/{ids['resource']}/calendar", f"/alliances/{river}/value",
                     f"/alliances/{river}/value/scorecard",
                     *(f"/alliances/{river}/value" + rest.format(evaluation=ids["evaluation"]) for _, rest in VALUE_PAGES)]:
            assert client.get(path).status_code == 200, path
        board = client.get(f"{workshop}/board").get_data(as_text=True)
        assert board.count("Theme ") >= 8 and f"({BOARD_IDEAS - 1})" in board
        first = client.get(f"{workshop}/board/live")
        assert first.status_code == 200 and first.headers["ETag"]
        again = client.get(f"{workshop}/board/live", headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.headers["ETag"] == first.headers["ETag"]
    finally:
        nested.rollback()
        session.expire_all()
