"""The heaviest pages run the same number of SQL statements with small and with large data (no N+1).

Both data sets come from collab/demo/large.py (the builder behind `flask seed-large`): one about
the size of the demo data, one many times bigger, each inside a savepoint rolled back afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from collab.accounts.models import User
from collab.demo.large import BENCH_EMAIL, SPEC_TITLE, Sizes, seed_large
from collab.specs.models import Spec, SpecComment
from tests.factories import login_as

LARGER = Sizes(alliances=3, users=300, first_alliance_members=200, other_alliance_members=40, sections=12,
               paragraphs=120, comments=600, replies=150, supports=900, clauses=12, versions=4, clause_comments=3)


@contextmanager
def counting(engine) -> Iterator[list[int]]:
    seen = [0]

    def count(*_args) -> None:
        seen[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _pages(session) -> dict[str, str]:
    spec = session.scalar(select(Spec).where(Spec.title == SPEC_TITLE))
    busiest = session.scalar(
        select(SpecComment.paragraph_id).where(SpecComment.spec_id == spec.id)
        .group_by(SpecComment.paragraph_id).order_by(func.count().desc(), SpecComment.paragraph_id).limit(1)
    )
    base = f"/alliances/bench-alliance-01/specs/{spec.id}"
    return {
        "spec page": base,
        "spec page, later sections": f"{base}?from=6",
        "paragraph with the most comments": f"{base}/paragraphs/{busiest}",
        "comments, filtered": f"{base}/comments?status=awaiting&from=service_users",
        "comments, page 2": f"{base}/comments?page=2",
        "you said, we did": f"{base}/you-said-we-did",
        "you said, we did, page 2 (htmx)": f"{base}/you-said-we-did?page=2",
        "versions": f"{base}/versions",
        "version comparison": f"{base}/compare?from=1&to=1",
        "working draft": f"{base}/draft",
        "alliance home": "/alliances/bench-alliance-01",
    }


def _measure(client, session, engine, sizes: Sizes) -> dict[str, int]:
    nested = session.begin_nested()
    try:
        assert seed_large(session, sizes)
        session.flush()
        login_as(client, session.scalar(select(User).where(User.email == BENCH_EMAIL)))
        counts = {}
        for name, path in _pages(session).items():
            headers = {"HX-Request": "true", "HX-Target": "report-more"} if "htmx" in name else {}
            assert client.get(path, headers=headers).status_code == 200, path
            with counting(engine) as seen:
                assert client.get(path, headers=headers).status_code == 200, path
            counts[name] = seen[0]
        return counts
    finally:
        nested.rollback()
        session.expire_all()


def test_statement_counts_do_not_grow_with_the_data(client, session, engine):
    small = _measure(client, session, engine, Sizes.small())
    large = _measure(client, session, engine, LARGER)
    assert large == small, (small, large)
    # And none of them is silly.
    assert min(small.values()) >= 5 and max(small.values()) <= 25, small
