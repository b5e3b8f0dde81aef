"""A Redis database of the tests' own for the job queue (flushed before and after each test).

Redis runs on 127.0.0.1:6379 on our machines and in CI (``.ci/run`` starts it and sets
COLLAB_REQUIRE_REDIS=1, so a missing Redis fails there). On a laptop without Redis these
tests are skipped with a message; everything else uses in-process jobs and needs no Redis.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
from flask import Flask

from tests.databases import worker_id

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_db_number() -> int:
    """Database 7 for a serial run; under pytest-xdist one per worker (7, 8, …), so workers never flush each other's."""
    worker = worker_id()
    index = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    return min(7 + index, 15)


def redis_url() -> str:
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db_number()}"


def redis_answers() -> bool:
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_queue(app: Flask) -> Iterator[str]:
    """Point the test app's job queue at the tests' Redis database, empty; put everything back afterwards."""
    if not redis_answers():
        if os.environ.get("COLLAB_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis is not answering on {REDIS_HOST}:{REDIS_PORT} (COLLAB_REQUIRE_REDIS=1)")
        pytest.skip(f"Redis is not answering on {REDIS_HOST}:{REDIS_PORT}; the queue tests need it")
    from redis import Redis

    url = redis_url()
    connection = Redis.from_url(url)
    connection.flushdb()
    saved = app.config.get("REDIS_URL")
    app.extensions.pop("collab_jobs_redis", None)
    app.config["REDIS_URL"] = url
    try:
        yield url
    finally:
        app.config["REDIS_URL"] = saved
        app.extensions.pop("collab_jobs_redis", None)
        connection.flushdb()
        connection.close()
