"""The app as the benchmark serves it: the real application plus a bare "hello" route.

gunicorn runs ``tests.bench.app:app``. The hello route answers without touching the
database or templates, so its throughput is the ceiling of this stack (gunicorn, WSGI,
Flask) on this machine; every page is compared with it in the same run.

When COLLAB_BENCH_TIMINGS names a file, each request's time inside the application (from
the WSGI call until the response body is ready, which is all of it for Flask) is appended
to it as "<path> <milliseconds>", so the harness can report server time apart from the
queueing that a load test adds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from collab import create_app


class ServerTiming:
    """WSGI middleware that records how long the application takes for each request."""

    def __init__(self, app: Callable[..., Iterable[bytes]], path: str) -> None:
        self.app = app
        # Line-buffered append: each worker writes whole lines, so workers do not interleave mid-line.
        self.out = open(path, "a", buffering=1)  # noqa: SIM115 - lives as long as the worker

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        started = time.perf_counter()
        body = list(self.app(environ, start_response))
        elapsed = (time.perf_counter() - started) * 1000
        self.out.write(f"{environ.get('PATH_INFO', '')} {elapsed:.3f}\n")
        return body


def make_app() -> Flask:
    app = create_app({"BENCH": True})

    @app.get("/bench/hello")
    def bench_hello() -> str:
        return "hello"

    timings = os.environ.get("COLLAB_BENCH_TIMINGS")
    if timings:
        app.wsgi_app = ServerTiming(app.wsgi_app, timings)  # type: ignore[method-assign]
    return app


app = make_app()
