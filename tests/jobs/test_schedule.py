"""The periodic jobs: registered by the areas, run on time with or without Redis."""

from __future__ import annotations

from datetime import UTC, datetime

from collab.jobs import PERIODIC, cron_scheduler, next_runs, queue, run_due, worker
from collab.notifications.models import EmailFrequency
from collab.notifications.services import notify, set_email_frequency
from tests.factories import make_user
from tests.jobs.redis_queue import redis_queue  # noqa: F401  (fixture)


def test_the_areas_register_reminders_digests_and_retention(app):
    assert {name: p.cron for name, p in PERIODIC.items()} == {
        "daily-digest": "0 7 * * *",
        "weekly-digest": "0 7 * * 1",
        "consultation-reminders": "0 8-20 * * *",
        "proposal-reminders": "0 8-20 * * *",
        # What the privacy notice promises to forget, forgotten on time.
        "purge-ended-sign-ins": "17 * * * *",
        "forget-workshop-access-needs": "40 2 * * *",
    }
    assert PERIODIC["consultation-reminders"].target == "collab.specs.jobs:remind_closing_consultations"


def test_next_runs_follow_the_cron_lines_in_utc():
    # Sunday 6 December 2026, 07:30 UTC.
    runs = next_runs(datetime(2026, 12, 6, 7, 30, tzinfo=UTC))
    assert runs["daily-digest"] == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
    assert runs["weekly-digest"] == datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday
    assert runs["proposal-reminders"] == datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def test_without_redis_the_scheduler_runs_what_is_due_here(app, session, outbox):
    dee = make_user(display_name="Dee")
    set_email_frequency(session, dee, EmailFrequency.DAILY)
    notify(session, [dee], "agreement_in_force", "News for the summary")
    session.commit()
    now = datetime.now(UTC)
    due = {"daily-digest": now, "weekly-digest": datetime(2999, 1, 1, tzinfo=UTC)}
    after = run_due(app, due, now)
    assert [m["To"] for m in outbox] == [dee.email]
    assert after["daily-digest"] > now and after["weekly-digest"] == due["weekly-digest"]


def test_with_redis_the_cron_scheduler_queues_the_jobs_and_the_worker_runs_them(app, session, outbox, redis_queue):  # noqa: F811
    dee = make_user(display_name="Dee")
    set_email_frequency(session, dee, EmailFrequency.DAILY)
    notify(session, [dee], "agreement_in_force", "News for the summary")
    session.commit()
    scheduler = cron_scheduler(app)
    assert sorted(job.name for job in scheduler.get_jobs()) == sorted(PERIODIC)
    for job in scheduler.get_jobs():  # as the scheduler does when each one's time comes
        job.enqueue(scheduler.connection)
    assert queue(app).count == len(PERIODIC)
    assert worker(app, simple=True).work(burst=True)
    assert [m["To"] for m in outbox] == [dee.email]
    assert "Your Collab summary for the day" in outbox[0]["Subject"]
