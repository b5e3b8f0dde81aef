"""Brand-new databases for a test run, the browser tests' live server and the benchmark."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import normalise_database_url


def worker_id() -> str:
    """This pytest-xdist worker's name (``gw0``, ``gw1`` …), or ``main`` without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@contextmanager
def fresh_database(server_url: str, prefix: str, sqlite_dir: Path) -> Iterator[str]:
    """A database nobody else uses, removed afterwards.

    With a PostgreSQL ``server_url``: a new database named ``<prefix>_<worker>_<random>`` on
    that server, so that parallel runs, and the pytest-xdist workers of one run, never
    collide or see each other's data. Without one: a SQLite file ``<prefix>_<worker>.db`` in
    ``sqlite_dir`` (each worker's temporary directory is its own, too).
    """
    prefix = f"{prefix}_{worker_id()}"
    if not server_url:
        yield f"sqlite:///{sqlite_dir / (prefix + '.db')}"
        return
    base = make_url(normalise_database_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :n AND pid <> pg_backend_pid()"
                ),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def allow_tampering(session) -> None:  # type: ignore[no-untyped-def]
    """Let this transaction change or delete signature and audit rows, as an attacker with
    database access would (PostgreSQL triggers refuse it otherwise; SQLite has none).

    On PostgreSQL this also turns off foreign-key cascades: call ``end_tampering`` before
    deleting rows whose children should go with them."""
    bind = session.get_bind() if hasattr(session, "get_bind") else session
    if bind.dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))


def end_tampering(session) -> None:  # type: ignore[no-untyped-def]
    """Back to normal (PostgreSQL): triggers and foreign-key cascades work again in this transaction."""
    bind = session.get_bind() if hasattr(session, "get_bind") else session
    if bind.dialect.name == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = origin"))
