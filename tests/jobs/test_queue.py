"""The job queue: jobs run only after the commit, in a fresh context, in-process or on Redis."""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import select

from collab.accounts.models import User
from collab.db import db
from collab.jobs import enqueue, job_path, queue, resolve, worker
from collab.notifications.services import notify
from tests.factories import make_user
from tests.jobs.redis_queue import redis_queue  # noqa: F401  (fixture)

#: What the test jobs below saw (the tests read it; real jobs never keep anything in the process).
SEEN: list[dict] = []


def remember_what_the_job_sees(user_id: int, note: str = "") -> None:
    user = db.session.scalar(select(User).where(User.id == user_id))
    SEEN.append({
        "session": id(db.session),
        "marker": getattr(g, "caller_marker", None),
        "name": user.display_name if user else None,
        "note": note,
    })


def fail_loudly() -> None:
    raise RuntimeError("the job failed")


@pytest.fixture(autouse=True)
def _forget_what_jobs_saw():
    SEEN.clear()
    yield
    SEEN.clear()


def test_without_redis_a_job_runs_in_process_only_after_the_commit(session):
    ada = make_user(display_name="Ada")
    g.caller_marker = "the caller's context"
    enqueue(remember_what_the_job_sees, ada.id, note="hello")
    assert SEEN == []  # nothing before the commit
    session.commit()
    assert len(SEEN) == 1
    seen = SEEN[0]
    # A fresh context and session: nothing of the caller's leaks in, but committed data is there.
    assert seen["marker"] is None and seen["session"] != id(session)
    assert seen["name"] == "Ada" and seen["note"] == "hello"


def test_a_rolled_back_change_runs_no_job(session):
    ada = make_user()
    session.commit()
    make_user()  # the next change, which rolls back
    enqueue(remember_what_the_job_sees, ada.id)
    session.rollback()
    session.commit()
    assert SEEN == []


def test_jobs_take_plain_values_only(session):
    ada = make_user()
    with pytest.raises(TypeError, match="plain values"):
        enqueue(remember_what_the_job_sees, ada)


def test_job_paths_name_a_function():
    assert job_path(remember_what_the_job_sees) == "tests.jobs.test_queue:remember_what_the_job_sees"
    assert resolve("tests.jobs.test_queue:fail_loudly") is fail_loudly
    with pytest.raises(ValueError):
        job_path("no colon here")


def test_a_failing_job_is_reported_in_tests(session):
    enqueue(fail_loudly)
    with pytest.raises(RuntimeError, match="the job failed"):
        session.commit()


def test_with_redis_jobs_are_queued_after_commit_and_a_worker_runs_them(app, session, outbox, redis_queue):  # noqa: F811
    ada = make_user(display_name="Ada")
    jobs = queue(app)
    notify(session, [ada], "agreement_in_force", "The agreement is in force")
    assert jobs.count == 0  # not before the commit
    session.commit()
    assert jobs.count == 1 and outbox == []  # queued, not sent: the request does not wait for email
    assert worker(app, simple=True).work(burst=True)
    assert jobs.count == 0
    assert [m["To"] for m in outbox] == [ada.email]
    assert "The agreement is in force" in outbox[0].get_content()


def test_with_redis_a_rolled_back_change_queues_nothing(app, session, outbox, redis_queue):  # noqa: F811
    ada = make_user()
    session.commit()
    make_user()  # the next change, which rolls back
    notify(session, [ada], "agreement_in_force", "Never happened")
    enqueue(remember_what_the_job_sees, ada.id)
    session.rollback()
    session.commit()
    assert queue(app).count == 0
    worker(app, simple=True).work(burst=True)
    assert outbox == [] and SEEN == []


def test_a_job_run_twice_by_the_worker_sends_its_email_once(app, session, outbox, redis_queue):  # noqa: F811
    ada = make_user()
    note = notify(session, [ada], "agreement_in_force", "Once only")[0]
    session.commit()
    # The same job again, as after a retry or a duplicate delivery.
    queue(app).enqueue("collab.jobs.run", args=("collab.notifications.jobs:email_notifications", [[note.id]], {}))
    assert queue(app).count == 2
    worker(app, simple=True).work(burst=True)
    assert [m["Subject"] for m in outbox] == ["Once only"]


def test_when_redis_is_down_the_job_runs_here_rather_than_being_lost(app, session, outbox):
    saved = app.config.get("REDIS_URL")
    app.extensions.pop("collab_jobs_redis", None)
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        ada = make_user()
        notify(session, [ada], "agreement_in_force", "Still delivered")
        session.commit()
    finally:
        app.config["REDIS_URL"] = saved
        app.extensions.pop("collab_jobs_redis", None)
    assert [m["Subject"] for m in outbox] == ["Still delivered"]


def test_production_without_redis_warns_that_there_is_no_job_queue():
    from config import production_warnings

    assert any("no job queue" in w for w in production_warnings({"BASE_URL": "https://collab.example.org"}))
    assert not any("job queue" in w for w in production_warnings(
        {"BASE_URL": "https://collab.example.org", "REDIS_URL": "redis://127.0.0.1:6379/0"}))


def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code != 0 and "REDIS_URL is not set" in result.output

