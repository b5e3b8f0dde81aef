"""Background jobs: work that runs after a request, and work that runs on a schedule.

``enqueue(job, *args, **kwargs)`` (or ``enqueue_on(session, job, ...)`` inside a service)
asks for ``job(*args, **kwargs)`` to run once the current database transaction commits; if it
rolls back, nothing runs. ``job`` is a function or its path ("collab.notifications.jobs:email").

- With ``REDIS_URL`` set, the job goes onto an RQ queue in Redis after the commit, and a worker
  (``flask --app wsgi worker``) runs it. If Redis cannot be reached, the job runs here instead,
  so an email is late rather than lost.
- Without ``REDIS_URL`` (development, tests), the job runs in this process right after the
  commit, in a thread of its own, so ``make run`` needs nothing else.

Either way a job runs in a fresh application context with a fresh database session and is
committed when it returns (rolled back if it raises); it gets only the JSON-safe arguments it
was given (ids, not database objects), never state from the request or the process.

Periodic jobs (reminders, digests) are registered by the areas with ``register_periodic``;
``flask --app wsgi scheduler`` enqueues them on time (RQ's cron scheduler with Redis, or runs
them itself without), and ``flask --app wsgi run-job NAME`` runs one now.
"""

from __future__ import annotations

import importlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from collab.db import after_commit, db

#: The RQ queue every job goes on.
QUEUE_NAME = "collab"
#: How long one job may run before the worker stops it.
JOB_TIMEOUT_SECONDS = 600

Job = Callable[..., Any] | str


@dataclass(frozen=True)
class Periodic:
    """A job run on a schedule."""

    name: str
    #: "module:function"
    target: str
    #: When, as a cron line in UTC ("0 7 * * *" is 07:00 UTC every day).
    cron: str
    description: str


#: Every periodic job, by name (filled in by the areas' init_app).
PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, target: Job, cron: str, description: str) -> Periodic:
    """Run ``target`` on the schedule ``cron`` (UTC); registering the same name again replaces it."""
    periodic = Periodic(name, job_path(target), cron, description)
    PERIODIC[name] = periodic
    return periodic


def job_path(job: Job) -> str:
    """"module:function" for a function (or a path already written that way)."""
    if isinstance(job, str):
        if ":" not in job:
            raise ValueError(f"a job path looks like 'package.module:function', not {job!r}")
        return job
    return f"{job.__module__}:{job.__qualname__}"


def resolve(path: str) -> Callable[..., Any]:
    """The function a job path names."""
    module, _, name = path.partition(":")
    target: Any = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    return target


def enqueue(job: Job, *args: Any, **kwargs: Any) -> None:
    """Run ``job(*args, **kwargs)`` in the background once the current transaction commits."""
    enqueue_on(db.session, job, *args, **kwargs)


def enqueue_on(session: Session, job: Job, *args: Any, **kwargs: Any) -> None:
    """Like ``enqueue``, after ``session`` commits (for services, which are given their session)."""
    path = job_path(job)
    # Jobs get plain values only: an ORM object would be stale, and the worker is another process.
    try:
        json.dumps([args, kwargs])
    except TypeError as error:
        raise TypeError(f"arguments of job {path} must be plain values (ids, text, numbers): {error}") from None
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(session, lambda: dispatch(app, path, list(args), dict(kwargs)))


