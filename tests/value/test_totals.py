"""The value page's totals: money apart from counts, confirmed only, by size; in-kind value through the hook."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.db import db
from collab.value import services
from collab.value.in_kind import InKindLine, register_in_kind_provider, unregister_in_kind_provider
from tests.value.helpers import commit_and_report, make_value_world

D = Decimal


def test_money_and_counts_are_kept_apart_and_only_confirmed_reports_count(session):
    world = make_value_world()
    hours = world.measure("Volunteer hours")          # £15.00 an hour
    local = world.measure("Money spent with organisations based")  # £1 a pound
    sessions = world.measure("Peer support sessions")  # a count with no money value
    commit_and_report(world, world.small_org, world.small_provider, hours, "100", "80", confirm=True)
    commit_and_report(world, world.large_org, world.large_provider, local, "5000", "6000", confirm=True)
    commit_and_report(world, world.small_org, world.small_provider, sessions, "12", "12", confirm=True)
    commit_and_report(world, world.large_org, world.large_provider, hours, "50", "50")  # not confirmed
    totals = services.value_totals(db.session, world.alliance)
    assert totals.committed == D("1500") + D("5000") + D("750")
    assert totals.delivered == D("1200") + D("6000")
    assert totals.waiting == D("750.00")
    by_size = {r.label: r for r in totals.by_size}
    assert by_size["Small"].delivered == D("1200.00") and by_size["Large"].delivered == D("6000.00")
    assert totals.small_share == 17  # 1,200 of 7,200, rounded
    counts = {r.measure: r for r in totals.counts}
    assert counts[sessions.current.name].delivered == D("12") and counts[sessions.current.name].unit == "sessions"
    assert counts[hours.current.name].committed == D("150") and counts[hours.current.name].delivered == D("80")
    by_theme = {r.label: r for r in totals.by_theme}
    assert by_theme["Wellbeing and a stronger community"].delivered == D("1200.00")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reports=st.lists(st.tuples(st.integers(0, 10**7), st.booleans(), st.booleans()), min_size=1, max_size=4))
def test_the_delivered_total_is_the_sum_of_confirmed_actuals(session, reports):
    nested = db.session.begin_nested()
    try:
        world = make_value_world()
        money_measures = [m for m in world.measures if m.current.proxy_per_unit is not None]
        expected = D(0)
        for i, (pennies, confirmed, small) in enumerate(reports):
            amount = D(pennies) / 100
            org, person = (world.small_org, world.small_provider) if small else (world.large_org, world.large_provider)
            measure = money_measures[i % len(money_measures)]
            commit_and_report(world, org, person, measure, "1", str(amount), confirm=confirmed)
            if confirmed:
                expected += amount * measure.current.proxy_per_unit
        totals = services.value_totals(db.session, world.alliance)
        assert totals.delivered == expected.quantize(D("0.01"))
        assert sum(r.delivered for r in totals.by_organisation) == totals.delivered
        assert sum(r.delivered for r in totals.by_size) == totals.delivered
    finally:
        nested.rollback()
        db.session.expunge_all()


def test_in_kind_value_comes_through_the_hook_on_its_own_line(session):
    world = make_value_world()
    booked = [InKindLine(world.small_org.id, world.small_org.name, "Meeting room, 3 bookings", D("180.00")),
              InKindLine(world.large_org.id, world.large_org.name, "Minibus, 1 day", D("95.50"))]
    register_in_kind_provider("test-bookings", lambda session, alliance: booked if alliance.id == world.alliance.id else [])
    try:
        totals = services.value_totals(db.session, world.alliance)
    finally:
        unregister_in_kind_provider("test-bookings")
    assert totals.in_kind_total == D("275.50")
    assert totals.delivered == 0  # in-kind value is never mixed into reported money values
