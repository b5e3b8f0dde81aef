"""Passwords are hashed at full argon2 cost everywhere but in the test suite.

The test app sets PASSWORD_HASH_PARAMS to cheap parameters (tests/conftest.py), because at
production cost each hash or check takes about 0.15 s. These tests prove that only the
test app does: no configuration Collab loads names other parameters, and an app made from
the production configuration hashes with the library's strong defaults.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters

from collab import create_app
from collab.security import hash_password, needs_rehash, verify_password
from config import load_config
from tests.factories import PASSWORD, TEST_PASSWORD_HASH_PARAMS

STRONG = PasswordHasher()
KEYS = {
    "SECRET_KEY": "Zr8-uQ2vLx5KmN0pTb7YcW3eHs9Jd4Fa6G",
    "SIGNING_KEY": "pW4-kR7nQ2xLm9TzVb3YcH6eJs1Ud8Fa0G",
    "AUDIT_KEY": "Hq2-vN8mX5kPz3RtWb7YcL1eGs4Jd9Ua6F",
}


@pytest.fixture(autouse=True)
def _keep_the_default_database():
    """create_app makes its app's sessions the process default; put the test app's back."""
    from collab.db import db

    previous = (db.engine, db.session_factory)
    yield
    db.engine, db.session_factory = previous


def _strong(password_hash: str) -> bool:
    params = extract_parameters(password_hash)
    return (params.type.name, params.time_cost, params.memory_cost, params.parallelism) == (
        "ID", STRONG.time_cost, STRONG.memory_cost, STRONG.parallelism
    )


def test_the_strong_defaults_are_still_strong():
    """argon2id, at least 3 passes over 64 MiB (RFC 9106's second recommended option)."""
    assert STRONG.time_cost >= 3
    assert STRONG.memory_cost >= 64 * 1024
    assert STRONG.type.name == "ID"


@pytest.mark.parametrize("env", ["production", "development"])
def test_no_configuration_collab_loads_weakens_the_hash(tmp_path, env):
    config = load_config({"COLLAB_ENV": env, "COLLAB_INSTANCE_DIR": str(tmp_path), **KEYS})
    assert "PASSWORD_HASH_PARAMS" not in config


def test_the_production_app_hashes_at_full_cost(app, tmp_path):
    config = load_config({"COLLAB_ENV": "production", "COLLAB_INSTANCE_DIR": str(tmp_path), **KEYS})
    production = create_app({**config, "ENGINE": app.config["ENGINE"], "DATABASE_URL": app.config["DATABASE_URL"]})
    assert "PASSWORD_HASH_PARAMS" not in production.config
    with production.app_context():
        password_hash = hash_password(PASSWORD)
        assert _strong(password_hash)
        assert verify_password(password_hash, PASSWORD)
        assert not needs_rehash(password_hash)
        # A hash made with the test suite's parameters is upgraded at the next sign-in.
        assert needs_rehash(PasswordHasher(**TEST_PASSWORD_HASH_PARAMS).hash(PASSWORD))


def test_outside_any_app_the_hash_is_strong():
    assert _strong(hash_password(PASSWORD))


def test_the_test_app_hashes_cheaply(session):
    """The speed-up is real: the test app's hashes use the cheap parameters."""
    params = extract_parameters(hash_password(PASSWORD))
    assert (params.time_cost, params.memory_cost, params.parallelism) == (
        TEST_PASSWORD_HASH_PARAMS["time_cost"],
        TEST_PASSWORD_HASH_PARAMS["memory_cost"],
        TEST_PASSWORD_HASH_PARAMS["parallelism"],
    )
