"""Configuration read from the environment.

Nothing is read at import time: ``load_config()`` is called by ``create_app``
so that tests and the command line can set the environment first.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

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


def _trust_key(env: Mapping[str, str], name: str, production: bool, instance: Path) -> str:
    """SIGNING_KEY or AUDIT_KEY: required and long in production, generated once in development."""
    value = (env.get(name) or "").strip()
    if value:
        if production:
            check_production_secret(value, name)
        return value
    if production:
        raise ConfigError(
            f"{name} must be set when COLLAB_ENV=production (at least {SECRET_KEY_MIN} random characters, "
            f"kept outside the database). {_MAKE_ONE}"
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


# trust-web: production configuration checks ----------------------------------------------

#: A production SECRET_KEY must be at least this long.
SECRET_KEY_MIN = 32
_DEFAULT_BASE_URL = "http://127.0.0.1:5000"
#: Words found in example, test and placeholder keys: such a key is published somewhere.
_PLACEHOLDER_WORDS = (
    "not-for-production", "change-me", "changeme", "change_me", "replace-me", "replace_me",
    "secret-key", "secret_key", "secretkey", "example", "default", "password", "test-secret",
    "testing", "development", "insecure",
)
_MAKE_ONE = 'Make one with: python3 -c "import secrets; print(secrets.token_urlsafe(48))"'


def check_production_secret(secret: str, name: str = "SECRET_KEY") -> None:
    """Refuse a key (SECRET_KEY, SIGNING_KEY, AUDIT_KEY) that is short, a placeholder, or too repetitive to be random."""
    lowered = secret.lower()
    if len(secret) < SECRET_KEY_MIN:
        problem = f"is only {len(secret)} characters long; it must be at least {SECRET_KEY_MIN}"
    elif any(word in lowered for word in _PLACEHOLDER_WORDS):
        problem = "looks like an example or test value, which other people may know"
    elif len(set(secret)) < 12:
        problem = "repeats too few different characters to be random"
    else:
        return
    raise ConfigError(
        f"{name} {problem}. Set {name} to a long random value that is kept secret "
        f"and is the same on every instance. {_MAKE_ONE}"
    )


def production_warnings(config: Mapping[str, Any]) -> list[str]:
    """What is allowed but unwise in production; logged as warnings at start."""
    warnings = []
    if not config.get("REDIS_URL"):
        warnings.append(
            "REDIS_URL is not set, so rate limits (sign-in attempts, previews) are kept in each "
            "process's memory: they reset on restart and are not shared between instances."
        )
        warnings.append(  # issue 9: the job queue
            "REDIS_URL is not set, so there is no job queue: emails are sent by the web process right "
            "after each change (the page waits for the mail server), and reminders and digests go out "
            "only if 'flask scheduler' runs. Set REDIS_URL and run 'flask worker' and 'flask scheduler'."
        )
    if config.get("MAIL_SERVER") and not config.get("MAIL_USE_TLS"):
        warnings.append(
            f"MAIL_SERVER is {config['MAIL_SERVER']} but MAIL_USE_TLS is off, so invitation and "
            "password-reset links travel unencrypted. Set MAIL_USE_TLS=1."
        )
    if config.get("BASE_URL", "").rstrip("/") == _DEFAULT_BASE_URL:
        warnings.append(
            f"BASE_URL is still the default {_DEFAULT_BASE_URL}: links in emails and PDFs will not "
            "work for anyone else. Set BASE_URL to the site's public https:// address."
        )
    if config.get("SERVICE_OPERATOR") == DEFAULT_SERVICE_OPERATOR or config.get("SERVICE_CONTACT_EMAIL") == DEFAULT_SERVICE_CONTACT_EMAIL:
        warnings.append(
            "SERVICE_OPERATOR or SERVICE_CONTACT_EMAIL is not set: the privacy notice and the accessibility "
            "statement must name the organisation that runs this site and how to contact it."
        )
    return warnings


#: Polish (issue 9): the operator named in the privacy notice until SERVICE_OPERATOR is set.
DEFAULT_SERVICE_OPERATOR = "Collab demonstration service"
DEFAULT_SERVICE_CONTACT_EMAIL = "help@collab.example"


# Trust (issue 7, defect 12b): in development, links in emails follow `make run HOST=… PORT=…`.
DEFAULT_BASE_URL = _DEFAULT_BASE_URL


def _base_url(env: Mapping[str, str], production: bool) -> str:
    """BASE_URL if set; in development, otherwise the address `make run` serves on (HOST, PORT)."""
    configured = (env.get("BASE_URL") or "").strip()
    if configured or production:
        return (configured or DEFAULT_BASE_URL).rstrip("/")
    host = (env.get("HOST") or env.get("FLASK_RUN_HOST") or "127.0.0.1").strip()
    port = (env.get("PORT") or env.get("FLASK_RUN_PORT") or "5000").strip()
    if not port.isdigit() or not 0 < int(port) < 65536:
        port = "5000"
    if host in ("", "0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"  # listening everywhere: this computer's own address works in a link
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    return f"http://{host}:{int(port)}"


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
    elif production:
        check_production_secret(secret)  # trust-web

    database_url = normalise_database_url(env.get("DATABASE_URL") or f"sqlite:///{instance / 'collab.db'}")

    # Redis: shared rate limits, and the job queue (collab/jobs.py) that sends emails, reminders
    # and digests. Without it, jobs run in the web process right after each commit.
    redis_url = env.get("REDIS_URL") or None

    return {
        "COLLAB_ENV": "production" if production else "development",
        "SECRET_KEY": secret,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed sign-ins allowed per window: per (account, address) pair, and per address.
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
        "BASE_URL": _base_url(env, production),
        "INVITATION_DAYS": int(env.get("INVITATION_DAYS", "14")),
        "PASSWORD_RESET_HOURS": int(env.get("PASSWORD_RESET_HOURS", "2")),
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # Value, not price (issue 13): the prefix of every OCDS ocid (register your own with OCP).
        "OCDS_OCID_PREFIX": (env.get("OCDS_OCID_PREFIX") or "ocds-collab").strip(),
        # trust-web: request limits and the Markdown preview's rate limit.
        "PREVIEW_RATE_LIMIT": env.get("PREVIEW_RATE_LIMIT", "60 per minute"),
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "MAX_FORM_MEMORY_SIZE": int(env.get("MAX_FORM_MEMORY_SIZE", str(1024 * 1024))),
        # Sessions and accounts (issue 7): server-side sessions, remember-me, password rules.
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "30")),
        "SESSION_ABSOLUTE_HOURS": int(env.get("SESSION_ABSOLUTE_HOURS", "12")),
        "CHANGE_PASSWORD_LIMIT": env.get("CHANGE_PASSWORD_LIMIT", "5 per 15 minutes"),
        # __Host- cookies are Secure, Path=/ and bound to this host only (no Domain).
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "REMEMBER_COOKIE_NAME": "__Host-remember" if production else "remember_token",
        "SESSION_COOKIE_PATH": "/",
        "REMEMBER_COOKIE_PATH": "/",
        # Two-step sign-in (issue 7): wrong codes allowed per account, and how long the
        # code page waits after a right password before starting again.
        "TWO_STEP_LIMIT": env.get("TWO_STEP_LIMIT", "5 per 15 minutes"),
        "TWO_STEP_PENDING_SECONDS": int(env.get("TWO_STEP_PENDING_SECONDS", "300")),
        # Trust (issue 7): HMAC keys for signatures and the audit trail (see README "Tamper evidence").
        "SIGNING_KEY": _trust_key(env, "SIGNING_KEY", production, instance),
        "AUDIT_KEY": _trust_key(env, "AUDIT_KEY", production, instance),
        # Polish (issue 9): who runs this Collab, named in the privacy notice (the data controller)
        # and the accessibility statement, and where people write to them.
        "SERVICE_OPERATOR": (env.get("SERVICE_OPERATOR") or "").strip() or DEFAULT_SERVICE_OPERATOR,
        "SERVICE_CONTACT_EMAIL": (env.get("SERVICE_CONTACT_EMAIL") or "").strip() or DEFAULT_SERVICE_CONTACT_EMAIL,
    }
