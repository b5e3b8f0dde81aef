"""The addresses in every page's header and footer, built once per process (speed, issue 10).

``base.html`` links to the same dozen places on every request: the stylesheets and scripts, the
account pages, and each section of the alliance being looked at. ``url_for`` builds each of
them afresh (about 15 µs apiece, 20 to 30 a page); ``chrome_url`` keeps what it built. An
address depends only on the endpoint, its values and the application's root path (the
``SCRIPT_NAME`` it is served under), so those make the key; the number kept is bounded.
Outside a request it is plain ``url_for``.
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, has_request_context, request, url_for

#: At most this many addresses are kept (the chrome of a few hundred alliances); then none is added.
MAX_KEPT = 4096

_kept: dict[tuple[Any, ...], str] = {}
_lock = threading.Lock()


def chrome_url(endpoint: str, **values: Any) -> str:
    """``url_for(endpoint, **values)`` for a page's chrome, kept once built."""
    if not has_request_context():
        return url_for(endpoint, **values)
    key = (request.script_root, endpoint, *sorted(values.items()))
    url = _kept.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        with _lock:
            if len(_kept) < MAX_KEPT:
                _kept[key] = url
    return url


def init_app(app: Flask) -> None:
    app.jinja_env.globals["chrome_url"] = chrome_url
