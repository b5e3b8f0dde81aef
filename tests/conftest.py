"""Test set-up shared by every area.

The suite runs on SQLite by default and on PostgreSQL when COLLAB_TEST_DATABASE_URL
is set. Either way it makes its own database, migrates it with Alembic once, runs
each test inside a transaction that is rolled back, and drops the database at the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine

from collab import create_app
from collab.db import db, make_engine
from collab.extensions import limiter
from collab.migrate import upgrade
from tests.databases import fresh_database
from tests.factories import TEST_PASSWORD_HASH_PARAMS

TEST_DATABASE_URL = os.environ.get("COLLAB_TEST_DATABASE_URL", "")


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
def _isolated(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that touches the app runs inside a transaction that is rolled back."""
    if "app" not in request.fixturenames or request.node.get_closest_marker("browser") or request.node.get_closest_marker("committed"):
        yield
        return
    app: Flask = request.getfixturevalue("app")
    eng: Engine = request.getfixturevalue("engine")
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
