"""Security headers on every response of every route (issue 7, "Headers" and Cache-Control).

The route list comes from the URL map, like the permission matrix: a new route is
checked here without anyone having to remember to add it.
"""

from __future__ import annotations

import pytest
from flask import Flask

from collab import create_app
from collab.alliances.models import Role
from tests.agreements.helpers import make_cast, publish_and_sign_all, start
from tests.factories import login_as
from tests.matrix import make_world


@pytest.fixture(autouse=True)
def _keep_the_default_database():
    """create_app makes its app's sessions the process default; put the test app's back."""
    from collab.db import db

    previous = (db.engine, db.session_factory)
    yield
    db.engine, db.session_factory = previous


def _csp_directives(value: str) -> dict[str, str]:
    return {part.strip().split(" ", 1)[0]: part.strip() for part in value.split(";") if part.strip()}


def assert_security_headers(response, where: str, *, static: bool = False) -> None:
    headers = response.headers
    csp = _csp_directives(headers.get("Content-Security-Policy", ""))
    assert csp.get("script-src") == "script-src 'self'", f"{where}: {csp}"  # no inline script, no eval
    assert csp.get("object-src") == "object-src 'none'", where
    assert csp.get("base-uri") == "base-uri 'self'", where
    assert csp.get("frame-ancestors") == "frame-ancestors 'none'", where
    assert csp.get("form-action") == "form-action 'self'", where
    assert csp.get("style-src") == "style-src 'self'", where
    # The one allowance: an empty style attribute (SHA-256 of ""), which styles nothing.
    assert csp.get("style-src-attr") == (
        "style-src-attr 'unsafe-hashes' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    ), where
    assert "unsafe-inline" not in headers["Content-Security-Policy"], where
    assert "unsafe-eval" not in headers["Content-Security-Policy"], where
    assert "camera=()" in headers.get("Permissions-Policy", ""), where
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", where
    assert headers.get("X-Content-Type-Options") == "nosniff", where
    assert headers.get("X-Frame-Options") == "DENY", where
    assert "Strict-Transport-Security" not in headers, f"{where}: HSTS outside production"
    if static:
        assert "no-store" not in headers.get("Cache-Control", ""), where
    else:
        assert headers.get("Cache-Control") == "no-store", f"{where}: {headers.get('Cache-Control')}"


def _every_request(app: Flask, slug: str) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) for every rule, with the alliance's slug and small ids filled in."""
    requests = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name]  # the int converter or a string one
            values[name] = 1 if isinstance(converter.to_python("1"), int) else (slug if name == "slug" else "x")
        if rule.endpoint == "static":
            values["filename"] = "css/collab.css"
        path = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            requests.append((rule.endpoint, method, path))
    return requests


@pytest.mark.parametrize("who", ["anonymous", "commissioner", "observer"])
def test_every_route_sends_the_security_headers(app, client, session, who):
    world = make_world()
    login_as(client, None if who == "anonymous" else world.user(Role(who).value))
    checked = 0
    for endpoint, method, path in _every_request(app, world.slug):
        response = client.open(path, method=method, headers={"HX-Request": "true"} if checked % 2 else {})
        assert response.status_code < 500, f"{method} {path}: {response.status_code}"
        assert_security_headers(response, f"{method} {path} ({endpoint}) as {who}", static=endpoint == "static")
        response.close()
        checked += 1
    assert checked > 50


def test_signed_in_pages_and_exports_are_not_stored(client, session):
    cast = make_cast()
    version = publish_and_sign_all(cast, start(cast))
    login_as(client, cast.commissioner)
    base = f"/alliances/{cast.alliance.slug}"
    for path in ("/account", base, f"{base}/agreement", f"{base}/agreement/versions/{version.number}",
                 f"{base}/agreement/versions/{version.number}/export.md"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path


def test_error_pages_carry_the_headers_too(client, session):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_security_headers(response, "404 page")


def test_hsts_only_in_production(app, tmp_path, monkeypatch):
    monkeypatch.setenv("COLLAB_INSTANCE_DIR", str(tmp_path))
    production = create_app({**app.config, "COLLAB_ENV": "production"})
    with production.test_client() as client:
        response = client.get("/accessibility")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "includeSubDomains" in response.headers["Strict-Transport-Security"]
    with app.test_client() as client:
        assert "Strict-Transport-Security" not in client.get("/accessibility").headers


def test_pages_have_no_inline_script_or_handlers(client, session):
    """What the policy forbids must not be in the pages either (it would silently not run)."""
    import re

    world = make_world()
    login_as(client, world.user(Role.COMMISSIONER.value))
    for path in ("/", "/accessibility", f"/alliances/{world.slug}", f"/alliances/{world.slug}/edit", "/account"):
        html = client.get(path, follow_redirects=True).get_data(as_text=True)
        for script in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in script, f"{path}: inline {script}"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"{path}: an on* handler"
        assert not re.search(r"<[^>]+\sstyle\s*=", html), f"{path}: a style attribute"
