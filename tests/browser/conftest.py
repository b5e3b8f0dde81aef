"""Browser tests: a live Collab server, Chromium through Playwright, and axe.

The live server runs in a thread of the test process, on its OWN database (a SQLite
file, or a fresh PostgreSQL database when COLLAB_TEST_DATABASE_URL is set). That
database is separate from the rolled-back one of tests/conftest.py because the
browser needs data that is really committed. It is migrated, seeded with the demo
data once per run, and dropped at the end.

Emails go to an in-memory outbox: ``live_server.outbox`` (the list kept in
``app.extensions["mail_outbox"]``), so a test can follow a link from an email.

Without Chromium at /usr/bin/chromium (or COLLAB_CHROMIUM) the browser tests skip
with a message; COLLAB_REQUIRE_BROWSER=1 turns that into a failure (CI sets it).

Fixtures: ``live_server``, ``browser``, ``context``, ``page``, ``new_context``.
Helpers in tests/browser/helpers.py: ``sign_in(page, email)``, ``sign_out(page)``,
``check_a11y(page, name)``, ``screenshot(page, name)``, ``latest_email(server, to)``,
``link_in(message, server)``.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from collab import create_app
from collab.db import db, make_engine
from collab.migrate import upgrade
from tests.browser.helpers import LiveServer
from tests.databases import fresh_database
from tests.factories import TEST_PASSWORD_HASH_PARAMS

CHROMIUM = os.environ.get("COLLAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BROWSER_DIR = Path(__file__).resolve().parent
#: How long Playwright waits for a page or an element, in milliseconds.
TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test under tests/browser/ carries the ``browser`` marker."""
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _require_browser() -> bool:
    return os.environ.get("COLLAB_REQUIRE_BROWSER", "") not in {"", "0", "false", "no"}


def _unavailable(reason: str) -> None:
    message = f"Browser tests need Chromium: {reason}. Install it with 'apt-get install -y chromium'."
    if _require_browser():
        pytest.fail(f"{message} (COLLAB_REQUIRE_BROWSER=1 makes this a failure)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium executable, or a skip (a failure with COLLAB_REQUIRE_BROWSER=1)."""
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} was not found")
    try:
        import axe_playwright_python  # noqa: F401
        import playwright.sync_api  # noqa: F401
    except ImportError as error:  # pragma: no cover - the dev requirements include both
        _unavailable(f"a Python package is missing ({error.name})")
    return CHROMIUM


# --- The live server's own database -------------------------------------------------


@pytest.fixture(scope="session")
def browser_database_url(tmp_path_factory: pytest.TempPathFactory, chromium_path: str) -> Iterator[str]:
    """A brand-new database for the live server: PostgreSQL if configured, else SQLite."""
    configured = os.environ.get("COLLAB_TEST_DATABASE_URL", "")
    with fresh_database(configured, "collab_browser", tmp_path_factory.mktemp("browser-db")) as url:
        yield url


@pytest.fixture(scope="session")
def live_server(
    browser_database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """Collab served on 127.0.0.1 (a free port) from a thread, on its own seeded database."""
    from werkzeug.serving import make_server

    from collab.demo import made_up_data, seed_demo

    engine = make_engine(browser_database_url)
    upgrade(engine)
    os.environ.setdefault("COLLAB_INSTANCE_DIR", str(tmp_path_factory.mktemp("instance")))
    # create_app makes this app's session factory the process-wide default; the
    # rolled-back tests rely on the default being theirs, so it is put back after.
    previous = (db.engine, db.session_factory)
    app = create_app(
        {
            "ENGINE": engine,
            "DATABASE_URL": browser_database_url,
            "SECRET_KEY": "browser-test-secret-key-not-for-production",
            "MAIL_BACKEND": "memory",
            # CSRF stays on: the browser sends real forms and htmx requests.
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            # Cheap argon2, as in the other tests (production's cost is checked in test_password_cost.py).
            "PASSWORD_HASH_PARAMS": TEST_PASSWORD_HASH_PARAMS,
        }
    )
    if previous[1] is not None:
        db.engine, db.session_factory = previous
    app.extensions["mail_outbox"] = []

    server = make_server("127.0.0.1", 0, _buffered(app), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = url
    with made_up_data(app) as session:
        seed_demo(session)

    thread = threading.Thread(target=server.serve_forever, name="collab-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=url, app=app, engine=engine)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        engine.dispose()


def _buffered(app: Any) -> Any:
    """Read each response fully before sending it.

    Werkzeug's development server leaves a static file open when the browser drops
    the connection mid-response (a page left while its stylesheet loads), and with
    filterwarnings=error that ResourceWarning would fail an unrelated test.
    """

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


# --- Playwright -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """Headless Chromium, shared by the whole run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()


#: Logs each violation with where it came from (Playwright runs this outside the policy).
_REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  var target = event.target && event.target.outerHTML ? event.target.outerHTML.slice(0, 200) : "";
  console.error("Content Security Policy violation: " + event.violatedDirective + " at " +
                event.sourceFile + ":" + event.lineNumber + " " + target);
});
"""


@pytest.fixture
def new_context(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Make fresh browser contexts (separate cookies: another person, or JavaScript off).

    ``new_context(java_script_enabled=False)`` gives a context without JavaScript.
    Every context made here is closed after the test.
    """
    made: list[Any] = []
    # trust-web: anything the Content-Security-Policy blocks fails the test.
    violations: list[str] = []

    def watch(page: Any) -> None:
        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
                violations.append(f"{page.url}: {message.text}")

        page.on("console", on_console)

    def factory(**options: Any) -> Any:
        options.setdefault("base_url", live_server.url)
        options.setdefault("viewport", {"width": 1280, "height": 900})
        options.setdefault("locale", "en-GB")
        ctx = browser.new_context(**options)
        ctx.set_default_timeout(TIMEOUT_MS)
        ctx.on("page", watch)
        # Say which element or file broke the policy, not only that something did.
        ctx.add_init_script(_REPORT_VIOLATIONS)
        made.append(ctx)
        return ctx

    yield factory
    for ctx in made:
        ctx.close()
    if violations:
        pytest.fail("The browser reported Content-Security-Policy violations:\n" + "\n".join(violations), pytrace=False)


@pytest.fixture
def context(new_context: Callable[..., Any]) -> Any:
    return new_context()


@pytest.fixture
def page(context: Any) -> Any:
    """A page in a fresh context, with relative URLs resolved against the live server."""
    return context.new_page()
