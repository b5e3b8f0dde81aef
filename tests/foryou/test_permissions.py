"""Who may see which For you page: your own, signed in; nobody else's (there is no one else's)."""

from __future__ import annotations

import pytest

from tests.matrix import Row, World, assert_every_route_has_a_row, cases, check, make_world, shared_world, signed_in

ROWS = [
    Row("foryou.index", "GET", lambda w: "/for-you", signed_in(200)),
]


@shared_world
def world() -> World:
    return make_world()


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, ["foryou"])
