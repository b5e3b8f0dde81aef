"""No N+1: the statement count of agreement pages does not grow with the data."""

from __future__ import annotations

from sqlalchemy import event, func, select, text

from collab.agreements import services
from collab.db import db
from collab.documents import services as comments
from tests.agreements.helpers import make_cast, soon, start
from tests.agreements.helpers import response_text as _text
from tests.factories import PASSWORD, login_as


class _Counter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args, **kwargs):
        self.count += 1


def _build(session, clauses: int, comments_each: int):
    cast = make_cast()
    agreement = start(cast, template=False)
    made = [services.add_clause(session, cast.commissioner, agreement, heading=f"Clause {i}", body=f"Text {i} " * 20) for i in range(clauses)]
    for clause in made:
        for j in range(comments_each):
            comments.add_comment(session, cast.service_user if j % 2 else cast.provider_a, cast.alliance,
                                 "agreement_clause", clause.id, body=f"Comment {j}")
    v1 = services.publish(session, cast.commissioner, agreement)
    for user in (cast.commissioner, cast.provider_a):
        services.sign(session, user, v1, password=PASSWORD, typed_name=user.display_name, confirmed=True)
    services.open_drafting(session, cast.commissioner, agreement)
    for clause in made[::3]:
        services.edit_clause(session, cast.provider_a, clause, heading=clause.heading, body=clause.body + " more", lock_version=clause.lock_version)
    services.publish(session, cast.commissioner, agreement)
    services.propose(session, cast.provider_b, agreement, clause=made[0], heading="x", body="y", reason="z", closes_on=soon())
    return cast


def _statements(client, engine, cast, path: str) -> int:
    login_as(client, cast.provider_a)
    with _Counter(engine) as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


def test_agreement_page_and_comparison_use_the_same_number_of_statements_whatever_the_size(client, session, engine):
    small = _build(session, 10, 0)
    large = _build(session, 100, 50)
    for rest in ("/agreement", "/agreement/compare?from=1&to=2", "/agreement/versions", "/agreement/decisions",
                 "/agreement/versions/2"):
        few = _statements(client, engine, small, f"/alliances/{small.alliance.slug}{rest}")
        many = _statements(client, engine, large, f"/alliances/{large.alliance.slug}{rest}")
        assert few == many, f"{rest}: {few} statements with 10 clauses, {many} with 100 clauses × 50 comments"
    assert session.scalar(select(func.count()).select_from(text("comment"))) >= 5000
    page = _text(client.get(f"/alliances/{large.alliance.slug}/agreement"))
    assert "50 comments" in page
    db.session.rollback()
