"""How often emails come (each, daily, weekly, never) and the daily and weekly digests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from collab.db import utcnow
from collab.notifications import services
from collab.notifications.models import EmailFrequency, Notification, NotificationDigest
from collab.notifications.services import notify, period_start, send_digest
from tests.factories import login_as, make_alliance, make_user

DAILY, WEEKLY = EmailFrequency.DAILY, EmailFrequency.WEEKLY


def _text(response) -> str:
    return response.get_data(as_text=True)


def _person(session, frequency: EmailFrequency, name: str = "Dee"):
    user = make_user(display_name=name)
    services.set_email_frequency(session, user, frequency)
    return user


def test_only_people_who_chose_each_get_an_email_straight_away(session, outbox):
    each, daily, weekly, never = (_person(session, f, f.value) for f in EmailFrequency)
    notify(session, [each, daily, weekly, never], "agreement_in_force", "The agreement is in force")
    session.commit()
    assert [m["To"] for m in outbox] == [each.email]
    # Everyone still sees it in Collab.
    assert all(services.unread_count(session, u) == 1 for u in (each, daily, weekly, never))


def test_a_daily_digest_lists_what_you_have_not_seen_with_its_alliance(session, outbox):
    riverside, northgate = make_alliance(name="Riverside Alliance"), make_alliance(name="Northgate Alliance")
    dee = _person(session, DAILY)
    services.set_preferences(session, dee, ["agreement_response_needed", "agreement_in_force"])
    first = notify(session, [dee], "agreement_response_needed", "Your response is needed: Meetings",
                   body="Please respond by 9 December.", url="/alliances/riverside/agreement/proposals/1",
                   alliance=riverside)[0]
    notify(session, [dee], "agreement_in_force", "The agreement is in force", alliance=northgate)
    seen = notify(session, [dee], "agreement_in_force", "Already read in Collab", alliance=riverside)[0]
    services.mark_read(session, dee, seen)
    notify(session, [dee], "spec_comment_answered", "A kind not ticked for email", alliance=riverside)
    session.commit()
    assert outbox == []  # nothing straight away for a daily person

    digest = send_digest(session, dee, DAILY, utcnow())
    assert outbox == []  # only once the claim is committed
    session.commit()
    assert digest is not None and digest.notification_count == 2 and digest.sent_at is not None
    assert len(outbox) == 1
    email = outbox[0]
    assert email["To"] == dee.email
    assert email["Subject"] == "Your Collab summary for the day: 2 new notifications"
    body = email.get_content()
    assert body.startswith("Hello Dee,")
    assert "1. Your response is needed: Meetings\n   Alliance: Riverside Alliance" in body
    assert "2. The agreement is in force\n   Alliance: Northgate Alliance" in body
    assert "Please respond by 9 December." in body
    assert "Open it: http://localhost/alliances/riverside/agreement/proposals/1" in body
    assert "Already read" not in body and "not ticked" not in body
    assert "http://localhost/notifications/settings" in body
    session.expire_all()
    assert session.get(Notification, first.id).digest_id == digest.id


def test_a_digest_is_sent_once_per_period_and_the_next_lists_only_what_is_new(session, outbox):
    dee = _person(session, DAILY)
    notify(session, [dee], "agreement_in_force", "Monday's news")
    session.commit()
    now = utcnow()
    assert send_digest(session, dee, DAILY, now) is not None
    session.commit()
    assert send_digest(session, dee, DAILY, now + timedelta(hours=2)) is None  # the same day: already sent
    session.commit()
    assert len(outbox) == 1

    later = notify(session, [dee], "agreement_in_force", "Tuesday's news")[0]
    later.created_at = now + timedelta(hours=20)
    session.commit()
    assert send_digest(session, dee, DAILY, now + timedelta(days=1)) is not None
    session.commit()
    assert len(outbox) == 2
    assert "Tuesday's news" in outbox[1].get_content() and "Monday's news" not in outbox[1].get_content()
    assert outbox[1]["Subject"] == "Your Collab summary for the day: 1 new notification"


def test_a_period_with_nothing_new_sends_no_email(session, outbox):
    dee = _person(session, WEEKLY)
    digest = send_digest(session, dee, WEEKLY, utcnow())
    session.commit()
    assert digest is not None and digest.notification_count == 0 and digest.sent_at is None
    assert outbox == []


def test_a_weekly_digest_covers_the_week(session, outbox):
    wes = _person(session, WEEKLY, "Wes")
    now = utcnow()
    old = notify(session, [wes], "agreement_in_force", "Eight days ago")[0]
    old.created_at = now - timedelta(days=8)
    recent = notify(session, [wes], "agreement_in_force", "Six days ago")[0]
    recent.created_at = now - timedelta(days=6)
    session.commit()
    send_digest(session, wes, WEEKLY, now)
    session.commit()
    body = outbox[0].get_content()
    assert outbox[0]["Subject"] == "Your Collab summary for the week: 1 new notification"
    assert "Six days ago" in body and "Eight days ago" not in body


def test_periods_are_days_and_weeks_in_london():
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (summer time); in January they agree.
    assert period_start(DAILY, datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == date(2026, 7, 2)
    assert period_start(DAILY, datetime(2026, 1, 14, 23, 30, tzinfo=UTC)) == date(2026, 1, 14)
    # A weekly period starts on Monday: Sunday 6 December belongs to the week of Monday 30 November.
    assert period_start(WEEKLY, datetime(2026, 12, 6, 12, 0, tzinfo=UTC)) == date(2026, 11, 30)
    assert period_start(WEEKLY, datetime(2026, 12, 7, 7, 0, tzinfo=UTC)) == date(2026, 12, 7)


def test_the_digest_jobs_send_to_the_people_who_chose_them(app, session, outbox):
    daily, weekly, each = _person(session, DAILY, "Dee"), _person(session, WEEKLY, "Wes"), make_user(display_name="Eve")
    notify(session, [daily, weekly, each], "agreement_in_force", "The agreement is in force")
    session.commit()
    assert [m["To"] for m in outbox] == [each.email]

    result = app.test_cli_runner().invoke(args=["run-job", "daily-digest"])
    assert result.exit_code == 0, result.output
    assert [m["To"] for m in outbox] == [each.email, daily.email]
    assert app.test_cli_runner().invoke(args=["run-job", "daily-digest"]).exit_code == 0  # again: nothing more
    assert app.test_cli_runner().invoke(args=["run-job", "weekly-digest"]).exit_code == 0
    assert [m["To"] for m in outbox] == [each.email, daily.email, weekly.email]
    assert "Your Collab summary for the week" in outbox[2]["Subject"]
    rows = session.scalars(select(NotificationDigest).where(NotificationDigest.user_id.in_([daily.id, weekly.id]))).all()
    assert sorted((r.user_id, r.frequency) for r in rows) == [(daily.id, DAILY), (weekly.id, WEEKLY)]


# The settings page -------------------------------------------------------------------------


def test_settings_page_offers_each_daily_weekly_and_never(client, session):
    ada = make_user()
    login_as(client, ada)
    page = _text(client.get("/notifications/settings"))
    assert "How often should we email you?" in page
    for frequency in EmailFrequency:
        assert frequency.label in page
    assert 'id="frequency" name="frequency" type="radio" value="each" aria-describedby="frequency-item-hint" checked' in page

    response = client.post("/notifications/settings", data={"frequency": "weekly", "email": ["agreement_in_force"]})
    assert response.status_code == 303
    assert services.email_frequency(session, ada) == WEEKLY
    assert services.preferences(session, ada)["agreement_in_force"] is True
    page = _text(client.get("/notifications/settings"))
    assert 'value="weekly" aria-describedby="frequency-3-item-hint" checked' in page
    assert "Your email choices have been saved." in page


def test_settings_page_refuses_a_made_up_frequency_and_saves_nothing(client, session):
    ada = make_user()
    login_as(client, ada)
    response = client.post("/notifications/settings", data={"frequency": "hourly", "email": []})
    assert response.status_code == 422
    page = _text(response)
    assert "There is a problem" in page
    assert "Choose how often emails come: as each one happens, daily, weekly or never" in page
    assert services.email_frequency(session, ada) == EmailFrequency.EACH
    assert services.preferences(session, ada)["agreement_in_force"] is True  # the kinds were not saved either


def test_someone_who_switches_to_daily_before_the_email_job_runs_gets_it_in_the_digest(app, session, outbox):
    from collab.notifications.services import email_notifications

    dee = make_user(display_name="Dee")
    note = notify(session, [dee], "agreement_in_force", "Switched in between")[0]
    services.set_email_frequency(session, dee, DAILY)
    assert email_notifications(session, [note.id]) == 0  # the job, running late
    session.commit()
    assert outbox == []
    send_digest(session, dee, DAILY, utcnow())
    session.commit()
    assert [m["To"] for m in outbox] == [dee.email] and "Switched in between" in outbox[0].get_content()


def test_a_notification_saved_while_the_last_digest_was_being_sent_comes_in_the_next(session, outbox):
    dee = _person(session, DAILY)
    notify(session, [dee], "agreement_in_force", "Before the digest")
    session.commit()
    first_run = utcnow()
    send_digest(session, dee, DAILY, first_run)
    session.commit()
    # Made a moment before that digest ran, but committed after it had looked.
    late = notify(session, [dee], "agreement_in_force", "Committed late")[0]
    late.created_at = first_run - timedelta(seconds=2)
    session.commit()
    send_digest(session, dee, DAILY, first_run + timedelta(days=1))
    session.commit()
    assert len(outbox) == 2
    assert "Committed late" in outbox[1].get_content() and "Before the digest" not in outbox[1].get_content()
