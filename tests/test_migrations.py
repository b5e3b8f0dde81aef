"""Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

import collab.models  # noqa: F401  (every table on the metadata)
from collab.db import Base, make_engine
from collab.migrate import alembic_config, upgrade
from tests.conftest import TEST_DATABASE_URL
from tests.databases import fresh_database


@pytest.fixture
def empty_engine(tmp_path: Path) -> Iterator[Engine]:
    """A brand-new, empty database of the kind the suite is running on."""
    with fresh_database(TEST_DATABASE_URL, "collab_migrate", tmp_path) as url:
        engine = make_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def _differences(engine: Engine) -> list:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        return compare_metadata(context, Base.metadata)


def _tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_head_on_an_empty_database_matches_the_models(empty_engine):
    assert _tables(empty_engine) == set()
    upgrade(empty_engine)
    assert _tables(empty_engine) == set(Base.metadata.tables)
    assert _differences(empty_engine) == []


def test_the_database_is_at_the_single_head(empty_engine):
    upgrade(empty_engine)
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"migrations have branched: {heads}"
    with empty_engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == heads[0]


def test_downgrade_to_base_and_up_again(empty_engine):
    upgrade(empty_engine)
    with empty_engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
    assert _tables(empty_engine) == set()
    upgrade(empty_engine)
    assert _differences(empty_engine) == []


def test_upgrading_twice_changes_nothing(empty_engine):
    upgrade(empty_engine)
    upgrade(empty_engine)
    assert _differences(empty_engine) == []


def test_the_test_database_also_matches(engine):
    """The suite's own database (migrated once per run) has no drift either."""
    assert _differences(engine) == []
