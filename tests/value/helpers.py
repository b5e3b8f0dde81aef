"""Factories for value tests: an alliance with members of each size, the starter framework and a period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from collab.accounts.models import User
from collab.alliances.models import Alliance, Organisation, Role, SizeBand
from collab.db import db
from collab.value import services
from collab.value.models import ValueMeasure, ValuePeriod
from tests.factories import add_member, commissioner_of, make_alliance, make_organisation, make_user


@dataclass
class ValueWorld:
    alliance: Alliance
    commissioner: User
    small_provider: User
    small_org: Organisation
    large_provider: User
    large_org: Organisation
    measures: list[ValueMeasure]
    period: ValuePeriod

    def measure(self, name_start: str) -> ValueMeasure:
        return next(m for m in self.measures if m.current.name.startswith(name_start))


def make_value_world(*, due_in_days: int = 10) -> ValueWorld:
    """An alliance with a small and a large provider, the starter framework and one period."""
    alliance = make_alliance()
    commissioner = commissioner_of(alliance)
    small_org = make_organisation(size_band=SizeBand.SMALL)
    large_org = make_organisation(size_band=SizeBand.LARGE)
    small = add_member(alliance, make_user(display_name="Sally Small"), Role.PROVIDER, small_org).user
    large = add_member(alliance, make_user(display_name="Larry Large"), Role.PROVIDER, large_org).user
    services.add_starter_set(db.session, commissioner, alliance)
    today = date.today()
    period = services.add_period(db.session, commissioner, alliance, label="Last half year",
                                 starts_on=today - timedelta(days=200), ends_on=today - timedelta(days=20),
                                 reports_due_on=today + timedelta(days=due_in_days) if due_in_days >= -20
                                 else today - timedelta(days=20))
    return ValueWorld(alliance, commissioner, small, small_org, large, large_org,
                      services.measures_of(db.session, alliance), period)


def commit_and_report(world: ValueWorld, org: Organisation, actor: User, measure: ValueMeasure, target: str,
                      amount: str | None = None, *, confirm: bool = False):
    commitment = services.add_commitment(db.session, actor, world.alliance, org, measure, world.period,
                                         target=Decimal(target))
    if amount is not None:
        report = services.report_actual(db.session, actor, commitment, amount=Decimal(amount))
        if confirm:
            services.confirm(db.session, world.commissioner, report)
    return commitment


def add_kras(world: ValueWorld, count: int = 6) -> list:
    """Key result areas "KRA 1" … with target 80, minimum 60 (more is better), baseline 50."""
    return [services.add_kra(db.session, world.commissioner, world.alliance, name=f"KRA {i}", measure=f"Measure {i}",
                             unit="%", direction="more", baseline=Decimal(50), target=Decimal(80), minimum=Decimal(60))
            for i in range(1, count + 1)]


QUALITY_LED = [("quality", "How well the service helps people recover", "50"),
               ("quality", "Involving people who use the service", "20"),
               ("social_value", "Local jobs and volunteering", "10"),
               ("cost", "Price", "20")]


def make_evaluation(world: ValueWorld, weights=QUALITY_LED, reason: str = ""):
    from collab.value.services.evaluation import CriterionInput, save_model

    return save_model(db.session, world.commissioner, world.alliance, None, name="Peer support 2027",
                      purpose="Most suitable provider", floor_reason=reason,
                      criteria=[CriterionInput(g, n, Decimal(w)) for g, n, w in weights])