def dispatch(app: Flask, path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Put one job on the queue now (Redis), or run it in this process (no Redis, or Redis down)."""
    if app.config.get("REDIS_URL"):
        try:
            queue(app).enqueue(run, args=(path, args, kwargs), job_timeout=JOB_TIMEOUT_SECONDS, description=path)
            return
        except Exception:  # Redis is down: do the work here rather than lose it
            app.logger.exception("Could not put job %s on the queue; running it in this process", path)
    run_in_process(app, path, args, kwargs)


def run_in_process(app: Flask, path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Run a job now, in a thread of its own (so nothing of the caller's context leaks into it)."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            execute(app, path, args, kwargs)
        except BaseException as error:  # reported below, in the caller's thread
            failure.append(error)

    thread = threading.Thread(target=target, name=f"job {path}")
    thread.start()
    thread.join()
    if failure:
        if app.testing:
            raise failure[0]
        app.logger.error("Job %s failed", path, exc_info=failure[0])


def execute(app: Flask, path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run one job in a fresh context and database session; commit if it returns, roll back if it raises."""
    _forget_inherited_connections(app)
    # A request context (not only an app context) so that url_for builds links, from BASE_URL.
    # POST: on SQLite, a job that writes takes the write lock when it begins (collab.db).
    with app.test_request_context("/", method="POST", base_url=app.config.get("BASE_URL") or None):
        try:
            result = resolve(path)(*args, **kwargs)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    return result


def run(path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What the RQ worker runs for every job (the worker command pushes the app's context)."""
    if not has_app_context():
        raise RuntimeError("Start workers with 'flask --app wsgi worker', which gives jobs the application")
    return execute(current_app._get_current_object(), path, args, kwargs)  # type: ignore[attr-defined]


def _forget_inherited_connections(app: Flask) -> None:
    # RQ's worker forks a process per job: database connections made by the parent must not
    # be shared with the child (both would talk over one socket). Drop them, without closing.
    pid = os.getpid()
    if app.extensions.setdefault("collab_jobs_pid", pid) != pid:
        db.get_engine(app).dispose(close=False)
        app.extensions["collab_jobs_pid"] = pid


# --- Redis and RQ ----------------------------------------------------------------------------


def redis_connection(app: Flask) -> Any:
    """A Redis connection for the queue (one per app, made on first use)."""
    connection = app.extensions.get("collab_jobs_redis")
    if connection is None:
        from redis import Redis

        connection = Redis.from_url(app.config["REDIS_URL"], socket_connect_timeout=3, socket_timeout=10)
        app.extensions["collab_jobs_redis"] = connection
    return connection


def queue(app: Flask) -> Any:
    """The RQ queue jobs go on."""
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(app))


def worker(app: Flask, *, simple: bool = False) -> Any:
    """An RQ worker for the queue; ``simple`` runs jobs in its own process (tests) instead of forking."""
    from rq import SimpleWorker, Worker

    app.extensions["collab_jobs_pid"] = os.getpid()
    kind = SimpleWorker if simple else Worker
    return kind([queue(app)], connection=redis_connection(app))


def cron_scheduler(app: Flask) -> Any:
    """RQ's cron scheduler with every periodic job registered on it."""
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=redis_connection(app))
    for periodic in PERIODIC.values():
        scheduler.register(
            run, QUEUE_NAME, args=(periodic.target, [], {}), cron=periodic.cron, name=periodic.name,
            job_timeout=JOB_TIMEOUT_SECONDS,
        )
    return scheduler


# --- Commands --------------------------------------------------------------------------------


def register_commands(app: Flask) -> None:
    """flask worker, flask scheduler, flask run-job."""
    import click

    @app.cli.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty instead of waiting for more.")
    def worker_command(burst: bool) -> None:
        """Run queued jobs (emails, digests, reminders); needs REDIS_URL."""
        if not app.config.get("REDIS_URL"):
            raise click.ClickException(
                "REDIS_URL is not set, so there is no queue: jobs already run inside the app, "
                "right after each change. Set REDIS_URL to run them in a worker instead."
            )
        worker(app).work(burst=burst, with_scheduler=False)

    @app.cli.command("scheduler")
    def scheduler_command() -> None:
        """Start the periodic jobs (reminders, digests) on time: on the queue with REDIS_URL, here without."""
        for periodic in PERIODIC.values():
            click.echo(f"{periodic.name}: {periodic.cron} (UTC) - {periodic.description}")
        if app.config.get("REDIS_URL"):
            cron_scheduler(app).start()
        else:
            click.echo("REDIS_URL is not set: running the periodic jobs in this process.")
            run_schedule_here(app)

    @app.cli.command("run-job")
    @click.argument("name", type=click.Choice(sorted(PERIODIC)) if PERIODIC else str)
    def run_job_command(name: str) -> None:
        """Run one periodic job now, in this process (safe to repeat: jobs never send anything twice)."""
        execute(app, PERIODIC[name].target, [], {})
        click.echo(f"{name}: done.")


def run_schedule_here(app: Flask, *, stop: threading.Event | None = None) -> None:
    """Without Redis: run each periodic job in this process when its cron line says (until ``stop``)."""
    from datetime import UTC, datetime

    stop = stop or threading.Event()
    due = next_runs(datetime.now(UTC))
    while not stop.is_set():
        due = run_due(app, due, datetime.now(UTC))
        wait = min((when - datetime.now(UTC)).total_seconds() for when in due.values()) if due else 60
        stop.wait(max(1.0, min(wait, 60.0)))


def next_runs(after: datetime) -> dict[str, datetime]:
    """When each periodic job next runs after ``after`` (UTC)."""
    from croniter import croniter

    return {name: croniter(p.cron, after).get_next(datetime) for name, p in PERIODIC.items()}


def run_due(app: Flask, due: dict[str, datetime], now: datetime) -> dict[str, datetime]:
    """Run (here) every periodic job whose time has come; returns the schedule with their next times."""
    from croniter import croniter

    schedule = dict(due)
    for name, when in due.items():
        if when <= now and name in PERIODIC:
            try:
                execute(app, PERIODIC[name].target, [], {})
            except Exception:  # one failing job must not stop the others
                app.logger.exception("Periodic job %s failed", name)
                if app.testing:
                    raise
            schedule[name] = croniter(PERIODIC[name].cron, now).get_next(datetime)
    return schedule
