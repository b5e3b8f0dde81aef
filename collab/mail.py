"""Email: built during the request, sent only once the transaction has committed."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy.orm import Session

from collab.db import after_commit


def _build(config: dict[str, Any], to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    # Headers cannot hold line breaks; names that reach a subject are one line, but be sure.
    message["Subject"] = " ".join(subject.split())
    message.set_content(body)
    return message


def deliver(app: Any, message: EmailMessage) -> None:
    """Hand one message to the configured backend; failures are logged, not raised."""
    backend = app.config["MAIL_BACKEND"]
    try:
        if backend == "memory":
            app.extensions.setdefault("mail_outbox", []).append(message)
        elif backend == "smtp":
            with smtplib.SMTP(app.config["MAIL_SERVER"], app.config["MAIL_PORT"], timeout=10) as smtp:
                if app.config["MAIL_USE_TLS"]:
                    smtp.starttls()
                if app.config["MAIL_USERNAME"]:
                    smtp.login(app.config["MAIL_USERNAME"], app.config["MAIL_PASSWORD"] or "")
                smtp.send_message(message)
        else:
            print(f"----- email -----\n{message}\n----- end of email -----", file=sys.stdout, flush=True)
    except Exception:  # an email that cannot be sent must not undo a change that is saved
        app.logger.exception("Could not send email to %s", message["To"])


def send_after_commit(session: Session, to: str, subject: str, body: str) -> None:
    """Queue an email that goes out only if ``session`` commits."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    message = _build(app.config, to, subject, body)
    after_commit(session, lambda: deliver(app, message))


def external_url(path: str) -> str:
    """An absolute link for emails, built from BASE_URL."""
    return current_app.config["BASE_URL"] + path
