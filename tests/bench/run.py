"""`make bench`: load the heaviest pages under gunicorn and compare them with a bare "hello".

For each database (SQLite always; PostgreSQL too when COLLAB_BENCH_DATABASE_URL is set):

1. make a brand-new database (a SQLite file in a temporary folder, or a PostgreSQL
   database named collab_bench_<random> on that server, dropped at the end: another run's
   data is never touched), migrate it and build the large data set (collab/demo/large.py);
2. start gunicorn (2 sync workers, the best on 2 cores) serving tests.bench.app:app;
3. sign in once as the large data set's commissioner and keep the session cookie;
4. for the hello endpoint and each page: warm up, then run wrk (Debian's wrk; installed
   with apt-get if missing) at concurrency 16 for BENCH_SECONDS (default 10) seconds;
5. print requests/s, latency p50/p95 as wrk saw it, server time p50/p95 (time inside the
   app, from tests/bench/app.py) under that load and again with one connection at a time
   (the page's own cost, without CPU shared with 15 other requests, wrk and the database),
   and the ratio to hello's requests/s; write it all to
   tests/bench/results/<time>-<database>.json (git-ignored), with a ``ratio`` per page.

6. CPU per request (issue 10): the gunicorn workers' CPU plus, on PostgreSQL, the CPU of the
   backends serving them, read from /proc around BENCH_CPU_VIEWS (100) requests made one at a
   time: warm (the page cache full), and cold (the alliance's revision bumped before each view,
   as any write does, so nothing kept can be used); and a write-heavy mix, wrk with one request
   in ten a reply to a comment in the same alliance. CPU time is steadier than requests/s on a
   shared machine; both are printed with their ratio to hello's.

7. Idle ideas boards (issue 11): BENCH_IDLE_CLIENTS (200) clients polling the workshop board every
   1.5 s with If-None-Match (tests/bench/idle.py) while BENCH_IDLE_PAGE (the spec page) and hello are
   loaded with wrk; the slowdown against the mean of a run before and one after, and the CPU (workers
   + backends) per idle client per second and per poll. Target: at most 10% slower.

Targets (issues 4 and 10): every page at least 0.25 × hello's requests/s and CPU per request
(warm), at most 15 ms CPU per request cold, at least 0.10 × hello's requests/s in the write mix,
and p95 server time at most 30 ms on PostgreSQL. The run prints which pages miss them; it does not fail on them,
because the numbers depend on the machine.

Environment: BENCH_SECONDS, BENCH_CONNECTIONS (16), BENCH_WORKERS (2), BENCH_PORT (8765),
BENCH_CPU_VIEWS (100), BENCH_PAGES (names to run, comma-separated; hello always runs), PAGE_CACHE=off,
COLLAB_BENCH_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from tests.bench.areas import VALUE_PAGES
from tests.databases import fresh_database

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
RATIO_TARGET = 0.25
P95_TARGET_MS = 30.0
COLD_CPU_TARGET_MS = 15.0
MIX_RATIO_TARGET = 0.10

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local out = string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.1f, ' ..
    '"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, "status_errors": %d}',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.mean, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status)
  io.write("WRK_JSON " .. out .. "\\n")
end
"""


@dataclass
class Result:
    name: str
    path: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    server_p50_ms: float
    server_p95_ms: float
    requests: int
    errors: int
    ratio: float = 1.0
    statements: int | None = None
    #: Server time with one connection at a time: the page's own cost, without the queueing and
    #: CPU sharing that 16 connections on 2 cores add to every request.
    server_p50_ms_alone: float = 0.0
    server_p95_ms_alone: float = 0.0
    #: CPU time per request: the gunicorn workers plus the database's backends (PostgreSQL), in ms.
    cpu_ms: float = 0.0
    #: hello's CPU per request / this page's (1.0 for hello; the target is 0.25 like req/s).
    cpu_ratio: float = 1.0
    #: The first view after a write (the page cache cannot help): CPU and server ms per request.
    cold_cpu_ms: float | None = None
    cold_server_ms: float | None = None
    #: The page under a write-heavy mix (1 request in 10 is a write in the same alliance).
    mix_requests_per_second: float | None = None
    mix_ratio: float | None = None
    mix_cpu_ms: float | None = None
    mix_errors: int = 0


