"""The framework: the starter set, measures versioned on change, reports keeping their version."""

from __future__ import annotations

from decimal import Decimal

import pytest

from collab.db import db
from collab.errors import DomainError
from collab.value import services
from collab.value.models import Direction
from tests.value.helpers import commit_and_report, make_value_world


def test_the_starter_set_fills_an_empty_framework_once(session):
    world = make_value_world()
    themes = services.load_framework(db.session, world.alliance)
    assert [t.name for t in themes] == ["A fairer local economy", "Wellbeing and a stronger community", "The environment"]
    assert len(world.measures) == sum(len(m) for _, _, outcomes in services.STARTER_SET for _, m in outcomes)
    with pytest.raises(DomainError, match="only fill an empty framework"):
        services.add_starter_set(db.session, world.commissioner, world.alliance)


def test_every_starter_money_value_says_where_it_comes_from(session):
    world = make_value_world()
    for m in world.measures:
        v = m.current
        assert (v.proxy_per_unit is None) == (v.proxy_source == "")
        assert "National TOMs" not in v.name


def test_changing_a_measure_makes_a_version_and_reports_keep_theirs(session):
    world = make_value_world()
    measure = world.measure("Volunteer hours")
    commitment = commit_and_report(world, world.small_org, world.small_provider, measure, "100", "80")
    services.change_measure(db.session, world.commissioner, measure, name="Volunteer hours given by staff",
                            unit="hours", direction=Direction.MORE, proxy_per_unit=Decimal("18.00"),
                            proxy_source="Our own local evidence, 2026")
    assert measure.current_number == 2
    assert [v.number for v in measure.versions] == [1, 2]
    assert commitment.report.measure_version.number == 1
    assert commitment.report.measure_version.proxy_per_unit == Decimal("15.00")


def test_an_unchanged_definition_is_not_a_new_version(session):
    world = make_value_world()
    measure = world.measure("Volunteer hours")
    v = measure.current
    with pytest.raises(DomainError, match="Nothing has changed"):
        services.change_measure(db.session, world.commissioner, measure, name=v.name, unit=v.unit,
                                direction=v.direction, proxy_per_unit=v.proxy_per_unit, proxy_source=v.proxy_source)


def test_a_money_value_needs_a_source_and_a_more_is_better_measure(session):
    world = make_value_world()
    outcome = world.measures[0].outcome
    with pytest.raises(DomainError, match="comes from"):
        services.add_measure(db.session, world.commissioner, outcome, name="X", unit="people",
                             direction="more", proxy_per_unit=Decimal("3"), proxy_source="")
    with pytest.raises(DomainError, match="more is better"):
        services.add_measure(db.session, world.commissioner, outcome, name="X", unit="tonnes",
                             direction="less", proxy_per_unit=Decimal("3"), proxy_source="A study")


def test_periods_must_make_sense(session):
    world = make_value_world()
    p = world.period
    with pytest.raises(DomainError, match="end after it starts"):
        services.add_period(db.session, world.commissioner, world.alliance, label="Backwards",
                            starts_on=p.ends_on, ends_on=p.starts_on, reports_due_on=p.reports_due_on)
    with pytest.raises(DomainError, match="already a period"):
        services.add_period(db.session, world.commissioner, world.alliance, label=p.label,
                            starts_on=p.starts_on, ends_on=p.ends_on, reports_due_on=p.reports_due_on)
