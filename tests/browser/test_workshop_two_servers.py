"""The live ideas board across two app processes (issue 11): no state kept in one process's memory.

Two gunicorn instances are started as separate OS processes, each on its own free port. They
share only the database (a SQLite file, or a fresh PostgreSQL database when
COLLAB_TEST_DATABASE_URL is set) and Redis when COLLAB_TEST_REDIS_URL is set; the demo data is
written to that database by ``flask seed-demo`` in a third process, so it is really committed.
Two browser contexts, one on each server, open the same workshop's board; an idea added on
server A appears on the page served by server B without a reload, and the other way round.

What is measured and asserted (the board polls every 1.5 s with its ETag, see
templates/workshops/_board.html), all in the browser's own clock, which both pages share:

- ``stored``: when the page that added the idea showed "Your idea has been added" (the server
  had committed it by then);
- ``polls``: when each of the other page's board requests started and ended;
- ``shown``: when the idea appeared on the other page (a MutationObserver).

Asserted: the idea is shown by the *first* poll the other page started after it was stored (so
the other process read it from the shared database at its first chance); that poll started
within one poll interval (1.5 s, plus timer slack) of the idea being stored; and the idea was on
screen within 2 s of that poll starting. So the whole latency is at most 1.5 s + 2 s on a
loaded machine; it is printed, and on an idle machine it is well under 2 s (about one poll
interval plus one request). The strict "within 2 s end to end" figure is for the benchmark, not
for an assertion on a machine shared by many test runs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import sign_in
from tests.databases import fresh_database

ROOT = Path(__file__).resolve().parents[2]
RIVERSIDE = "/alliances/riverside-living-well-alliance"
#: The demo's upcoming workshop (collab/demo/workshops.py), whose board is open for ideas.
WORKSHOP_TITLE = "Crisis support: what should change?"
POLL_MS = 1500
#: setTimeout is not exact, least of all on a busy machine.
TIMER_SLACK_MS = 500
AFTER_POLL_MS = 2000


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(database_url: str, instance: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "REDIS_URL", "COLLAB_ENV"))}
    env.update({
        "DATABASE_URL": database_url,
        # The same instance folder: the same signing and audit keys in both processes.
        "COLLAB_INSTANCE_DIR": str(instance),
        "SECRET_KEY": "two-servers-test-secret-key-not-for-production",
        "MAIL_BACKEND": "memory",
        "PYTHONUNBUFFERED": "1",
    })
    redis = os.environ.get("COLLAB_TEST_REDIS_URL", "")
    if redis:
        env["REDIS_URL"] = redis
    return env


def _flask(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]


def _start(env: dict[str, str], log: Path) -> Server:
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    with log.open("wb") as out:
        process = subprocess.Popen(
            [gunicorn, "--workers", "1", "--threads", "4", "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
             "--timeout", "60", "wsgi:app"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    return Server(url=f"http://127.0.0.1:{port}", process=process, log=log)


def _wait_until_up(server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn stopped:\n{server.log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(server.url + "/sign-in", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    pytest.fail(f"gunicorn did not answer in time:\n{server.log.read_text(errors='replace')[-3000:]}")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=5)


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[tuple[Server, Server]]:
    """Two gunicorn processes on one freshly migrated and seeded database."""
    configured = os.environ.get("COLLAB_TEST_DATABASE_URL", "")
    folder = tmp_path_factory.mktemp("two-servers")
    with fresh_database(configured, "collab_two_servers", folder) as url:
        env = _environment(url, folder / "instance")
        (folder / "instance").mkdir()
        _flask(env, "db-upgrade")
        _flask(env, "seed-demo")
        servers = [_start(env, folder / "a.log"), _start(env, folder / "b.log")]
        try:
            deadline = time.monotonic() + 90
            for server in servers:
                _wait_until_up(server, deadline)
            assert servers[0].process.pid != servers[1].process.pid
            yield servers[0], servers[1]
        finally:
            for server in servers:
                _stop(server)


#: Installed in each board page: when each board poll started and ended, when an idea was
#: shown, and when this page's own idea was confirmed. All times are the browser's Date.now().
_WATCH = """
() => {
  const w = window.__watch = {polls: [], shown: {}, stored: {}};
  document.body.addEventListener("htmx:beforeRequest", (e) => {
    const path = e.detail.requestConfig && e.detail.requestConfig.path || "";
    if (path.includes("/board/live")) { e.detail.xhr.__poll = {start: Date.now(), end: null, status: null}; w.polls.push(e.detail.xhr.__poll); }
  });
  document.body.addEventListener("htmx:afterRequest", (e) => {
    const poll = e.detail.xhr && e.detail.xhr.__poll;
    if (poll) { poll.end = Date.now(); poll.status = e.detail.xhr.status; }
  });
  w.look = (text) => {
    const check = () => {
      const board = document.getElementById("board");
      if (!w.shown[text] && board && board.textContent.includes(text)) w.shown[text] = Date.now();
      const status = document.getElementById("idea-status");
      if (!w.stored[text] && status && status.textContent.includes("Your idea has been added")
          && w.sending === text) w.stored[text] = Date.now();
    };
    new MutationObserver(check).observe(document.body, {childList: true, subtree: true, characterData: true});
    check();
  };
}
"""


def _board(browser: Any, server: Server, email: str) -> Any:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 1400}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    sign_in(page, email)
    page.goto(f"{RIVERSIDE}/workshops")
    page.get_by_role("link", name=WORKSHOP_TITLE).click()
    page.get_by_role("link", name="Open the ideas board").click()
    expect(page.locator("#board")).to_be_visible()
    page.evaluate(_WATCH)
    return page


def _send(sender: Any, receiver: Any, idea: str) -> dict[str, Any]:
    """Add ``idea`` on ``sender``; wait for it on ``receiver``; return the timings (ms)."""
    for page in (sender, receiver):
        page.evaluate("(text) => window.__watch.look(text)", idea)
    sender.evaluate("(text) => { window.__watch.sending = text; }", idea)
    sender.get_by_label("Your idea").fill(idea)
    sender.get_by_role("button", name="Add idea").click()
    expect(sender.locator("#idea-status")).to_contain_text("Your idea has been added")
    stored = sender.evaluate("(text) => window.__watch.stored[text]", idea)
    assert stored, "the sending page did not record when its idea was confirmed"
    # Generous, so that a failure below reports the measured times instead of a timeout.
    expect(receiver.locator("#board").get_by_text(idea)).to_be_visible(timeout=POLL_MS + TIMER_SLACK_MS + AFTER_POLL_MS + 5000)
    seen = receiver.evaluate("(text) => window.__watch.shown[text]", idea)
    polls = receiver.evaluate("() => window.__watch.polls")
    return {"stored": stored, "shown": seen, "polls": polls, "reloaded": receiver.evaluate("() => !window.__watch")}


def _check(timing: dict[str, Any], direction: str) -> int:
    stored, shown, polls = timing["stored"], timing["shown"], timing["polls"]
    assert not timing["reloaded"], "the receiving page was reloaded"
    assert shown is not None and shown >= stored - 50, timing
    after = [p for p in polls if p["start"] >= stored]
    assert after, f"{direction}: no board poll started after the idea was stored: {timing}"
    first = after[0]
    latency = shown - stored
    print(f"\n{direction}: shown {latency} ms after it was stored; the first poll after it started "
          f"{first['start'] - stored} ms later and answered {first['status']} in {(first['end'] or shown) - first['start']} ms")
    # The first poll after the idea was stored brought it (a 200 with the new board, not a 304):
    # the other process read it from the shared database at its first chance.
    assert first["status"] == 200 and first["end"] is not None and shown <= first["end"] + 200, (direction, timing)
    # The poll cycle held: that poll started within one interval of the idea being stored...
    assert first["start"] - stored <= POLL_MS + TIMER_SLACK_MS, (direction, timing)
    # ...and the idea was on screen within 2 s of that poll starting.
    assert shown - first["start"] <= AFTER_POLL_MS, (direction, timing)
    return latency


def test_ideas_reach_a_board_served_by_another_app_process(browser: Any, two_servers: tuple[Server, Server]) -> None:
    server_a, server_b = two_servers
    tag = uuid.uuid4().hex[:5]
    on_a = _board(browser, server_a, "serviceuser@riverside.example")
    on_b = _board(browser, server_b, "facilitator@riverside.example")
    assert on_a.url.startswith(server_a.url) and on_b.url.startswith(server_b.url)
    try:
        a_to_b = _check(_send(on_a, on_b, f"A late bus home after the evening group {tag}"), "server A to server B")
        b_to_a = _check(_send(on_b, on_a, f"Someone to talk to on the phone at night {tag}"), "server B to server A")
        # Neither page was reloaded: both ideas are on both boards, and the pages are still the ones we opened.
        for page in (on_a, on_b):
            expect(page.locator("#board")).to_contain_text(f"A late bus home after the evening group {tag}")
            expect(page.locator("#board")).to_contain_text(f"Someone to talk to on the phone at night {tag}")
            assert page.evaluate("() => Boolean(window.__watch)")
        print(f"latency: A to B {a_to_b} ms, B to A {b_to_a} ms")
    finally:
        on_a.context.close()
        on_b.context.close()
