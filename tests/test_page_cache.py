"""The page cache is never wrong (issue 10).

Two apps share one committed database of their own (the demo data): one keeps pages, one never
does. After random sequences of the app's writes made by random people, every cached page each
person can see is compared, byte for byte except the CSRF token, with the same page rendered
without the cache. Then: people with different roles never get each other's page, and someone
who lost access (removed, signed out) is never served a kept page.

Runs on SQLite, and on PostgreSQL when COLLAB_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select
from sqlalchemy.orm import Session

from collab import create_app
from collab.accounts.models import User
from collab.accounts.signin import create_session_row
from collab.agreements.models import Agreement, Clause
from collab.alliances.models import Alliance, Membership, Organisation, Role, Visibility
from collab.db import db, make_engine
from collab.demo import made_up_data, seed_demo
from collab.errors import DomainError
from collab.migrate import upgrade
from collab.page_cache import cache_of
from collab.permissions import Permission
from collab.security import can
from collab.specs.models import Outcome, Spec, SpecComment, SpecParagraph
from tests.databases import fresh_database
from tests.factories import TEST_PASSWORD_HASH_PARAMS

TEST_DATABASE_URL = os.environ.get("COLLAB_TEST_DATABASE_URL", "")

PEOPLE = [
    "commissioner@riverside.example",
    "provider@riverside.example",
    "serviceuser@riverside.example",
    "facilitator@riverside.example",
    "observer@riverside.example",
    "commissioner@northgate.example",
]
ANONYMOUS = "anonymous"

_CSRF = re.compile(r'(name="csrf_token" value="|"X-CSRFToken": ")[^"]+')


def _config(engine: Any, cached: bool) -> dict[str, Any]:
    return {
        "TESTING": True, "ENGINE": engine, "DATABASE_URL": str(engine.url),
        "SECRET_KEY": "page-cache-test-secret-key-0123456789", "MAIL_BACKEND": "memory",
        "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://", "BASE_URL": "http://localhost",
        "SERVER_NAME": "localhost", "SIGNING_KEY": "test-signing-key-0123456789abcdef0123456789",
        "AUDIT_KEY": "test-audit-key-0123456789abcdef0123456789ab", "PASSWORD_HASH_PARAMS": TEST_PASSWORD_HASH_PARAMS,
        "PAGE_CACHE": cached, "PAGE_CACHE_REDIS_URL": None,
    }


@dataclass
class World:
    cached: Flask
    plain: Flask
    ids: dict[str, int]  # email -> user id
    slug: str
    spec_id: int

    def pages(self) -> list[str]:
        base = f"/alliances/{self.slug}"
        spec = f"{base}/specs/{self.spec_id}"
        return [base, f"{base}/agreement", f"{base}/agreement/compare", spec, f"{spec}/compare",
                f"{spec}/you-said-we-did", f"{spec}/you-said-we-did?page=2", "/alliances/northgate-youth-alliance",
                f"{base}/value"]

    def session(self) -> Any:
        return db.session


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    tmp = tmp_path_factory.mktemp("page-cache")
    os.environ.setdefault("COLLAB_INSTANCE_DIR", str(tmp))
    with fresh_database(TEST_DATABASE_URL, "collab_cache", Path(tmp)) as url:
        engine = make_engine(url)
        upgrade(engine)
        plain = create_app(_config(engine, cached=False))
        cached = create_app(_config(engine, cached=True))
        with made_up_data(plain) as s:
            seed_demo(s)
        with plain.app_context():
            s = db.session
            ids = {u.email: u.id for u in s.scalars(select(User))}
            riverside = s.scalar(select(Alliance).where(Alliance.name == "Riverside Living Well Alliance"))
            assert riverside is not None
            spec_id = s.scalar(select(Spec.id).where(Spec.alliance_id == riverside.id))
            assert spec_id is not None
            slug = riverside.slug
        yield World(cached, plain, ids, slug, spec_id)
        engine.dispose()


def _sign_in(app: Flask, world: World, who: str) -> FlaskClient:
    client = app.test_client()
    if who == ANONYMOUS:
        return client
    with app.app_context():
        user = db.session.get(User, world.ids[who])
        assert user is not None
        raw = create_session_row(db.session, user)
        db.session.commit()
        user_id = user.get_id()
    with client.session_transaction() as sess:
        sess["_user_id"] = user_id
        sess["_sid"] = raw
    return client


def _normalised(body: bytes) -> str:
    return _CSRF.sub(r"\1CSRF", body.decode())


def _compare(world: World, who: str, cached: FlaskClient, plain: FlaskClient) -> None:
    for path in world.pages():
        fresh = plain.get(path)
        for attempt in ("first", "again"):
            kept = cached.get(path)
            assert kept.status_code == fresh.status_code, (who, path, attempt)
            assert kept.headers.get("Location") == fresh.headers.get("Location"), (who, path, attempt)
            assert _normalised(kept.data) == _normalised(fresh.data), (who, path, attempt)


class Writes(RuleBasedStateMachine):
    """Random writes by random people; after each, every page compared with and without the cache."""

    world: World

    def __init__(self) -> None:
        super().__init__()
        self.clients = {
            who: (_sign_in(self.world.cached, self.world, who), _sign_in(self.world.plain, self.world, who))
            for who in [*PEOPLE, ANONYMOUS]
        }

    # Helpers ------------------------------------------------------------------------------

    def _as(self, who: str, action: Any) -> None:
        """Run one write as ``who`` in the plain app (any app: they share the database) and commit."""
        with made_up_data(self.world.plain) as s:
            actor = s.get(User, self.world.ids[who])
            try:
                with s.begin_nested():
                    action(s, actor)
            except DomainError:
                pass

    def _riverside(self, s: Session) -> Alliance:
        alliance = s.scalar(select(Alliance).where(Alliance.slug == self.world.slug))
        assert alliance is not None
        return alliance

    # Writes -------------------------------------------------------------------------------

    @rule(who=st.sampled_from(PEOPLE), pick=st.integers(0, 400), words=st.sampled_from(["More evening hours", "Easy words"]))
    def comment(self, who: str, pick: int, words: str) -> None:
        from collab.specs import services

        def act(s: Session, actor: User) -> None:
            spec = s.get(Spec, self.world.spec_id)
            if not can(Permission.DOCUMENT_COMMENT_ADD, spec, user=actor):
                return
            paragraphs = s.scalars(select(SpecParagraph).where(SpecParagraph.spec_id == spec.id)
                                   .order_by(SpecParagraph.id)).all()
            if paragraphs:
                services.add_comment(s, actor, paragraphs[pick % len(paragraphs)], body=words)

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE), pick=st.integers(0, 400))
    def support(self, who: str, pick: int) -> None:
        from collab.specs import services

        def act(s: Session, actor: User) -> None:
            spec = s.get(Spec, self.world.spec_id)
            comments = s.scalars(select(SpecComment).where(SpecComment.spec_id == spec.id).order_by(SpecComment.id)).all()
            if not comments or not can(Permission.SPEC_COMMENT_SUPPORT, spec, user=actor):
                return
            item = comments[pick % len(comments)]
            if not services.support(s, actor, item):
                services.withdraw_support(s, actor, item)

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE), pick=st.integers(0, 400),
          outcome=st.sampled_from([Outcome.NOT_CHANGED, Outcome.ANSWERED]))
    def respond(self, who: str, pick: int, outcome: Outcome) -> None:
        from collab.specs import services

        def act(s: Session, actor: User) -> None:
            spec = s.get(Spec, self.world.spec_id)
            comments = s.scalars(select(SpecComment).where(SpecComment.spec_id == spec.id).order_by(SpecComment.id)).all()
            if not comments or not can(Permission.SPEC_COMMENT_RESPOND, spec, user=actor):
                return
            services.respond(s, actor, comments[pick % len(comments)], outcome=outcome, text=f"Answer {pick}")

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE), pick=st.integers(0, 400))
    def hide_a_comment(self, who: str, pick: int) -> None:
        from collab.documents.services import hide_comment

        def act(s: Session, actor: User) -> None:
            spec = s.get(Spec, self.world.spec_id)
            comments = s.scalars(select(SpecComment).where(SpecComment.spec_id == spec.id).order_by(SpecComment.id)).all()
            if not comments or not can(Permission.DOCUMENT_COMMENT_HIDE, spec, user=actor):
                return
            hide_comment(s, actor, comments[pick % len(comments)].comment, "Off topic")

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE), pick=st.integers(0, 100), words=st.sampled_from(["We agree.", "We all agree."]))
    def edit_a_clause(self, who: str, pick: int, words: str) -> None:
        from collab.agreements import services

        def act(s: Session, actor: User) -> None:
            agreement = s.scalar(select(Agreement).where(Agreement.alliance_id == self._riverside(s).id))
            if agreement is None or not can(Permission.AGREEMENT_CLAUSE_EDIT, agreement, user=actor):
                return
            clauses = s.scalars(select(Clause).where(Clause.agreement_id == agreement.id).order_by(Clause.id)).all()
            clause = clauses[pick % len(clauses)]
            services.edit_clause(s, actor, clause, heading=clause.heading, body=f"{clause.body}\n\n{words}",
                                 lock_version=clause.lock_version)

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE), person=st.sampled_from(PEOPLE[1:5]),
          role=st.sampled_from([Role.PROVIDER, Role.SERVICE_USER, Role.FACILITATOR, Role.OBSERVER]))
    def change_a_role(self, who: str, person: str, role: Role) -> None:
        from collab.alliances import services

        def act(s: Session, actor: User) -> None:
            alliance = self._riverside(s)
            if not can(Permission.ALLIANCE_MEMBER_MANAGE, alliance, user=actor):
                return
            membership = s.scalar(select(Membership).where(Membership.alliance_id == alliance.id,
                                                           Membership.user_id == self.world.ids[person]))
            if membership is not None:
                services.change_role(s, actor, membership, role=role,
                                     organisation=membership.organisation if role == Role.PROVIDER else None)

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE), name=st.sampled_from(["Priya S.", "Grace L.", "Cleo B."]))
    def rename_yourself(self, who: str, name: str) -> None:
        def act(s: Session, actor: User) -> None:
            actor.display_name = f"{name} {actor.id}"

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE), public=st.booleans(), name=st.sampled_from(["Riverside Living Well Alliance",
                                                                                   "Riverside Wellbeing Alliance"]))
    def edit_the_alliance(self, who: str, public: bool, name: str) -> None:
        from collab.alliances import services

        def act(s: Session, actor: User) -> None:
            alliance = self._riverside(s)
            if not can(Permission.ALLIANCE_EDIT, alliance, user=actor):
                return
            services.update_alliance(s, actor, alliance, name=name, purpose=alliance.purpose,
                                     outcomes=[o.text for o in alliance.outcomes],
                                     visibility=Visibility.PUBLIC if public else Visibility.PRIVATE)

        self._as(who, act)

    @rule(who=st.sampled_from(PEOPLE))
    def read_your_notifications(self, who: str) -> None:
        from collab.notifications import services

        self._as(who, lambda s, actor: services.mark_all_read(s, actor))

    @rule(pick=st.integers(0, 20), locality=st.sampled_from(["Town centre", "Riverside north"]))
    def an_organisation_changes(self, pick: int, locality: str) -> None:
        def act(s: Session, actor: User) -> None:
            organisations = s.scalars(select(Organisation).order_by(Organisation.id)).all()
            organisations[pick % len(organisations)].locality = locality

        self._as(PEOPLE[0], act)

    # The property -------------------------------------------------------------------------

    @invariant()
    def every_page_is_as_if_there_were_no_cache(self) -> None:
        for who, (cached, plain) in self.clients.items():
            _compare(self.world, who, cached, plain)


def test_random_writes_never_leave_a_stale_or_wrong_page(world: World) -> None:
    Writes.world = world
    state_machine = Writes.TestCase
    state_machine.settings = settings(
        max_examples=int(os.environ.get("PAGE_CACHE_EXAMPLES", "3")), stateful_step_count=5, deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    state_machine().runTest()
    cache = cache_of(world.cached)
    assert cache is not None and cache.hits > 0 and cache.misses > 0  # the cache really was used


def test_two_roles_never_get_each_others_page(world: World) -> None:
    path = f"/alliances/{world.slug}/specs/{world.spec_id}"
    commissioner = _sign_in(world.cached, world, "commissioner@riverside.example")
    observer = _sign_in(world.cached, world, "observer@riverside.example")
    first = commissioner.get(path)
    assert first.status_code == 200
    for _ in range(2):
        seen_by_observer = observer.get(path)
        assert seen_by_observer.status_code == 200
        assert _normalised(seen_by_observer.data) != _normalised(first.data)
        assert _normalised(seen_by_observer.data) == _normalised(_sign_in(world.plain, world, "observer@riverside.example").get(path).data)
    # And the other way round, with the observer's page kept first.
    assert _normalised(commissioner.get(path).data) == _normalised(first.data)


@contextmanager
def _visibility(world: World, visibility: Visibility) -> Iterator[None]:
    """The demo alliance with this visibility for one test (Riverside is public in the demo)."""
    with made_up_data(world.plain) as s:
        alliance = s.scalar(select(Alliance).where(Alliance.slug == world.slug))
        was = alliance.visibility
        alliance.visibility = visibility
    try:
        yield
    finally:
        with made_up_data(world.plain) as s:
            s.scalar(select(Alliance).where(Alliance.slug == world.slug)).visibility = was


def test_someone_removed_from_the_alliance_gets_no_kept_page(world: World) -> None:
    # A private alliance: once removed, nothing of it may be shown (a public one is readable by anyone).
    with _visibility(world, Visibility.PRIVATE):
        _removed_gets_nothing(world)


def _removed_gets_nothing(world: World) -> None:
    from collab.alliances import services

    who = "observer@riverside.example"
    path = f"/alliances/{world.slug}/agreement"
    client = _sign_in(world.cached, world, who)
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200  # now kept
    with made_up_data(world.plain) as s:
        alliance = s.scalar(select(Alliance).where(Alliance.slug == world.slug))
        membership = s.scalar(select(Membership).where(Membership.alliance_id == alliance.id,
                                                       Membership.user_id == world.ids[who]))
        role, organisation_id = membership.role, membership.organisation_id
        services.remove_member(s, s.get(User, world.ids["commissioner@riverside.example"]), membership)
    try:
        assert client.get(path).status_code == 404
        assert client.get(f"/alliances/{world.slug}/specs/{world.spec_id}").status_code == 404
    finally:
        with made_up_data(world.plain) as s:
            s.add(Membership(alliance_id=s.scalar(select(Alliance.id).where(Alliance.slug == world.slug)),
                             user_id=world.ids[who], role=role, organisation_id=organisation_id))


def test_someone_signed_out_gets_no_kept_page(world: World) -> None:
    with _visibility(world, Visibility.PRIVATE):
        _signed_out_gets_nothing(world)


def _signed_out_gets_nothing(world: World) -> None:
    path = f"/alliances/{world.slug}/specs/{world.spec_id}/you-said-we-did"
    client = _sign_in(world.cached, world, "serviceuser@riverside.example")
    assert client.get(path).status_code == 200
    kept = client.get(path)
    assert kept.status_code == 200
    etag = kept.headers["ETag"]
    cookie = client.get_cookie("session")
    assert cookie is not None
    assert client.post("/sign-out").status_code in (302, 303)
    assert client.get(path).status_code == 302  # to sign in
    # A copy of the old cookie, sent again with the old ETag, is signed out too: no page, no 304.
    replay = world.cached.test_client()
    replay.set_cookie("session", cookie.value)
    answer = replay.get(path, headers={"If-None-Match": etag})
    assert answer.status_code == 302 and "sign-in" in answer.headers["Location"]


def test_a_repeat_view_is_not_modified_until_something_changes(world: World) -> None:
    from collab.specs import services

    path = f"/alliances/{world.slug}/specs/{world.spec_id}"
    client = _sign_in(world.cached, world, "provider@riverside.example")
    first = client.get(path)
    assert first.headers["Cache-Control"] == "private, no-cache"
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    with made_up_data(world.plain) as s:
        comment = s.scalar(select(SpecComment).where(SpecComment.spec_id == world.spec_id).order_by(SpecComment.id))
        actor = s.get(User, world.ids["facilitator@riverside.example"])
        services.support(s, actor, comment) or services.withdraw_support(s, actor, comment)
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_value_page_is_not_kept_past_the_end_of_a_booking(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A booking counts as in-kind value once it has ended: the page changes then with no write at all."""
    from datetime import timedelta

    import collab.resources.services.value as resources_value
    import collab.value.routes.totals as value_routes
    from collab.db import utcnow
    from collab.resources.services.value import completed_bookings, next_completion

    with world.plain.app_context():
        alliance = db.session.scalar(select(Alliance).where(Alliance.slug == world.slug))
        ends = next_completion(db.session, alliance, utcnow())
        assert ends is not None  # the demo has shared bookings still to come
        before = len(completed_bookings(db.session, alliance))
    path = f"/alliances/{world.slug}/value"
    who = "commissioner@riverside.example"
    client = _sign_in(world.cached, world, who)
    first = client.get(path)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304  # kept
    # The clock passes the end of that booking.
    later = ends + timedelta(seconds=1)
    for module in (resources_value, value_routes):
        monkeypatch.setattr(module, "utcnow", lambda: later)
    with world.plain.app_context():
        alliance = db.session.scalar(select(Alliance).where(Alliance.slug == world.slug))
        assert len(completed_bookings(db.session, alliance)) > before
    answer = client.get(path, headers={"If-None-Match": etag})
    assert answer.status_code == 200 and answer.headers["ETag"] != etag
    fresh = _sign_in(world.plain, world, who).get(path)
    assert _normalised(answer.data) == _normalised(fresh.data) != _normalised(first.data)