def log(message: str) -> None:
    print(message, flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is not installed; installing it with apt-get (Debian's package)...")
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("Could not install wrk. Install it (apt-get install wrk) and run make bench again.")
    return found


# CPU -----------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """User + system CPU seconds of one process (0 if it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


class CpuMeter:
    """CPU of the gunicorn workers and of the database backends serving them (PostgreSQL)."""

    def __init__(self, master_pid: int, url: str) -> None:
        self.master_pid = master_pid
        self.conn = None
        if url.startswith("postgresql"):
            import psycopg

            self.conn = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)

    def pids(self) -> list[int]:
        found = []
        for task in Path(f"/proc/{self.master_pid}/task").glob("*/children"):
            found += [int(p) for p in task.read_text().split()]
        if self.conn is not None:
            rows = self.conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
            found += [r[0] for r in rows]
        return found

    def snapshot(self) -> dict[int, float]:
        return {pid: _cpu_of(pid) for pid in self.pids()}

    @staticmethod
    def spent(before: dict[int, float], after: dict[int, float]) -> float:
        return sum(after[pid] - before.get(pid, 0.0) for pid in after)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def bump(self, alliance_slug: str, sqlite_path: str | None) -> None:
        """A write the page cache must notice: a new revision for the alliance (as any write makes)."""
        try:
            self._bump(alliance_slug, sqlite_path)
        except Exception:  # noqa: BLE001 - a build without the page cache: every view is cold anyway
            pass

    def _bump(self, alliance_slug: str, sqlite_path: str | None) -> None:
        if self.conn is not None:
            self.conn.execute(
                "INSERT INTO alliance_revision (alliance_id, revision) SELECT id, nextval('alliance_revision_seq') "
                "FROM alliance WHERE slug = %s ON CONFLICT (alliance_id) DO UPDATE SET revision = EXCLUDED.revision",
                (alliance_slug,),
            )
        elif sqlite_path:
            import sqlite3

            with sqlite3.connect(sqlite_path, timeout=30) as conn:
                conn.execute(
                    "INSERT INTO alliance_revision (alliance_id, revision) SELECT id, "
                    "(SELECT coalesce(max(revision), 0) + 1 FROM alliance_revision) FROM alliance WHERE slug = ? "
                    "ON CONFLICT (alliance_id) DO UPDATE SET revision = excluded.revision",
                    (alliance_slug,),
                )


# Databases -----------------------------------------------------------------------------


def build_data(url: str, env: dict[str, str]) -> dict[str, Any]:
    """Migrate and seed in a child process (a clean interpreter, like `flask seed-large`)."""
    code = (
        "import json\n"
        "from collab import create_app\n"
        "from collab.db import db\n"
        "from collab.migrate import upgrade\n"
        "from collab.demo.large import seed_large, SPEC_TITLE\n"
        "from collab.specs.models import Spec, SpecComment\n"
        "from sqlalchemy import select\n"
        "app = create_app()\n"
        "upgrade(db.engine)\n"
        "with app.test_request_context():\n"
        "    seed_large(db.session)\n"
        "    from tests.bench.areas import seed_areas\n"
        "    areas = seed_areas(db.session)\n"
        "    db.session.info.pop('after_commit', None)\n"
        "    db.session.commit()\n"
        "    with db.engine.begin() as conn:\n"
        "        conn.exec_driver_sql('ANALYZE')  # planner statistics, as a live database would have\n"
        "    spec = db.session.scalar(select(Spec.id).where(Spec.title == SPEC_TITLE))\n"
        "    comment = db.session.scalar(select(SpecComment.id).where(SpecComment.spec_id == spec).order_by(SpecComment.id).limit(1))\n"
        "    print('IDS', json.dumps({'spec': spec, 'comment': comment, **areas}))\n"
    )
    started = time.perf_counter()
    out = subprocess.run([PYTHON, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    log(f"  built the large data set in {time.perf_counter() - started:.0f}s")
    line = next(l for l in out.stdout.splitlines() if l.startswith("IDS "))
    return json.loads(line[4:])  # type: ignore[no-any-return]


# Server --------------------------------------------------------------------------------


def free_port(preferred: int) -> int:
    for port in [preferred, 0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]  # type: ignore[no-any-return]
    raise SystemExit("no free port")


@contextmanager
def gunicorn(env: dict[str, str], port: int) -> Iterator[tuple[str, int]]:
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [GUNICORN, "--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "--backlog", "2048", "tests.bench.app:app"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/bench/hello", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("gunicorn stopped while starting; see the messages above") from None
                if time.time() > deadline:
                    raise SystemExit("gunicorn did not start within 60 seconds") from None
                time.sleep(0.3)
        yield base, proc.pid
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def sign_in(base: str, email: str, password: str) -> str:
    """Sign in through the real form; returns the Cookie header value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(base + "/sign-in") as r:
        html = r.read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not token:
        raise SystemExit("no CSRF token on the sign-in page")
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email, "password": password}).encode()
    with opener.open(base + "/sign-in", data=data) as r:
        if "Sign out" not in r.read().decode():
            raise SystemExit(f"could not sign in as {email}")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def check_page(base: str, path: str, cookie: str) -> None:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as r:
        if r.status != 200 or r.url.rstrip("/").endswith("/sign-in"):
            raise SystemExit(f"{path} answered {r.status} at {r.url}")


def board_etag(base: str, poll: str, cookie: str) -> str:
    """The board poll's ETag (a client that has the board sends it back as If-None-Match)."""
    with urllib.request.urlopen(urllib.request.Request(base + poll, headers={"Cookie": cookie}), timeout=30) as r:
        etag = r.headers.get("ETag")
    if not etag:
        raise SystemExit(f"{poll} gave no ETag")
    request = urllib.request.Request(base + poll, headers={"Cookie": cookie, "If-None-Match": etag})
    try:
        urllib.request.urlopen(request, timeout=30).close()
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return etag
    raise SystemExit(f"{poll} did not answer 304 to its own ETag")


# Load ----------------------------------------------------------------------------------


def server_times(timings: Path, offset: int, path: str) -> list[float]:
    with timings.open() as f:
        f.seek(offset)
        values = []
        wanted = urllib.parse.urlsplit(path).path
        for line in f:
            name, _, ms = line.rpartition(" ")
            if name == wanted:
                values.append(float(ms))
    return values


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1] if len(ordered) > 1 else ordered[0]


def load(wrk: str, script: Path, base: str, name: str, path: str, cookie: str, timings: Path, meter: CpuMeter,
         extra: dict[str, str] | None = None) -> Result:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    for key, value in (extra or {}).items():
        headers += ["-H", f"{key}: {value}"]
    # Warm up: templates compiled, caches and connections ready.
    subprocess.run([wrk, "-t1", f"-c{CONNECTIONS}", "-d2s", *headers, base + path], check=True, capture_output=True)
    offset = timings.stat().st_size
    out = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script), *headers, base + path],
        check=True, capture_output=True, text=True,
    ).stdout
    data = json.loads(next(l for l in out.splitlines() if l.startswith("WRK_JSON "))[9:])
    times = server_times(timings, offset, path)
    alone_offset = timings.stat().st_size
    subprocess.run([wrk, "-t1", "-c1", f"-d{max(2, SECONDS // 2)}s", *headers, base + path], check=True, capture_output=True)
    alone = server_times(timings, alone_offset, path)
    errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors"))
    return Result(
        name=name, path=path,
        requests_per_second=round(data["requests"] / (data["duration_us"] / 1e6), 1),
        p50_ms=round(data["p50_us"] / 1000, 2), p95_ms=round(data["p95_us"] / 1000, 2),
        server_p50_ms=round(percentile(times, 50), 2), server_p95_ms=round(percentile(times, 95), 2),
        requests=data["requests"], errors=errors,
        server_p50_ms_alone=round(percentile(alone, 50), 2), server_p95_ms_alone=round(percentile(alone, 95), 2),
        cpu_ms=sequential(base, path, cookie, meter, extra=extra)[0],
    )


