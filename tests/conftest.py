"""Test set-up shared by every area.

The suite runs on SQLite by default and on PostgreSQL when COLLAB_TEST_DATABASE_URL
is set. Either way it makes its own database, migrates it with Alembic once, runs
each test inside a transaction that is rolled back, and drops the database at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from collab import create_app
from collab.db import db, discard_after_commit, make_engine
from collab.extensions import limiter
from collab.migrate import upgrade
from tests.databases import fresh_database
from tests.factories import TEST_PASSWORD_HASH_PARAMS
from tests.matrix import WORLD_BUILDERS, World, build_shared_world

TEST_DATABASE_URL = os.environ.get("COLLAB_TEST_DATABASE_URL", "")


BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make test`` runs ``-n auto --dist loadgroup``) the browser tests
    all run on one worker, in their usual order: one live server, one seeded database and one
    Chromium, while the other workers share out the rest (each worker has its own database:
    tests/databases.py). The journeys build on each other's data, as in a serial run.
    """
    for item in items:
        if BROWSER_TESTS in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadgroup`` that also works with pytest 9.2.

    pytest-xdist 3.8 groups tests by appending ``@group`` to ``item._nodeid``, which pytest
    9.2 no longer reads (node ids live in ``_id``), so the ``xdist_group`` marker above is
    silently ignored. The scheduler (on the controller, which sees node ids only) groups the
    browser tests by their path instead; other tests are shared out one by one, largest
    group first, as loadgroup does.
    """
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    browser = BROWSER_TESTS.relative_to(config.rootpath).as_posix() + "/"

    class BrowserTogether(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith(browser) else super()._split_scope(nodeid)

    return BrowserTogether(config, log)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A brand-new database for this run: a PostgreSQL database or a SQLite file."""
    with fresh_database(TEST_DATABASE_URL, "collab_test", tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    """The test database, migrated to the newest revision once per run."""
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _test_config(engine: Engine, tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "ENGINE": engine,
        "DATABASE_URL": str(engine.url),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "MAIL_BACKEND": "memory",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "BASE_URL": "http://localhost",
        "SERVER_NAME": "localhost",
        # Trust (issue 7): fixed keys for the signature and audit hashes.
        "SIGNING_KEY": "test-signing-key-0123456789abcdef0123456789",
        "AUDIT_KEY": "test-audit-key-0123456789abcdef0123456789ab",
        # Cheap argon2 (the strong defaults made password checks most of the run time).
        "PASSWORD_HASH_PARAMS": TEST_PASSWORD_HASH_PARAMS,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def app(engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Flask:
    os.environ.setdefault("COLLAB_INSTANCE_DIR", str(tmp_path_factory.mktemp("instance")))
    return create_app(_test_config(engine, tmp_path_factory.mktemp("cfg")))


@pytest.fixture(autouse=True)
def _keep_the_rate_limit_storage() -> Iterator[None]:
    """Put the test app's rate-limit storage back after a test that made an app of its own.

    There is one process-wide ``limiter``, and each ``create_app`` points it at that app's
    storage: Redis for a production configuration with REDIS_URL. Run in file order, the next
    test happened to make a development app (memory again); under pytest-xdist the next
    test on that worker may be a rate-limit test, whose fake clock cannot move Redis's.
    """
    saved = {name: getattr(limiter, name) for name in ("_storage", "_limiter") if hasattr(limiter, name)}
    yield
    for name, value in saved.items():
        setattr(limiter, name, value)


@dataclass
class SharedWorld:
    """A matrix module's world, built once on a connection whose transaction its tests share."""

    connection: Connection
    world: World


@pytest.fixture(scope="module")
def shared_world_template(request: pytest.FixtureRequest, app: Flask, engine: Engine) -> Iterator[SharedWorld]:
    """Build the module's ``@shared_world`` once, in a transaction rolled back after its last test."""
    connection = engine.connect()
    transaction = connection.begin()
    db.bind_to(connection, app=app, join_transaction_mode="create_savepoint")
    try:
        with app.app_context():
            world = build_shared_world(request.module.__name__, db.session)
            # Emails and notifications queued while building never go out (as when the
            # world was rolled back after each test); commit releases the builder's
            # SAVEPOINT only, and its objects keep their loaded state when the session closes.
            discard_after_commit(db.session)
            db.session.commit()
        yield SharedWorld(connection, world)
    finally:
        db.bind_to(engine, app=app, join_transaction_mode="conditional_savepoint")
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@pytest.fixture(autouse=True)
def _isolated(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that touches the app runs inside a transaction that is rolled back.

    In a module with a ``@shared_world`` (tests/matrix.py) that transaction is a SAVEPOINT
    on the module's shared connection, so the world built once is there for every test.
    """
    if "app" not in request.fixturenames or request.node.get_closest_marker("browser") or request.node.get_closest_marker("committed"):
        yield
        return
    app: Flask = request.getfixturevalue("app")
    eng: Engine = request.getfixturevalue("engine")
    shared: SharedWorld | None = None
    if request.module is not None and request.module.__name__ in WORLD_BUILDERS:
        shared = request.getfixturevalue("shared_world_template")
    if shared:
        yield from _in_a_savepoint(app, eng, shared.connection)
        return
    connection = eng.connect()
    transaction = connection.begin()
    db.bind_to(connection, app=app, join_transaction_mode="create_savepoint")
    app.extensions["mail_outbox"] = []
    limiter.reset()
    try:
        yield
    finally:
        db.bind_to(eng, app=app, join_transaction_mode="conditional_savepoint")
        if transaction.is_active:
            transaction.rollback()
        connection.close()


def _in_a_savepoint(app: Flask, eng: Engine, connection: Connection) -> Iterator[None]:
    """One test on a shared connection: everything it does is undone by rolling back to a savepoint."""
    connection.exec_driver_sql(f"SAVEPOINT {_CASE}")
    db.bind_to(connection, app=app, join_transaction_mode="create_savepoint")
    app.extensions["mail_outbox"] = []
    limiter.reset()
    try:
        yield
    finally:
        db.bind_to(eng, app=app, join_transaction_mode="conditional_savepoint")
        # A request that failed half-way can leave a session's SAVEPOINT open on the connection
        # (a plain per-test transaction hides that: rolling it back forgets them all). Forget
        # them here, or the next test's sessions would nest under them.
        while (nested := connection.get_nested_transaction()) is not None:
            try:
                nested.rollback()
            except DBAPIError:  # already gone in the database; the rollback below undoes it anyway
                pass
        connection.exec_driver_sql(f"ROLLBACK TO SAVEPOINT {_CASE}")
        connection.exec_driver_sql(f"RELEASE SAVEPOINT {_CASE}")  # the next test's is not nested in this one


#: The savepoint each test of a ``@shared_world`` module runs in.
_CASE = "collab_test_case"


@pytest.fixture
def session(app: Flask) -> Iterator[Any]:
    """The database session of an application context, for service tests and factories.

    Requests made with ``client`` get sessions of their own on the same connection:
    call ``session.expire_all()`` before checking what a request changed.
    """
    with app.app_context():
        yield db.session


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def outbox(app: Flask) -> list:
    """Emails 'sent' during the test."""
    return app.extensions.setdefault("mail_outbox", [])


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    """Turn CSRF protection on for one test (it is off so other tests can post simply)."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture(autouse=True)
def _empty_page_cache(request: pytest.FixtureRequest) -> Iterator[None]:
    """Speed (issue 10): a page kept by one test, whose data is rolled back, is never served to the next."""
    if "app" in request.fixturenames:
        cache = request.getfixturevalue("app").extensions.get("page_cache")
        if cache is not None:
            cache.store.clear()
    yield
