"""Guard rails on a consultation: closing it early needs a confirmation and a reason, and tells
everyone; opening one with empty sections, no easy read or a short window warns first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from collab.alliances.models import Role
from collab.audit import AuditEntry
from collab.db import utcnow
from collab.errors import DomainError
from collab.notifications.models import Notification
from collab.specs import services
from collab.specs.models import SpecStatus
from tests.factories import add_member, commissioner_of, login_as, make_alliance, make_user
from tests.specs.helpers import make_spec


def _base(spec) -> str:
    return f"/alliances/{spec.alliance.slug}/specs/{spec.id}"


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_closing_early_without_a_reason_is_refused_by_the_rule(session):
    spec = make_spec(make_alliance())
    with pytest.raises(DomainError, match="Say why"):
        services.close_consultation(session, commissioner_of(spec.alliance), spec, reason="  ")
    assert spec.status == SpecStatus.CONSULTATION


def test_closing_after_the_closing_date_needs_no_reason_and_tells_nobody(session):
    spec = make_spec(make_alliance())
    spec.consultation_closes_on = utcnow().date() - timedelta(days=1)
    services.close_consultation(session, commissioner_of(spec.alliance), spec)
    assert spec.status == SpecStatus.REVIEWING and spec.closed_early_reason is None
    assert session.scalar(select(Notification).where(Notification.kind == "consultation_closed_early")) is None


def test_the_close_button_asks_first_and_nothing_changes_until_confirmed(client, session):
    spec = make_spec(make_alliance())
    login_as(client, commissioner_of(spec.alliance))
    show = _text(client.get(_base(spec)))
    assert f'href="{_base(spec)}/close"' in show  # a link to a check page, not a one-click form
    check = client.get(f"{_base(spec)}/close")
    page = _text(check)
    assert check.status_code == 200 and "Close for comments early?" in page
    assert "takes away 29 days of commenting" in page and "Yes, close comments early" in page
    refused = client.post(f"{_base(spec)}/close", data={"reason": ""})
    assert refused.status_code == 422 and "Say why you are closing comments" in _text(refused)
    session.expire_all()
    assert spec.status == SpecStatus.CONSULTATION


def test_closing_early_records_the_reason_shows_it_and_tells_everyone(client, session):
    alliance = make_alliance(name="Riverside")
    spec = make_spec(alliance)
    boss = commissioner_of(alliance)
    cleo = add_member(alliance, make_user(display_name="Cleo"), Role.SERVICE_USER).user
    olu = add_member(alliance, make_user(display_name="Olu"), Role.OBSERVER).user
    login_as(client, boss)
    done = client.post(f"{_base(spec)}/close", data={"reason": "The service has to be bought by March."})
    assert done.status_code == 303
    session.expire_all()
    assert spec.status == SpecStatus.REVIEWING
    assert spec.closed_early_reason == "The service has to be bought by March." and spec.closed_early_by_id == boss.id
    page = _text(client.get(_base(spec)))
    assert "Comments closed early" in page and "The service has to be bought by March." in page
    told = session.scalars(select(Notification).where(Notification.kind == "consultation_closed_early")).all()
    assert {n.user_id for n in told} == {cleo.id, olu.id}  # everyone but the person who closed it
    assert all("Riverside" in n.title and "closed early" in n.title for n in told)
    assert all("The service has to be bought by March." in n.body for n in told)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "spec.consultation_closed")).one()
    assert entry.detail["early"] is True and entry.detail["reason"] == "The service has to be bought by March."
    login_as(client, cleo)
    assert "The service has to be bought by March." in _text(client.get(f"/alliances/{alliance.slug}/activity"))


def test_the_notification_kind_can_be_chosen_in_settings(client, session):
    from collab.notifications.kinds import KINDS

    assert KINDS["consultation_closed_early"].label == "A consultation closed early"


def _consultation_data(opens, closes, **extra):
    return {"opens_on": opens.isoformat(), "closes_on": closes.isoformat(), **extra}


def test_opening_with_problems_warns_and_can_go_ahead(client, session):
    spec = make_spec(make_alliance(), open_consultation=False)  # 2 of 9 sections written, no easy read
    login_as(client, commissioner_of(spec.alliance))
    today = utcnow().date()
    data = _consultation_data(today, today + timedelta(days=8), note="Tell us what you think")
    check = client.post(f"{_base(spec)}/consultation", data=data)
    page = _text(check)
    assert check.status_code == 200 and "Check before you open it for comments" in page
    assert "7 of 9 sections have nothing written yet" in page and "“Service model”" in page
    assert "There is no easy-read summary" in page
    assert "Comments would be open for 8 days" in page and "at least four weeks" in page
    assert "Open it anyway" in page and "Go back and fix" in page
    # Everything sent comes back as hidden fields, so "Open it anyway" works without JavaScript.
    assert 'name="note" value="Tell us what you think"' in page
    session.expire_all()
    assert spec.status == SpecStatus.DRAFTING
    changing = client.post(f"{_base(spec)}/consultation", data={**data, "change": "1"})
    assert changing.status_code == 200 and 'value="Tell us what you think"' not in _text(changing)
    assert "Tell us what you think" in _text(changing)  # back in the form, to change the dates
    opened = client.post(f"{_base(spec)}/consultation", data={**data, "confirmed": "1"})
    assert opened.status_code == 303
    session.expire_all()
    assert spec.status == SpecStatus.CONSULTATION and spec.consultation_closes_on == today + timedelta(days=8)


def test_opening_a_complete_spec_for_four_weeks_goes_straight_through(client, session):
    spec = make_spec(make_alliance(), open_consultation=False)
    boss = commissioner_of(spec.alliance)
    for section in spec.sections[2:]:
        services.save_section(session, boss, section, section.lock_version, heading=section.heading,
                              body="Some words people can comment on.")
    spec.easy_read = "Help when you need it."
    session.flush()
    login_as(client, boss)
    today = utcnow().date()
    assert services.consultation_warnings(spec, opens_on=today, closes_on=today + timedelta(days=28)) == []
    done = client.post(f"{_base(spec)}/consultation", data=_consultation_data(today, today + timedelta(days=28)))
    assert done.status_code == 303


def test_impossible_dates_are_still_refused_before_any_warning(client, session):
    spec = make_spec(make_alliance(), open_consultation=False)
    login_as(client, commissioner_of(spec.alliance))
    today = utcnow().date()
    refused = client.post(f"{_base(spec)}/consultation", data=_consultation_data(today, today - timedelta(days=1)))
    assert refused.status_code == 422 and "The closing date must be after the opening date" in _text(refused)
