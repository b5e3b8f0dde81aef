"""Who may see which For you page: your own, signed in; nobody else's (there is no one else's)."""

from __future__ import annotations

import pytest

from tests.matrix import (
    Row,
    World,
    assert_every_route_has_a_row,
    cases,
    check,
    make_world,
    members,
    shared_world,
    signed_in,
)

ROWS = [
    Row("foryou.index", "GET", lambda w: "/for-you", signed_in(200)),
    # The panel of an alliance home (an htmx fragment): members only; a plain visit goes to /for-you.
    Row("foryou.alliance_panel", "GET", lambda w: f"/alliances/{w.slug}/for-you", members(302)),
]


@shared_world
def world() -> World:
    return make_world()


@pytest.mark.parametrize(("row", "actor"), cases(ROWS))
def test_permission(client, world, row, actor):
    check(client, world, row, actor)


def test_every_route_has_a_row(app):
    assert_every_route_has_a_row(app, ROWS, ["foryou"])
