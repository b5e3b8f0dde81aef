"""Commitments, reports, confirming and querying (with the shared comment thread), late reports, "For you"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from collab.attention import items_for
from collab.db import db
from collab.documents.models import Comment, DiscussionThread
from collab.errors import DomainError
from collab.notifications.models import Notification
from collab.value import services
from collab.value.models import ReportStatus
from tests.factories import make_organisation
from tests.value.helpers import commit_and_report, make_value_world


def test_a_report_is_confirmed_or_queried_and_the_query_is_a_comment_thread(session):
    world = make_value_world()
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "100", "80")
    report = c.report
    services.query(db.session, world.commissioner, report, reason="Which groups were these hours for?")
    assert report.status == ReportStatus.QUERIED
    thread = db.session.query(DiscussionThread).filter_by(subject_type="value_report", subject_id=report.id).one()
    assert [cm.body for cm in db.session.query(Comment).filter_by(thread_id=thread.id)] == [
        "Which groups were these hours for?"]
    assert db.session.query(Notification).filter_by(user_id=world.small_provider.id).count() == 1
    # The provider corrects it; the commissioner confirms it; then it cannot change.
    services.report_actual(db.session, world.small_provider, c, amount=Decimal("75"), note="Two groups")
    assert report.status == ReportStatus.SUBMITTED
    services.confirm(db.session, world.commissioner, report)
    assert report.status == ReportStatus.CONFIRMED
    with pytest.raises(DomainError, match="confirmed"):
        services.report_actual(db.session, world.small_provider, c, amount=Decimal("1"))
    with pytest.raises(DomainError, match="already confirmed"):
        services.confirm(db.session, world.commissioner, report)


def test_commitments_are_for_member_organisations_once_per_measure_and_period(session):
    world = make_value_world()
    measure = world.measure("Volunteer hours")
    commit_and_report(world, world.small_org, world.small_provider, measure, "10")
    with pytest.raises(DomainError, match="already has a commitment"):
        commit_and_report(world, world.small_org, world.small_provider, measure, "20")
    with pytest.raises(DomainError, match="member organisations"):
        commit_and_report(world, make_organisation(), world.small_provider, measure, "20")


@pytest.mark.parametrize("amount", [Decimal("-1"), Decimal("1.001")])
def test_amounts_are_refused_when_negative_or_too_precise(session, amount):
    world = make_value_world()
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "10")
    with pytest.raises(DomainError):
        services.report_actual(db.session, world.small_provider, c, amount=amount)


def test_evidence_links_must_be_web_addresses(session):
    world = make_value_world()
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "10")
    with pytest.raises(DomainError, match="https://"):
        services.report_actual(db.session, world.small_provider, c, amount=Decimal(1), evidence_url="javascript:alert(1)")


def test_a_report_not_in_by_the_due_date_is_late_and_on_the_owners_for_you_list(session):
    world = make_value_world(due_in_days=-30)
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "10")
    assert services.is_late(c, date.today())
    needs, _ = items_for(db.session, world.small_provider, world.small_provider.memberships)
    value_items = [i for i in needs if i.area == "value"]
    assert len(value_items) == 1 and value_items[0].detail.startswith("Late")
    # The other provider has nothing to report; the commissioner has nothing to confirm yet.
    assert not [i for i in items_for(db.session, world.large_provider, world.large_provider.memberships)[0]
                if i.area == "value"]
    services.report_actual(db.session, world.small_provider, c, amount=Decimal(9))
    assert not services.is_late(c, date.today())
    assert c.report.is_late
    needs, _ = items_for(db.session, world.commissioner, world.commissioner.memberships)
    assert [i.title for i in needs if i.area == "value"] == ["Confirm or query 1 social value report"]


def test_a_report_not_yet_due_is_not_late(session):
    world = make_value_world(due_in_days=10)
    c = commit_and_report(world, world.small_org, world.small_provider, world.measure("Volunteer hours"), "10")
    assert not services.is_late(c, date.today())
    needs, _ = items_for(db.session, world.small_provider, world.small_provider.memberships)
    assert [i.detail.split(":")[0] for i in needs if i.area == "value"] == [
        f"Due on {world.period.reports_due_on.strftime('%-d %B %Y')}"]
