"""Configuration read from the environment.

Nothing is read at import time: ``load_config()`` is called by ``create_app``
so that tests and the command line can set the environment first.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any, Mapping

BASE_DIR = Path(__file__).resolve().parent


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete."""


def _instance_dir(env: Mapping[str, str]) -> Path:
    path = Path(env.get("COLLAB_INSTANCE_DIR", BASE_DIR / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _development_secret(instance: Path) -> str:
    """Generate a secret key once and keep it in instance/ so sessions survive restarts."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


# Trust (issue 7): keys for the signature and audit-trail hashes, kept out of the database.
TRUST_KEY_MIN = 32


def _trust_key(env: Mapping[str, str], name: str, production: bool, instance: Path) -> str:
    """SIGNING_KEY or AUDIT_KEY: required and long in production, generated once in development."""
    value = (env.get(name) or "").strip()
    if value:
        if production and len(value) < TRUST_KEY_MIN:
            raise ConfigError(f"{name} must be at least {TRUST_KEY_MIN} characters long.")
        return value
    if production:
        raise ConfigError(
            f"{name} must be set when COLLAB_ENV=production (at least {TRUST_KEY_MIN} random characters, "
            "kept outside the database)."
        )
    key_file = instance / name.lower()
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """postgres:// and postgresql:// URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_config(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the Flask configuration from environment variables."""
    env = os.environ if env is None else env
    production = env.get("COLLAB_ENV", "development") == "production"
    instance = _instance_dir(env)

    secret = env.get("SECRET_KEY")
    if not secret:
        if production:
            raise ConfigError("SECRET_KEY must be set when COLLAB_ENV=production.")
        secret = _development_secret(instance)

    database_url = normalise_database_url(env.get("DATABASE_URL") or f"sqlite:///{instance / 'collab.db'}")

    redis_url = env.get("REDIS_URL") or None

    return {
        "COLLAB_ENV": "production" if production else "development",
        "SECRET_KEY": secret,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Login attempts allowed per window, per account and per address.
        "LOGIN_LIMIT_PER_ACCOUNT": env.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes"),
        "LOGIN_LIMIT_PER_IP": env.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        # The sign-in page promises "2 weeks"; Flask-Login's default is a year.
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": production,
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_USE_TLS": _bool(env.get("MAIL_USE_TLS")),
        "MAIL_FROM": env.get("MAIL_FROM", "Collab <no-reply@collab.example>"),
        # "smtp" when MAIL_SERVER is set, otherwise "console"; tests use "memory".
        "MAIL_BACKEND": env.get("MAIL_BACKEND") or ("smtp" if env.get("MAIL_SERVER") else "console"),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "INVITATION_DAYS": int(env.get("INVITATION_DAYS", "14")),
        "PASSWORD_RESET_HOURS": int(env.get("PASSWORD_RESET_HOURS", "2")),
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # Trust (issue 7): HMAC keys for signatures and the audit trail (see README "Tamper evidence").
        "SIGNING_KEY": _trust_key(env, "SIGNING_KEY", production, instance),
        "AUDIT_KEY": _trust_key(env, "AUDIT_KEY", production, instance),
    }
