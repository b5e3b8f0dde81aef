"""Two-step sign-in rules: set up, check codes, recovery codes, turn off.

Plain functions: no request, no commit. The TOTP secret is kept encrypted with a Fernet key
derived from SECRET_KEY (HKDF), so a copy of the database alone does not give the secrets.
A code is accepted at most once: the time step of the last accepted code is stored and any
code for that step or an earlier one is refused. Recovery codes are shown once, stored as
SHA-256 hashes, and each works once.
"""

from __future__ import annotations

import base64
import secrets
from functools import lru_cache

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from markupsafe import Markup
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from collab import audit
from collab.accounts.models import User
from collab.accounts.two_step_models import RecoveryCode, TwoStep
from collab.db import utcnow
from collab.errors import DomainError
from collab.security import hash_token, verify_password

ISSUER = "Collab"
RECOVERY_CODE_COUNT = 10
#: Accept the code before and after the current one too, for clocks that are a little out.
VALID_WINDOW = 1
#: Recovery codes use letters and digits that are hard to confuse (no 0/O, 1/I/L).
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


# Encryption of the secret -----------------------------------------------------------------

@lru_cache(maxsize=4)
def _fernet_for(secret_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"collab two-step secret").derive(
        secret_key.encode("utf-8")
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _fernet() -> Fernet:
    return _fernet_for(current_app.config["SECRET_KEY"])


def _encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def _decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        # SECRET_KEY changed: the stored secret cannot be read, so no code can match.
        return ""


# Reading the state ---------------------------------------------------------------------------

def _row(session: Session, user: User) -> TwoStep | None:
    return session.scalar(select(TwoStep).where(TwoStep.user_id == user.id))


def is_enabled(session: Session, user: User) -> bool:
    """Whether the person has finished setting up two-step sign-in."""
    row = _row(session, user)
    return row is not None and row.confirmed_at is not None


def remaining_recovery_codes(session: Session, user: User) -> int:
    return len(
        session.scalars(
            select(RecoveryCode.id).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        ).all()
    )


# Setting up -------------------------------------------------------------------------------

def start_setup(session: Session, user: User) -> str:
    """The secret to show while setting up: a new one, or the one already waiting to be confirmed."""
    row = _row(session, user)
    if row is not None and row.confirmed_at is not None:
        raise DomainError("Two-step sign-in is already on for your account.")
    if row is not None:
        secret = _decrypt(row.secret_encrypted)
        if secret:
            return secret
        session.delete(row)
        session.flush()
    secret = pyotp.random_base32()
    session.add(TwoStep(user_id=user.id, secret_encrypted=_encrypt(secret)))
    session.flush()
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_code_svg(uri: str) -> Markup:
    """An inline SVG QR code of ``uri``, drawn on the server (works without JavaScript)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", svgclass="collab-qr")
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1))


def format_secret(secret: str) -> str:
    """The secret in groups of four, easier to copy by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def confirm_setup(session: Session, user: User, code: str) -> list[str]:
    """Turn two-step on once the person types a right code from their app; return new recovery codes."""
    row = _row(session, user)
    if row is None:
        raise DomainError("Start setting up two-step sign-in again.")
    if row.confirmed_at is not None:
        raise DomainError("Two-step sign-in is already on for your account.")
    step = _matching_step(_decrypt(row.secret_encrypted), code, after=None)
    if step is None:
        raise DomainError("The code is not right. Type the 6-digit code your app shows now.", "code")
    row.confirmed_at = utcnow()
    row.last_used_step = step
    codes = _replace_recovery_codes(session, user)
    audit.record(session, user, "account.two_step_enabled", user, label=user.display_name)
    return codes


# Checking codes -------------------------------------------------------------------------------

def _normalise_code(code: str) -> str:
    return "".join((code or "").split()).replace("-", "")


def _matching_step(secret: str, code: str, *, after: int | None) -> int | None:
    """The time step ``code`` belongs to (near now), if it is right and later than ``after``."""
    code = _normalise_code(code)
    if not secret or len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(int(utcnow().timestamp()))
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if after is not None and step <= after:
            continue
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def verify_code(session: Session, user: User, code: str) -> bool:
    """True for a right code not used before; remembers its time step so it cannot be replayed."""
    row = _row(session, user)
    if row is None or row.confirmed_at is None:
        return False
    step = _matching_step(_decrypt(row.secret_encrypted), code, after=row.last_used_step)
    if step is None:
        return False
    # Claim the step only if nobody else did in the meantime (two tabs, two servers).
    last = TwoStep.last_used_step
    claimed = session.execute(
        update(TwoStep)
        .where(TwoStep.id == row.id, (last.is_(None)) | (last < step))
        .values(last_used_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(row)
    return True


# Recovery codes ---------------------------------------------------------------------------------

def _hash_recovery_code(code: str) -> str:
    return hash_token(_normalise_code(code).lower())


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(code)) for code in codes)
    session.flush()
    return codes


def regenerate_recovery_codes(session: Session, user: User) -> list[str]:
    """New recovery codes; every old one stops working."""
    if not is_enabled(session, user):
        raise DomainError("Turn on two-step sign-in first.")
    codes = _replace_recovery_codes(session, user)
    audit.record(session, user, "account.recovery_codes_replaced", user, label=user.display_name)
    return codes


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    """True if ``code`` is one of the person's unused recovery codes; it then stops working."""
    if not is_enabled(session, user) or not _normalise_code(code):
        return False
    claimed = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1  # type: ignore[attr-defined]



def pass_second_step(session: Session, user: User, code: str) -> None:
    """The second step of signing in: refuse unless ``code`` is right and not used before."""
    if not verify_code(session, user, code):
        raise DomainError("The code is not right. Type the 6-digit code your app shows now.", "code")


def pass_second_step_with_recovery_code(session: Session, user: User, code: str) -> int:
    """The second step with a recovery code (which then stops working); returns how many are left."""
    if not use_recovery_code(session, user, code):
        raise DomainError("That recovery code is not right, or it has been used already.", "code")
    return remaining_recovery_codes(session, user)

# Turning off ----------------------------------------------------------------------------------------

def check_identity(session: Session, user: User, *, password: str = "", code: str = "") -> None:
    """Raise unless the password or a code (from the app, or a recovery code) is right."""
    if not password and not code:
        raise DomainError("Enter your password or a code from your authenticator app", "password")
    if password and verify_password(user.password_hash, password):
        return
    if code and (verify_code(session, user, code) or use_recovery_code(session, user, code)):
        return
    if password:
        raise DomainError("The password is not right", "password")
    raise DomainError("The code is not right", "code")


def disable(session: Session, user: User) -> None:
    """Turn two-step sign-in off: forget the secret and every recovery code."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.execute(delete(TwoStep).where(TwoStep.user_id == user.id))
    session.flush()
    audit.record(session, user, "account.two_step_disabled", user, label=user.display_name)


def replace_recovery_codes(session: Session, user: User, *, password: str = "", code: str = "") -> list[str]:
    """New recovery codes once the person proves who they are (password or a code)."""
    check_identity(session, user, password=password, code=code)
    return regenerate_recovery_codes(session, user)


def turn_off(session: Session, user: User, *, password: str = "", code: str = "") -> None:
    """Turn two-step sign-in off once the person proves who they are (password or a code)."""
    check_identity(session, user, password=password, code=code)
    disable(session, user)
