"""'Comments close in three days': who is reminded, when, and only once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from collab.db import utcnow
from collab.notifications.models import Notification
from collab.specs.services.reminders import CLOSING_KIND, closing_consultations, send_closing_reminders
from tests.agreements.helpers import make_cast
from tests.specs.helpers import make_spec


def _url(spec) -> str:
    return f"/specs/{spec.id}"


def _reminded(session) -> dict[int, str]:
    return {n.user_id: n.title for n in session.scalars(select(Notification).where(Notification.kind == CLOSING_KIND))}


def _closing_in(spec, days: int) -> None:
    spec.consultation_closes_on = utcnow().date() + timedelta(days=days)


def test_members_who_can_comment_are_reminded_three_days_before_it_closes(session, outbox):
    cast = make_cast("Riverside Alliance")
    spec = make_spec(cast.alliance, title="Crisis support")
    _closing_in(spec, 3)
    session.flush()
    today = utcnow().date()
    assert send_closing_reminders(session, today, _url) == 5
    reminded = _reminded(session)
    # Everyone who can comment (commissioner, providers, service user, facilitator); not the observer.
    assert set(reminded) == {cast.commissioner.id, cast.provider_a.id, cast.provider_b.id, cast.service_user.id,
                             cast.facilitator.id}
    closes = spec.consultation_closes_on
    assert reminded[cast.service_user.id] == f"Comments on Crisis support close on {closes:%A} {closes.day} {closes:%B}"
    note = session.scalar(select(Notification).where(Notification.user_id == cast.service_user.id,
                                                     Notification.kind == CLOSING_KIND))
    assert note.alliance_id == cast.alliance.id and note.url == f"/specs/{spec.id}"
    assert "Riverside Alliance" in note.body
    session.commit()
    # (Opening the consultation told everyone too: only the reminders are counted here.)
    reminders = [m for m in outbox if m["Subject"].startswith("Comments on Crisis support close")]
    assert sorted(m["To"] for m in reminders) == sorted(
        u.email for u in (cast.commissioner, cast.provider_a, cast.provider_b, cast.service_user, cast.facilitator)
    )


def test_a_reminder_goes_once_however_often_the_job_runs(session):
    cast = make_cast()
    spec = make_spec(cast.alliance)
    _closing_in(spec, 2)
    session.flush()
    today = utcnow().date()
    assert send_closing_reminders(session, today, _url) == 5
    assert send_closing_reminders(session, today, _url) == 0
    assert send_closing_reminders(session, today + timedelta(days=1), _url) == 0
    assert len(_reminded(session)) == 5
    # Someone who joins afterwards is reminded too, once.
    from collab.alliances.models import Role
    from tests.factories import add_member, make_user

    newcomer = add_member(cast.alliance, make_user(), Role.SERVICE_USER).user
    assert send_closing_reminders(session, today, _url) == 1
    assert newcomer.id in _reminded(session)


def test_which_consultations_are_closing(session):
    cast = make_cast()
    today = utcnow().date()
    in_three = make_spec(cast.alliance, title="In three days")
    _closing_in(in_three, 3)
    today_spec = make_spec(cast.alliance, title="Closes today")
    _closing_in(today_spec, 0)
    in_four = make_spec(cast.alliance, title="In four days")
    _closing_in(in_four, 4)
    drafting = make_spec(cast.alliance, title="Still drafting", open_consultation=False)
    drafting.consultation_closes_on = today + timedelta(days=1)
    not_open_yet = make_spec(cast.alliance, title="Opens tomorrow")
    not_open_yet.consultation_opens_on = today + timedelta(days=1)
    _closing_in(not_open_yet, 3)
    session.flush()
    assert [s.title for s in closing_consultations(session, today)] == ["In three days", "Closes today"]
    send_closing_reminders(session, today, _url)
    assert "Comments on Closes today close today" in set(_reminded(session).values())
