"""Production refuses an unsafe configuration and warns about an unwise one; development stays easy."""

from __future__ import annotations

import logging

import pytest

from collab import create_app
from config import ConfigError, load_config


@pytest.fixture(autouse=True)
def _keep_the_default_database():
    """create_app makes its app's sessions the process default; put the test app's back."""
    from collab.db import db

    previous = (db.engine, db.session_factory)
    yield
    db.engine, db.session_factory = previous


STRONG = "Zr8-uQ2vLx5KmN0pTb7YcW3eHs9Jd4Fa6G"
SIGNING = "pW4-kR7nQ2xLm9TzVb3YcH6eJs1Ud8Fa0G"
AUDIT = "Hq2-vN8mX5kPz3RtWb7YcL1eGs4Jd9Ua6F"


def _production(tmp_path, **env: str) -> dict:
    keys = {"SIGNING_KEY": SIGNING, "AUDIT_KEY": AUDIT}
    return load_config({"COLLAB_ENV": "production", "COLLAB_INSTANCE_DIR": str(tmp_path), **keys, **env})


@pytest.mark.parametrize(
    ("secret", "reason"),
    [
        ("short", "only 5 characters long"),
        ("x" * 31, "only 31 characters long"),
        ("test-secret-key-not-for-production", "example or test value"),
        ("browser-test-secret-key-not-for-production", "example or test value"),
        ("please-change-me-before-going-live-ok", "example or test value"),
        ("CHANGEME-CHANGEME-CHANGEME-CHANGEME", "example or test value"),
        ("my-super-secret-key-for-the-collab-site", "example or test value"),
        ("s" * 40, "too few different characters"),
        ("abababababababababababababababababab", "too few different characters"),
    ],
)
def test_production_refuses_a_weak_secret_key_and_says_what_to_do(tmp_path, secret, reason):
    with pytest.raises(ConfigError) as error:
        _production(tmp_path, SECRET_KEY=secret)
    message = str(error.value)
    assert reason in message
    assert "secrets.token_urlsafe" in message  # how to make a good one


def test_production_takes_a_long_random_secret_key(tmp_path):
    import secrets

    assert _production(tmp_path, SECRET_KEY=STRONG)["SECRET_KEY"] == STRONG
    for _ in range(20):
        key = secrets.token_urlsafe(48)
        assert _production(tmp_path, SECRET_KEY=key)["SECRET_KEY"] == key


def test_development_and_tests_keep_working_with_their_keys(tmp_path):
    config = load_config({"COLLAB_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "test-secret-key-not-for-production"})
    assert config["SECRET_KEY"] == "test-secret-key-not-for-production"
    assert load_config({"COLLAB_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "x"})["SECRET_KEY"] == "x"


def _start(app, tmp_path, monkeypatch, caplog, **env: str):
    monkeypatch.setenv("COLLAB_INSTANCE_DIR", str(tmp_path))
    config = _production(tmp_path, SECRET_KEY=STRONG, **env)
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app({**config, "ENGINE": app.config["ENGINE"], "DATABASE_URL": app.config["DATABASE_URL"]})
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def test_production_warns_at_start_about_unwise_settings(app, tmp_path, monkeypatch, caplog):
    warnings = _start(app, tmp_path, monkeypatch, caplog, MAIL_SERVER="smtp.example.org")
    text = "\n".join(warnings)
    assert "REDIS_URL is not set" in text
    assert "MAIL_USE_TLS is off" in text and "smtp.example.org" in text
    assert "BASE_URL is still the default" in text
    assert "SERVICE_OPERATOR or SERVICE_CONTACT_EMAIL is not set" in text  # polish (issue 9)


def test_production_set_up_well_starts_without_warnings(app, tmp_path, monkeypatch, caplog):
    warnings = _start(
        app, tmp_path, monkeypatch, caplog,
        REDIS_URL="redis://127.0.0.1:6379/0", MAIL_SERVER="smtp.example.org", MAIL_USE_TLS="1",
        BASE_URL="https://collab.example.org",
        SERVICE_OPERATOR="Riverside Council", SERVICE_CONTACT_EMAIL="collab@riverside.gov.example",  # polish (issue 9)
    )
    assert not [w for w in warnings if "Production configuration" in w]


def test_development_starts_without_production_warnings(app, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("COLLAB_INSTANCE_DIR", str(tmp_path))
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        create_app({**load_config({"COLLAB_INSTANCE_DIR": str(tmp_path)}), "ENGINE": app.config["ENGINE"]})
    assert not [r for r in caplog.records if "Production configuration" in r.getMessage()]


def test_seed_demo_refuses_to_run_in_production(app, session):
    app.config["COLLAB_ENV"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["COLLAB_ENV"] = "development"
    assert result.exit_code != 0
    assert "does not run when COLLAB_ENV=production" in result.output
    assert "create-user" in result.output
