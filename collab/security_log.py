"""Security events, one structured line each, for whoever watches the service.

Every event is a single JSON object on the ``collab.security`` logger: what happened, when,
from which address, by which account, and any details given. Lines never carry passwords,
codes, tokens or cookies: only the facts needed to notice an attack or answer "who did this".

Events in use: ``sign-in`` / ``sign-in-failed`` / ``sign-in-limited`` / ``sign-out``,
``session-expired``, ``remember-token-replayed``, ``csrf-failed``, ``forbidden``,
``role-changed``, ``access-needs-changed``, and the ones an
area adds (document them where they are logged).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from flask import has_request_context, request

logger = logging.getLogger("collab.security")


def log_event(event: str, *, user_id: int | None = None, **details: Any) -> dict[str, Any]:
    """Write one security event line and return what was written (for tests)."""
    record: dict[str, Any] = {
        "event": event,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if has_request_context():
        from collab.extensions import client_ip

        record["ip"] = client_ip()
        record["method"] = request.method
        record["path"] = request.path
        if user_id is None:
            from flask_login import current_user

            if current_user and current_user.is_authenticated:
                user_id = current_user.id
    if user_id is not None:
        record["user_id"] = user_id
    record.update({key: value for key, value in details.items() if value is not None})
    logger.warning(json.dumps(record, default=str, sort_keys=True))
    return record
