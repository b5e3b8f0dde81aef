"""Helpers for permission matrices: every route × every kind of person.

Each area writes a table of ``Row``s (one per route and method, plus extra rows for
special cases) and a test parametrised over ``cases(rows)``. ``make_world()`` builds
an alliance with one member per role and an outsider who is a commissioner of
another alliance; areas add their own objects to ``world.extra``. ``check()``
makes the request as the given person and asserts the exact outcome, and
``assert_every_route_has_a_row()`` fails when a route has no row, so a new route
cannot slip in without its permissions being tested.

Usage in another area::

    from tests.matrix import LOGIN, NOT_FOUND, OK, FORBIDDEN, Row, cases, check, members, make_world, shared_world

    ROWS = [
        Row("specs.index", "GET", lambda w: f"/alliances/{w.slug}/specs",
            expect=members(OK, outsider=NOT_FOUND, anonymous=LOGIN)),
    ]

    @shared_world
    def world(session) -> World:
        world = make_world()
        world.extra["spec"] = ...
        return world

    @pytest.mark.parametrize(("row", "actor"), cases(ROWS))
    def test_permissions(client, world, row, actor):
        check(client, world, row, actor)

``@shared_world`` builds the world once per module instead of once per case (a matrix
has hundreds of cases, and building the world was most of their time): see its docstring.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect as inspect_object
from sqlalchemy.orm import InstanceState, Session

from collab.accounts.models import User
from collab.alliances.models import Alliance, Membership, Role, Visibility
from tests.factories import add_member, login_as, make_alliance, make_organisation, make_user

#: Everyone the matrix tries: one per alliance role, someone from another alliance, nobody.
ROLES: tuple[str, ...] = tuple(role.value for role in Role)
OUTSIDER = "outsider"
ANONYMOUS = "anonymous"
ACTORS: tuple[str, ...] = (*ROLES, OUTSIDER, ANONYMOUS)

OK = 200
FOUND = 302
SEE_OTHER = 303
FORBIDDEN = 403
NOT_FOUND = 404
INVALID = 422
#: Sent to the sign-in page (302 for GET, 303 for POST, or HX-Redirect for htmx).
LOGIN = "login"


def expect(default: int | str, **overrides: int | str) -> dict[str, int | str]:
    """An outcome for every actor: ``default`` unless overridden by actor name."""
    unknown = set(overrides) - set(ACTORS)
    assert not unknown, f"unknown actors {unknown}"
    return {actor: overrides.get(actor, default) for actor in ACTORS}


def members(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """The usual shape for a private alliance page: members get ``status``, outsiders 404, nobody signs in."""
    return expect(status, **{OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN, **overrides})


def commissioners(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Only commissioners may; other members 403; outsiders 404; nobody signs in."""
    base: dict[str, int | str] = dict.fromkeys(ROLES, FORBIDDEN)
    base.update({Role.COMMISSIONER.value: status, OUTSIDER: NOT_FOUND, ANONYMOUS: LOGIN})
    base.update(overrides)
    return expect(FORBIDDEN, **base)


def signed_in(status: int | str, **overrides: int | str) -> dict[str, int | str]:
    """Anyone signed in gets ``status``; nobody signs in."""
    return expect(status, **{ANONYMOUS: LOGIN, **overrides})


@dataclass
class World:
    """The people and things a matrix row can point at."""

    alliance: Alliance
    public_alliance: Alliance
    other_alliance: Alliance
    people: dict[str, User | None]
    memberships: dict[str, Membership]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.alliance.slug

    def user(self, actor: str) -> User | None:
        return self.people[actor]


def make_world() -> World:
    """A private alliance with one member per role, a public alliance and an outsider.

    The outsider is a commissioner of another alliance (so holds site-wide
    commissioner powers such as registering organisations) but no role here.
    Call inside an app context (the ``session`` fixture).
    """
    commissioner = make_user(display_name="Cora Commissioner", access_needs="Large print, please")
    alliance = make_alliance(name="Matrix Alliance", commissioner=commissioner)
    memberships: dict[str, Membership] = {Role.COMMISSIONER.value: alliance.memberships[0]}
    for role in Role:
        if role == Role.COMMISSIONER:
            continue
        organisation = make_organisation() if role == Role.PROVIDER else None
        memberships[role.value] = add_member(
            alliance, make_user(display_name=f"{role.label} person"), role, organisation
        )
    outsider = make_user(display_name="Otto Outsider")
    other = make_alliance(name="Other Alliance", commissioner=outsider)
    public = make_alliance(name="Open Alliance", visibility=Visibility.PUBLIC)
    for role in Role:
        if role != Role.COMMISSIONER:
            add_member(public, memberships[role.value].user, role, memberships[role.value].organisation)
    # The alliance's commissioner is an ordinary member of the public alliance too.
    add_member(public, commissioner, Role.OBSERVER)
    people: dict[str, User | None] = {role: m.user for role, m in memberships.items()}
    people[OUTSIDER] = outsider
    people[ANONYMOUS] = None
    return World(alliance, public, other, people, memberships)


#: Module name -> the builder of its shared world (see ``shared_world``).
WORLD_BUILDERS: dict[str, Callable[..., World]] = {}


