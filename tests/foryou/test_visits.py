"""Visits: "what changed since your last visit" means since the sitting before this one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.db import utcnow
from collab.foryou import services
from collab.foryou.models import AttentionVisit
from tests.factories import make_alliance, make_user


def test_first_visit_then_same_sitting_then_a_later_sitting(session):
    me = make_user()
    start = utcnow()
    first = services.record_visit(session, me, now=start)
    assert first.previous is None and first.written
    # Moments later (a reload): nothing is written and the answer stays the same.
    again = services.record_visit(session, me, now=start + timedelta(seconds=20))
    assert again.previous is None and not again.written
    # Coming back after acting on an item, within the sitting: still the same "since".
    within = services.record_visit(session, me, now=start + timedelta(minutes=10))
    assert within.previous is None and within.written
    # Hours later: the previous sitting ended at the last request of it.
    later = services.record_visit(session, me, now=start + timedelta(hours=5))
    assert later.previous == start + timedelta(minutes=10)
    assert services.record_visit(session, me, now=start + timedelta(hours=5, minutes=5)).previous == later.previous


def test_each_alliance_panel_has_its_own_visits(session):
    me = make_user()
    alliance = make_alliance()
    start = utcnow()
    services.record_visit(session, me, now=start)
    services.record_visit(session, me, now=start + timedelta(hours=3))
    # Looking at the alliance's panel does not move the For you page's "since", and the other way round.
    assert services.record_visit(session, me, alliance, now=start + timedelta(hours=4)).previous is None
    assert services.record_visit(session, me, now=start + timedelta(hours=9)).previous == start + timedelta(hours=3)
    scopes = set(session.scalars(select(AttentionVisit.scope).where(AttentionVisit.user_id == me.id)))
    assert scopes == {"all", f"alliance:{alliance.id}"}


def test_a_first_visit_looks_back_two_weeks(session):
    me = make_user()
    found = services.gather(session, me, None)
    assert found.first_visit
    assert abs((utcnow() - found.since) - services.FIRST_VISIT_WINDOW) < timedelta(seconds=5)