VIEWS = int(os.environ.get("BENCH_CPU_VIEWS", "100"))


def sequential(base: str, path: str, cookie: str, meter: CpuMeter, *, bump: tuple[str, str | None] | None = None,
               extra: dict[str, str] | None = None) -> tuple[float, float]:
    """CPU and wall ms per request over VIEWS requests made one at a time (after ``bump``, when cold).

    CPU time is counted per process, so it stays steady while other work shares the machine,
    which requests per second do not.
    """
    wall = 0.0
    headers = {"Cookie": cookie, **(extra or {})} if cookie else {}
    request = urllib.request.Request(base + path, headers=headers)
    # One snapshot around the whole loop: the kernel counts CPU in 10 ms ticks, so only a total
    # over many requests is precise. The bump runs in this process and on a backend left out.
    before = meter.snapshot()
    for _ in range(VIEWS):
        if bump is not None:
            meter.bump(*bump)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                r.read()
        except urllib.error.HTTPError as e:
            if e.code != 304:  # the board poll's "nothing changed"
                raise
        wall += time.perf_counter() - started
    cpu = CpuMeter.spent(before, meter.snapshot())
    return round(cpu * 1000 / VIEWS, 3), round(wall * 1000 / VIEWS, 2)


MIX_SCRIPT = """
local n = 0
request = function()
  n = n + 1
  if n % 10 == 0 then
    return wrk.format("POST", "{write}", {{["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = "{cookie}", ["X-CSRFToken"] = "{token}"}}, "body=Thank+you+for+this")
  end
  return wrk.format("GET", "{path}", {{["Cookie"] = "{cookie}"{extra}}})
end
"""