def shared_world(build: Callable[..., World]) -> Any:
    """Make ``build`` a module's ``world`` fixture that is built once per module, not per test.

    ``build`` is written like the function-scoped fixture it replaces (it may take
    ``session``). tests/conftest.py runs it once per module inside a transaction that the
    module's tests share (``shared_world_template``); every test of the module then runs
    in a SAVEPOINT on that transaction which is rolled back afterwards (``_isolated``), so
    each test still starts from the world exactly as built. The test gets the world's
    objects in its own session (``attach_world``), as if it had built them itself.
    """
    WORLD_BUILDERS[build.__module__] = build

    @pytest.fixture(name=build.__name__)
    def world(session: Session, shared_world_template: Any) -> World:
        return attach_world(shared_world_template.world, session)

    world.__doc__ = build.__doc__
    return world


def build_shared_world(module_name: str, session: Session) -> World:
    """Run the module's builder (tests/conftest.py calls it once per module)."""
    build = WORLD_BUILDERS[module_name]
    wanted = inspect.signature(build).parameters
    return build(**({"session": session} if "session" in wanted else {}))


def _attach(value: Any, session: Session) -> Any:
    if isinstance(value, dict):
        return {key: _attach(item, session) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_attach(item, session) for item in value)
    if isinstance(inspect_object(value, raiseerr=False), InstanceState):
        # The built object's loaded state is exactly what the database holds at the start of
        # every test (each test is rolled back), so no query is needed.
        return session.merge(value, load=False)
    assert isinstance(value, str | int | float | bool | type(None)), (
        f"a shared world can hold database objects, plain values, lists and dicts, not {type(value)}"
    )
    return value


def attach_world(world: World, session: Session) -> World:
    """The same world with each of its database objects in ``session``."""
    return World(**{f.name: _attach(getattr(world, f.name), session) for f in fields(world)})


@dataclass(frozen=True)
class Row:
    """One request and who gets what.

    ``path`` and ``data`` are functions of the world, so rows can name objects
    made at test time. ``name`` tells rows for the same route apart.
    """

    endpoint: str
    method: str
    path: Callable[[World], str]
    expect: Mapping[str, int | str]
    data: Callable[[World], dict[str, Any]] | None = None
    name: str = ""
    headers: Mapping[str, str] | None = None

    @property
    def id(self) -> str:
        return f"{self.method} {self.endpoint}{' ' + self.name if self.name else ''}"


def cases(rows: Iterable[Row]) -> list[Any]:
    """Every (row, actor) pair as pytest parameters with readable ids."""
    return [
        pytest.param(row, actor, id=f"{row.id} as {actor}")
        for row in rows
        for actor in ACTORS
    ]


def _is_sign_in(location: str) -> bool:
    return urlsplit(location).path == "/sign-in"


def check(client: FlaskClient, world: World, row: Row, actor: str) -> Any:
    """Make the row's request as ``actor`` and assert the expected outcome."""
    login_as(client, world.user(actor))
    path = row.path(world)
    data = {}
    if row.data:
        # Trust (issue 7): a data function may take the actor too (signing must type the actor's own name).
        data = row.data(world, actor) if row.data.__code__.co_argcount == 2 else row.data(world)
    response = client.open(path, method=row.method, data=data, headers=dict(row.headers or {}))
    wanted = row.expect[actor]
    got = f"{response.status_code} {response.headers.get('Location', '')}".strip()
    if wanted == LOGIN:
        redirected = response.status_code in (FOUND, SEE_OTHER) and _is_sign_in(response.headers["Location"])
        hx_redirected = response.status_code == 204 and _is_sign_in(response.headers.get("HX-Redirect", ""))
        assert redirected or hx_redirected, f"{row.id} as {actor}: expected sign-in, got {got}"
        if row.method != "GET" and not hx_redirected:
            assert response.status_code == SEE_OTHER, f"{row.id} as {actor}: a POST must redirect with 303"
    else:
        assert response.status_code == wanted, f"{row.id} as {actor}: expected {wanted}, got {got}"
        if wanted in (FOUND, SEE_OTHER):
            assert not _is_sign_in(response.headers["Location"]) or row.endpoint.startswith("accounts."), (
                f"{row.id} as {actor}: sent to sign in instead of going on"
            )
    return response


def routes_of(app: Flask, blueprints: Iterable[str]) -> set[tuple[str, str]]:
    """Every (endpoint, method) the app serves for these blueprints."""
    wanted = set(blueprints)
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".", 1)[0] in wanted:
            for method in rule.methods - {"HEAD", "OPTIONS"}:  # type: ignore[operator]
                found.add((rule.endpoint, method))
    return found


def assert_every_route_has_a_row(app: Flask, rows: Iterable[Row], blueprints: Iterable[str]) -> None:
    """Fail when a route of these blueprints has no row in the table (or a row names no route)."""
    served = routes_of(app, blueprints)
    covered = {(row.endpoint, row.method) for row in rows}
    missing = sorted(served - covered)
    assert not missing, f"routes without a permission-matrix row: {missing}"
    stale = sorted(covered - served)
    assert not stale, f"permission-matrix rows for routes that do not exist: {stale}"