def test_a_public_alliance_is_cacheable_by_a_proxy_for_visitors(world: World) -> None:
    with _visibility(world, Visibility.PUBLIC):
            visitor = world.cached.test_client()
            page = visitor.get(f"/alliances/{world.slug}")
            assert page.status_code == 200
            assert page.headers["Cache-Control"] == "public, no-cache"
            assert "Cookie" in page.headers["Vary"] and page.headers.get("ETag")
            assert "Set-Cookie" not in page.headers  # nothing personal in it
            assert visitor.get(f"/alliances/{world.slug}", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
            member = _sign_in(world.cached, world, "provider@riverside.example").get(f"/alliances/{world.slug}")
            assert member.headers["Cache-Control"] == "private, no-cache"
            assert member.headers["ETag"] != page.headers["ETag"]


def test_the_memory_store_keeps_at_most_its_size_dropping_the_least_recently_used() -> None:
    from collab.page_cache import MemoryStore

    store = MemoryStore(max_bytes=10)
    store.set("a", b"1234")
    store.set("b", b"5678")
    assert store.get("a") == b"1234"  # now the most recently used
    store.set("c", b"9012")
    assert store.get("b") is None and store.get("a") == b"1234" and store.get("c") == b"9012"
    assert store.size <= 10
    store.set("huge", b"x" * 11)  # larger than the whole store: not kept, nothing dropped for it
    assert store.get("huge") is None and store.get("c") == b"9012"


def test_with_redis_pages_are_shared_by_every_instance() -> None:
    import uuid

    import redis

    from collab.page_cache import RedisStore

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379 (production uses REDIS_URL; the memory store is tested above)")
    prefix = f"collab-test-page-cache:{uuid.uuid4().hex}:"
    one, other = RedisStore(url, seconds=60, prefix=prefix), RedisStore(url, seconds=60, prefix=prefix)
    one.set("k", b"page")
    assert other.get("k") == b"page"
    assert 0 < one.client.ttl(prefix + "k") <= 60
    other.clear()
    assert one.get("k") is None
    assert RedisStore("redis://127.0.0.1:1/0", seconds=60).get("k") is None  # Redis down: a miss, not an error


def test_the_verification_page_is_cacheable_by_a_proxy_and_always_checked_afresh(world: World) -> None:
    from collab.agreements.models import AgreementVersion

    with world.plain.app_context():
        public_id = db.session.scalar(select(AgreementVersion.public_id).order_by(AgreementVersion.id))
    assert public_id is not None
    visitor = world.cached.test_client()
    page = visitor.get(f"/verify/{public_id}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "public, no-cache" and "Cookie" in page.headers["Vary"]
    assert "Set-Cookie" not in page.headers
    assert visitor.get(f"/verify/{public_id}", headers={"If-None-Match": page.headers["ETag"]}).status_code == 304
    member = _sign_in(world.cached, world, "provider@riverside.example").get(f"/verify/{public_id}")
    assert member.status_code == 200 and member.headers["Cache-Control"] == "no-store"