def mix(wrk: str, base: str, path: str, write: str, cookie: str, token: str, workdir: Path,
        meter: CpuMeter, extra: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Requests/s and CPU ms per request with 1 request in 10 a write (a reply) in the same alliance."""
    script = workdir / "mix.lua"
    lua_extra = "".join(f', ["{k}"] = {json.dumps(v)}' for k, v in (extra or {}).items())
    script.write_text(MIX_SCRIPT.format(write=write, cookie=cookie, token=token, path=path, extra=lua_extra)
                      + WRK_SCRIPT)
    before = meter.snapshot()
    out = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script), base + path],
        check=True, capture_output=True, text=True,
    ).stdout
    cpu = CpuMeter.spent(before, meter.snapshot())
    data = json.loads(next(l for l in out.splitlines() if l.startswith("WRK_JSON "))[9:])
    errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors"))
    return round(data["requests"] / (data["duration_us"] / 1e6), 1), round(cpu * 1000 / max(1, data["requests"]), 3), errors


#: The page measured next to the idle board clients (BENCH_IDLE_PAGE, a page name's start).
IDLE_PAGE = os.environ.get("BENCH_IDLE_PAGE", "spec page")
IDLE_CLIENTS = int(os.environ.get("BENCH_IDLE_CLIENTS", "200"))
IDLE_INTERVAL = 1.5  # seconds between polls, as templates/workshops/_board.html asks htmx
IDLE_SLOWDOWN_TARGET = 10.0  # per cent (issue 11)


def wrk_once(wrk: str, script: Path, url: str, cookie: str) -> dict[str, float]:
    """One wrk run at CONNECTIONS for SECONDS: requests/s, p50/p95 ms and errors."""
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script), *headers, url],
        check=True, capture_output=True, text=True,
    ).stdout
    data = json.loads(next(l for l in out.splitlines() if l.startswith("WRK_JSON "))[9:])
    return {
        "requests_per_second": round(data["requests"] / (data["duration_us"] / 1e6), 1),
        "p50_ms": round(data["p50_us"] / 1000, 2), "p95_ms": round(data["p95_us"] / 1000, 2),
        "errors": sum(data[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "status_errors")),
    }


def idle_boards(wrk: str, script: Path, base: str, cookie: str, poll: str, etag: str, page: tuple[str, str],
                meter: CpuMeter) -> dict[str, object]:
    """Issue 11: IDLE_CLIENTS board clients polling (304) while another page and hello are loaded.

    Order: page and hello alone; idle clients alone (their CPU cost: workers + database backends,
    per client per second and per poll); page and hello with the idle clients; page and hello
    alone again (the machine is shared: the baseline is the mean of before and after).
    """
    name, path = page
    log(f"\n  idle boards: {IDLE_CLIENTS} clients polling {poll} every {IDLE_INTERVAL}s; measuring {name}")
    targets = {name: (base + path, cookie), "hello (ceiling)": (base + "/bench/hello", "")}
    before = {k: wrk_once(wrk, script, url, c) for k, (url, c) in targets.items()}
    proc = subprocess.Popen(
        [PYTHON, "-m", "tests.bench.idle", base, poll, cookie, etag, "--clients", str(IDLE_CLIENTS),
         "--interval", str(IDLE_INTERVAL)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        time.sleep(IDLE_INTERVAL * 2)  # every client has started
        quiet = max(10, SECONDS)
        cpu_before, started = meter.snapshot(), time.perf_counter()
        time.sleep(quiet)
        cpu = CpuMeter.spent(cpu_before, meter.snapshot())
        elapsed = time.perf_counter() - started
        during = {k: wrk_once(wrk, script, url, c) for k, (url, c) in targets.items()}
    finally:
        proc.send_signal(signal.SIGINT)
        stdout, _ = proc.communicate(timeout=60)
    clients = json.loads(next(l for l in stdout.splitlines() if l.startswith("IDLE_JSON "))[10:])
    after = {k: wrk_once(wrk, script, url, c) for k, (url, c) in targets.items()}
    # The polls actually answered (when the workers cannot keep up, fewer than clients / interval).
    polls_per_second = float(clients["polls_per_second"]) or IDLE_CLIENTS / IDLE_INTERVAL
    out: dict[str, object] = {
        "clients": IDLE_CLIENTS, "interval_s": IDLE_INTERVAL, "workers": WORKERS, "page": name, "path": path,
        "idle_only_seconds": round(elapsed, 1),
        "cpu_ms_per_idle_client_per_second": round(cpu * 1000 / elapsed / IDLE_CLIENTS, 3),
        "cpu_ms_per_poll": round(cpu * 1000 / (elapsed * polls_per_second), 3),
        "server_cpu_share_of_one_core": round(cpu / elapsed, 3),
        "idle_clients": clients,
    }
    for key in targets:
        baseline = (before[key]["requests_per_second"] + after[key]["requests_per_second"]) / 2
        slowdown = round((1 - during[key]["requests_per_second"] / baseline) * 100, 1) if baseline else 0.0
        out[key] = {"before": before[key], "with_idle_clients": during[key], "after": after[key],
                    "baseline_requests_per_second": round(baseline, 1), "slowdown_percent": slowdown}
    return out


def print_idle(idle: dict[str, object]) -> None:
    clients = idle["idle_clients"]
    assert isinstance(clients, dict)
    log(f"\nIdle ideas boards (issue 11): {idle['clients']} clients polling every {idle['interval_s']}s "
        f"(If-None-Match), gunicorn with {idle['workers']} sync workers")
    wanted = round(float(idle["clients"]) / float(idle["interval_s"]), 1)  # type: ignore[arg-type]
    log(f"  polls answered: {clients['statuses']} at {clients['polls_per_second']} polls/s (wanted {wanted}); poll latency "
        f"p50 {clients['p50_ms']} ms, p95 {clients['p95_ms']} ms, max {clients['max_ms']} ms")
    log(f"  CPU (workers + database backends): {idle['cpu_ms_per_idle_client_per_second']} ms per idle client per "
        f"second, {idle['cpu_ms_per_poll']} ms per poll, {idle['server_cpu_share_of_one_core']} of one core "
        f"for all {idle['clients']} (the load generator itself used {clients['client_cpu_s']} CPU s)")
    log(f"  {'page':32s} {'before':>8s} {'with idle':>9s} {'after':>8s} {'slowdown':>8s} {'p95 before':>10s} "
        f"{'p95 idle':>8s}")
    for key in (idle["page"], "hello (ceiling)"):
        row = idle[key]  # type: ignore[index]
        assert isinstance(row, dict)
        log(f"  {key:32s} {row['before']['requests_per_second']:8.1f} {row['with_idle_clients']['requests_per_second']:9.1f} "
            f"{row['after']['requests_per_second']:8.1f} {row['slowdown_percent']:7.1f}% {row['before']['p95_ms']:10.2f} "
            f"{row['with_idle_clients']['p95_ms']:8.2f}")


def count_statements(env: dict[str, str], paths: dict[str, str]) -> dict[str, int]:
    """SQL statements each page runs (one request each, in a child process with the same data)."""
    code = (
        "import json, sys\n"
        "from sqlalchemy import event, select\n"
        "from collab import create_app\n"
        "from collab.db import db\n"
        "from collab.accounts.models import User\n"
        "from collab.demo.large import BENCH_EMAIL\n"
        "app = create_app({'WTF_CSRF_ENABLED': False})\n"
        "from collab.accounts.signin import create_session_row\n"
        "with app.test_request_context():\n"
        "    bench_user = db.session.scalar(select(User).where(User.email == BENCH_EMAIL))\n"
        "    uid, sid = bench_user.get_id(), create_session_row(db.session, bench_user)\n"
        "    db.session.commit()\n"
        "client = app.test_client()\n"
        "with client.session_transaction() as s:\n"
        "    s['_user_id'] = uid\n"
        "    s['_sid'] = sid\n"
        "n = [0]\n"
        "event.listen(db.engine, 'before_cursor_execute', lambda *a: n.__setitem__(0, n[0] + 1))\n"
        "out = {}\n"
        "for name, path in json.loads(sys.argv[1]).items():\n"
        "    first = client.get(path)\n"
        "    headers = {'If-None-Match': first.headers['ETag']} if '(304)' in name else {}\n"
        "    n[0] = 0\n"
        "    client.get(path, headers=headers)\n"
        "    out[name] = n[0]\n"
        "print('COUNTS', json.dumps(out))\n"
    )
    result = subprocess.run([PYTHON, "-c", code, json.dumps(paths)], env=env, cwd=ROOT, capture_output=True, text=True)
    line = next((l for l in result.stdout.splitlines() if l.startswith("COUNTS ")), None)
    return json.loads(line[7:]) if line else {}


def run_one(wrk: str, label: str, url: str, workdir: Path) -> dict[str, object]:
    log(f"\n== {label} ==")
    timings = workdir / f"timings-{label}.log"
    timings.write_text("")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": url,
        "COLLAB_INSTANCE_DIR": str(workdir / f"instance-{label}"),
        "SECRET_KEY": "bench-secret-key-not-for-production",
        "MAIL_BACKEND": "memory",
        "COLLAB_BENCH_TIMINGS": str(timings),
        # One sign-in per run; the limits protect real accounts, not the benchmark's.
        "LOGIN_LIMIT_PER_ACCOUNT": "1000 per minute",
        "LOGIN_LIMIT_PER_IP": "1000 per minute",
    }
    ids = build_data(url, env)
    slug = "bench-alliance-01"
    spec = f"/alliances/{slug}/specs/{ids['spec']}"
    river = ids["riverside"]
    workshop = f"/alliances/{river}/workshops/{ids['workshop']}"
    pages = {
        "hello (ceiling)": "/bench/hello",
        "spec page (consultation)": spec,
        "you said, we did": f"{spec}/you-said-we-did",
        "agreement page": f"/alliances/{slug}/agreement",
        "agreement version comparison": f"/alliances/{slug}/agreement/compare?from=1&to=10",
        "spec version comparison": f"{spec}/compare?from=1&to=1",
        "alliance home": f"/alliances/{slug}",
        # The newer areas (data: tests/bench/areas.py), in Riverside, where the bench commissioner
        # is also a commissioner; "For you" gathers from the four alliances they belong to.
        "for you (4 alliances)": "/for-you",
        "workshop page": workshop,
        "ideas board": f"{workshop}/board",
        "board poll, changed (200)": f"{workshop}/board/live",
        "board poll, unchanged (304)": f"{workshop}/board/live",
        "resources register": f"/alliances/{river}/resources",
        "resource calendar": f"/alliances/{river}/resources/{ids['resource']}/calendar",
        "value page": f"/alliances/{river}/value",
        "value scorecard": f"/alliances/{river}/value/scorecard",
        **{name: f"/alliances/{river}/value" + rest.format(evaluation=ids["evaluation"]) for name, rest in VALUE_PAGES},
    }
    script = workdir / "report.lua"
    script.write_text(WRK_SCRIPT)
    statements = count_statements(env, {k: v for k, v in pages.items() if v != "/bench/hello"})
    results: list[Result] = []
    only = [n.strip() for n in os.environ.get("BENCH_PAGES", "").split(",") if n.strip()]
    if only:
        pages = {k: v for k, v in pages.items() if v == "/bench/hello" or any(o in k for o in only)}
    write = f"{spec}/comments/{ids['comment']}/replies"
    sqlite_path = url.removeprefix("sqlite:///") if url.startswith("sqlite") else None
    with gunicorn(env, free_port(PORT)) as (base, master):
        from collab.demo import DEMO_PASSWORD
        from collab.demo.large import BENCH_EMAIL

        meter = CpuMeter(master, url)
        cookie = sign_in(base, BENCH_EMAIL, DEMO_PASSWORD)
        for path in pages.values():
            check_page(base, path, cookie)
        with urllib.request.urlopen(urllib.request.Request(base + spec, headers={"Cookie": cookie})) as r:
            found = re.search(r'"X-CSRFToken": "([^"]+)"', r.read().decode())
        token = found.group(1) if found else ""
        poll = f"{workshop}/board/live"
        extras = {name: {"If-None-Match": board_etag(base, poll, cookie)} for name in pages if "(304)" in name}
        for name, path in pages.items():
            hello = path == "/bench/hello"
            extra = extras.get(name)
            result = load(wrk, script, base, name, path, "" if hello else cookie, timings, meter, extra)
            result.statements = statements.get(name)
            if not hello:
                bumped = river if path.startswith(f"/alliances/{river}/") else slug
                result.cold_cpu_ms, result.cold_server_ms = sequential(
                    base, path, cookie, meter, bump=(bumped, sqlite_path), extra=extra)
                result.mix_requests_per_second, result.mix_cpu_ms, result.mix_errors = mix(
                    wrk, base, path, write, cookie, token, workdir, meter, extra)
            results.append(result)
            log(f"  {name:32s} {result.requests_per_second:8.1f} req/s  {result.cpu_ms:7.2f} ms CPU"
                + ("" if hello else f"  cold {result.cold_cpu_ms:6.2f} ms CPU  mix {result.mix_requests_per_second} req/s"))
        idle: dict[str, object] | None = None
        if not only or any(o in "idle boards" for o in only):
            idle_page = next((k for k in pages if k.startswith(IDLE_PAGE)), "spec page (consultation)")
            all_pages = {"spec page (consultation)": spec, **pages}
            idle = idle_boards(wrk, script, base, cookie, poll, board_etag(base, poll, cookie),
                               (idle_page, all_pages[idle_page]), meter)
        meter.close()
    ceiling = results[0].requests_per_second or 1.0
    hello_cpu = results[0].cpu_ms or 1.0
    for result in results:
        result.ratio = round(result.requests_per_second / ceiling, 3)
        result.cpu_ratio = round(hello_cpu / result.cpu_ms, 3) if result.cpu_ms else 0.0
        if result.mix_requests_per_second is not None:
            result.mix_ratio = round(result.mix_requests_per_second / ceiling, 3)
    print_table(label, results)
    if idle is not None:
        print_idle(idle)
    return {
        "idle_boards": idle,
        "database": label,
        "ceiling_requests_per_second": ceiling,
        "ceiling_cpu_ms": hello_cpu,
        "pages": [asdict(r) for r in results],
        "missed_targets": missed(label, results) + missed_idle(idle),
    }


def missed_idle(idle: dict[str, object] | None) -> list[str]:
    if idle is None:
        return []
    row = idle[str(idle["page"])]
    assert isinstance(row, dict)
    notes = []
    if row["slowdown_percent"] > IDLE_SLOWDOWN_TARGET:
        notes.append(f"idle boards: {idle['page']} {row['slowdown_percent']}% slower with {idle['clients']} idle "
                     f"board clients (target {IDLE_SLOWDOWN_TARGET}%)")
    clients = idle["idle_clients"]
    assert isinstance(clients, dict)
    bad = {k: v for k, v in clients["statuses"].items() if k != "304"}
    if bad:
        notes.append(f"idle boards: polls answered other than 304: {bad}")
    return notes


def missed(label: str, results: list[Result]) -> list[str]:
    notes = []
    for r in results[1:]:
        if r.ratio < RATIO_TARGET:
            notes.append(f"{r.name}: {r.ratio:.2f} × the ceiling (target {RATIO_TARGET})")
        if r.cpu_ratio < RATIO_TARGET:
            notes.append(f"{r.name}: CPU per request {r.cpu_ms} ms, {r.cpu_ratio:.2f} × hello's (target {RATIO_TARGET})")
        if r.cold_cpu_ms is not None and r.cold_cpu_ms > COLD_CPU_TARGET_MS:
            notes.append(f"{r.name}: cold {r.cold_cpu_ms} ms CPU per request (target {COLD_CPU_TARGET_MS} ms)")
        if r.mix_ratio is not None and r.mix_ratio < MIX_RATIO_TARGET:
            notes.append(f"{r.name}: write mix {r.mix_ratio:.2f} × the ceiling (target {MIX_RATIO_TARGET})")
        if label == "postgresql" and r.server_p95_ms > P95_TARGET_MS:
            notes.append(f"{r.name}: p95 server time {r.server_p95_ms} ms under load, {r.server_p95_ms_alone} ms "
                         f"one request at a time (target {P95_TARGET_MS} ms)")
        if r.errors:
            notes.append(f"{r.name}: {r.errors} errors")
    return notes


def print_table(label: str, results: list[Result]) -> None:
    log(f"\n{label}: {CONNECTIONS} connections, {SECONDS}s per page, gunicorn with {WORKERS} sync workers")
    log("(p50/p95: latency seen by wrk; server: time inside the app under that load; alone: server time "
        "with one connection)")
    log(f"{'page':32s} {'req/s':>8s} {'ratio':>6s} {'p50 ms':>7s} {'p95 ms':>7s} {'server p50':>10s} {'server p95':>10s} "
        f"{'alone p50':>9s} {'alone p95':>9s} {'SQL':>4s} {'errors':>6s}")
    for r in results:
        log(f"{r.name:32s} {r.requests_per_second:8.1f} {r.ratio:6.2f} {r.p50_ms:7.2f} {r.p95_ms:7.2f} "
            f"{r.server_p50_ms:10.2f} {r.server_p95_ms:10.2f} {r.server_p50_ms_alone:9.2f} {r.server_p95_ms_alone:9.2f} "
            f"{str(r.statements or ''):>4s} {r.errors:6d}")
    log("\nCPU per request (gunicorn workers + database backends), the first view after a write (cold), "
        "and 1 write in 10 (mix):")
    log(f"{'page':32s} {'CPU ms':>7s} {'ratio':>6s} {'cold CPU':>8s} {'cold ms':>7s} {'mix req/s':>9s} {'mix ratio':>9s} "
        f"{'mix CPU':>7s}")
    for r in results:
        log(f"{r.name:32s} {r.cpu_ms:7.2f} {r.cpu_ratio:6.2f} {_f(r.cold_cpu_ms):>8s} {_f(r.cold_server_ms):>7s} "
            f"{_f(r.mix_requests_per_second, 1):>9s} {_f(r.mix_ratio):>9s} {_f(r.mix_cpu_ms):>7s}")


def _f(value: float | None, digits: int = 2) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def main() -> None:
    wrk = ensure_wrk()
    RESULTS.mkdir(exist_ok=True)
    runs = []
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        workdir = Path(tmp)
        with fresh_database("", "bench", workdir) as url:
            runs.append(run_one(wrk, "sqlite", url, workdir))
        pg = os.environ.get("COLLAB_BENCH_DATABASE_URL")
        if pg:
            with fresh_database(pg, "collab_bench", workdir) as url:
                runs.append(run_one(wrk, "postgresql", url, workdir))
        else:
            log("\n(PostgreSQL skipped: set COLLAB_BENCH_DATABASE_URL to include it.)")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for run in runs:
        run.update({
            "when": stamp, "machine": platform.node(), "cpus": os.cpu_count(), "python": platform.python_version(),
            "seconds_per_page": SECONDS, "connections": CONNECTIONS, "workers": WORKERS,
            "targets": {"ratio": RATIO_TARGET, "p95_server_ms_postgresql": P95_TARGET_MS,
                        "cold_cpu_ms": COLD_CPU_TARGET_MS, "mix_ratio": MIX_RATIO_TARGET,
                        "idle_slowdown_percent": IDLE_SLOWDOWN_TARGET},
        })
        path = RESULTS / f"{stamp}-{run['database']}.json"
        path.write_text(json.dumps(run, indent=2))
        log(f"\nWrote {path.relative_to(ROOT)}")
        for note in cast(list[str], run["missed_targets"]):
            log(f"  below target ({run['database']}): {note}")


if __name__ == "__main__":
    main()
