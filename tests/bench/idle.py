"""Idle ideas-board clients for the bench (issue 11): ``python -m tests.bench.idle BASE PATH COOKIE ETAG``.

Each client behaves like a browser with the board open and nothing changing: every INTERVAL
seconds (1.5, as ``templates/workshops/_board.html`` asks htmx) it sends the board poll with
the ETag it has as If-None-Match and the htmx headers, on a new connection (gunicorn's sync
workers close every connection after answering, so a browser opens one per poll too), reads
the answer and closes. No connection is held open between polls. Clients start spread over
the first interval, as browsers opened at different moments would be.

Runs until SIGTERM (or ``--seconds``), then prints one line "IDLE_JSON {...}": polls, answers by
status, latency p50/p95/max in ms, and this process's own CPU seconds (so the load generator's
share of the machine is known).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import time
import urllib.parse


async def client(host: str, port: int, request: bytes, interval: float, start: float, stop: asyncio.Event,
                 statuses: dict[str, int], latencies: list[float]) -> None:
    await asyncio.sleep(start)
    next_at = time.monotonic()
    while not stop.is_set():
        started = time.monotonic()
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            head = await asyncio.wait_for(reader.readline(), timeout=30)
            await reader.read()  # to the end: the server closes the connection
            writer.close()
            status = head.split(b" ")[1].decode() if head.count(b" ") >= 2 else "bad"
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            status = "error"
        latencies.append((time.monotonic() - started) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
        next_at += interval
        delay = next_at - time.monotonic()
        if delay < 0:  # the answer took longer than the interval: htmx waits for it, then polls again
            next_at = time.monotonic()
            delay = 0
        try:
            await asyncio.wait_for(stop.wait(), timeout=delay)
        except TimeoutError:
            pass


async def main(args: argparse.Namespace) -> dict[str, object]:
    url = urllib.parse.urlsplit(args.base)
    host, port = url.hostname or "127.0.0.1", url.port or 80
    request = (
        f"GET {args.path} HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: {args.cookie}\r\n"
        f"If-None-Match: {args.etag}\r\nHX-Request: true\r\nHX-Target: board\r\nHX-Trigger: board\r\n"
        "Accept: */*\r\nConnection: close\r\n\r\n"
    ).encode()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    if args.seconds:
        loop.call_later(args.seconds, stop.set)
    statuses: dict[str, int] = {}
    latencies: list[float] = []
    rng = random.Random(11)
    began = time.monotonic()
    await asyncio.gather(*[
        client(host, port, request, args.interval, rng.uniform(0, args.interval), stop, statuses, latencies)
        for _ in range(args.clients)
    ])
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    cpu = os.times()
    return {
        "clients": args.clients, "interval_s": args.interval, "seconds": round(elapsed, 2), "polls": len(latencies),
        "polls_per_second": round(len(latencies) / elapsed, 1) if elapsed else 0.0, "statuses": statuses,
        "p50_ms": round(statistics.median(ordered), 2) if ordered else 0.0,
        "p95_ms": round(ordered[int(len(ordered) * 0.95)], 2) if ordered else 0.0,
        "max_ms": round(ordered[-1], 2) if ordered else 0.0,
        "client_cpu_s": round(cpu.user + cpu.system, 2),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base")
    parser.add_argument("path")
    parser.add_argument("cookie")
    parser.add_argument("etag")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--interval", type=float, default=1.5)
    parser.add_argument("--seconds", type=float, default=0)
    print("IDLE_JSON " + json.dumps(asyncio.run(main(parser.parse_args()))), flush=True)
