"""Property: no text a person can type into any form makes the app fail (no 5xx).

The forms are found by crawling the app as a commissioner, so forms added by any
area are covered without listing them here. Each example runs inside a savepoint
that is rolled back, so examples do not depend on one another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urljoin, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import IntegerConverter

from collab.alliances.models import Invitation, Role
from collab.db import utcnow
from collab.security import new_token
from tests.factories import login_as
from tests.matrix import make_world

#: Posting these would only sign the test out; they take no text.
SKIP_ACTIONS = {"/sign-out", "/account/sign-out-everywhere"}
MAX_PAGES = 120


@dataclass(frozen=True)
class Form:
    action: str
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.action} {list(self.fields)}"


class _PageParser(HTMLParser):
    """Collects same-site links and POST forms with the names of their fields."""

    def __init__(self, base: str) -> None:
        super().__init__()
        self.base = base
        self.links: set[str] = set()
        self.forms: list[Form] = []
        self._form: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/") and not a["href"].startswith("//"):
            self.links.add(a["href"].split("#", 1)[0])
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = (urljoin(self.base, a.get("action") or self.base), [])
        elif (tag in ("input", "textarea", "select") and self._form is not None
              and a.get("name") and a.get("name") != "csrf_token" and a.get("type") not in ("submit",)):
            self._form[1].append(a["name"])
        if "data-hx-post" in a and tag != "form":
            self.forms.append(Form(a["data-hx-post"], (a.get("name") or "markdown",)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            action, fields = self._form
            self.forms.append(Form(action, tuple(dict.fromkeys(fields))))
            self._form = None


def crawl(client, start: list[str]) -> list[Form]:
    """Every POST form on every page reachable from ``start`` (GET only, same site)."""
    seen: set[str] = set()
    queue = list(start)
    forms: dict[Form, None] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or path.startswith("/static") or path.endswith((".ics", ".pdf", ".csv", ".json", ".zip")):
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} gave {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        parser = _PageParser(url)
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            if urlsplit(form.action).path not in SKIP_ACTIONS:
                forms[form] = None
        queue.extend(sorted(parser.links - seen))
    return list(forms)


# Text people might send: ordinary, hostile, control characters, lone surrogates, very long.
_any_char = st.characters(codec=None, exclude_categories=())
values = st.one_of(
    st.text(_any_char, max_size=60),
    st.sampled_from(["", " ", "\x00", "\ud800", "0", "-1", "99999999999999999999", "1e309", "NaN",
                     "provider", "commissioner", "charity", "micro", "public", "'; DROP TABLE user; --",
                     "<script>alert(1)</script>", "{{ 7*7 }}", "../../etc/passwd", "%00", "\u202e", "ﬀ" * 50]),
    st.builds(lambda c, n: c * n, st.text(_any_char, min_size=1, max_size=3), st.integers(300, 40_000)),
)


def _encode(data: dict[str, str]) -> bytes:
    """Form-encode without refusing lone surrogates: they reach the server as bytes that are not UTF-8."""
    return "&".join(
        f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in data.items()
    ).encode("ascii")


@dataclass(frozen=True)
class Target:
    commissioner: object
    forms: list[Form]
    connection: object
    slug: str
    organisation_id: int


@pytest.fixture
def fuzz_target(app, session, client):
    world = make_world()
    organisation_id = world.memberships[Role.PROVIDER.value].organisation_id
    commissioner = world.user(Role.COMMISSIONER.value)
    # Trust (issue 7): only an organisation's representatives edit it, so the commissioner represents it too.
    world.memberships[Role.COMMISSIONER.value].organisation_id = organisation_id
    token, token_hash = new_token()
    session.add(Invitation(
        alliance=world.alliance, email="fuzz@example.org", role=Role.OBSERVER, token_hash=token_hash,
        invited_by_id=commissioner.id, expires_at=utcnow() + timedelta(days=1),
    ))
    session.flush()
    login_as(client, commissioner)
    start = ["/alliances", f"/alliances/{world.slug}", f"/alliances/{world.public_alliance.slug}", "/account",
             "/organisations", f"/invitations/{token}",
             f"/organisations/{organisation_id}", f"/organisations/{organisation_id}/edit"]
    forms = crawl(client, start)
    # Pages people see before signing in.
    login_as(client, None)
    forms += [f for f in crawl(client, ["/sign-in", "/password/forgotten", f"/invitations/{token}"]) if f not in forms]
    connection = app.extensions["collab_db_session_factory"].kw["bind"]
    return Target(commissioner, forms, connection, world.slug, organisation_id)


def test_crawler_finds_the_foundation_forms(fuzz_target):
    forms = fuzz_target.forms
    actions = {urlsplit(f.action).path for f in forms}
    for expected in ("/account", "/account/password", "/alliances/new", "/organisations/new", "/preview",
                     "/password/forgotten", "/sign-in"):
        assert expected in actions, f"{expected} not found among {sorted(actions)}"
    assert any(a.endswith("/invitations") for a in actions)
    assert any(a.endswith("/role") for a in actions)
    assert any(a.startswith("/organisations/") and a.endswith("/edit") for a in actions)
    assert any(a.startswith("/invitations/") for a in actions)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(data=st.data())
def test_no_form_input_causes_a_server_error(client, fuzz_target, data):
    commissioner, forms, connection = fuzz_target.commissioner, fuzz_target.forms, fuzz_target.connection
    form = data.draw(st.sampled_from(forms), label="form")
    payload = {name: data.draw(values, label=name) for name in form.fields}
    if data.draw(st.booleans(), label="extra field"):
        payload[data.draw(st.text(max_size=20), label="extra name")] = data.draw(values, label="extra value")
    signed_in = data.draw(st.sampled_from([True, True, True, False]), label="signed in")
    htmx = data.draw(st.booleans(), label="htmx")

    savepoint = connection.begin_nested()
    try:
        login_as(client, commissioner if signed_in else None)
        response = client.post(
            form.action,
            data=_encode(payload),
            content_type="application/x-www-form-urlencoded",
            headers={"HX-Request": "true"} if htmx else {},
        )
        assert response.status_code < 500, f"POST {form} with {payload!r} gave {response.status_code}"
    finally:
        if savepoint.is_active:
            savepoint.rollback()


# Addresses ---------------------------------------------------------------------------------------

_QUERY_KEYS = st.sampled_from(["page", "next", "alliance", "field", "q", "version", "tab", "format"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(data=st.data())
def test_no_address_causes_a_server_error(app, client, fuzz_target, data):
    """Every GET page, with arbitrary values in its address and query string."""
    commissioner = fuzz_target.commissioner
    rules = sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )
    rule = data.draw(st.sampled_from(rules), label="rule")
    arguments: dict[str, object] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            arguments[name] = data.draw(st.one_of(
                st.integers(0, 10**20), st.sampled_from([2**31 - 1, 2**31, 2**63, 10**20])
            ), label=name)
        else:
            segment = st.text(st.characters(codec="utf-8", exclude_characters="/"), min_size=1, max_size=40)
            arguments[name] = data.draw(st.one_of(segment, st.sampled_from(["\x00", "..", "%", "alliance-1"])), label=name)
    query = data.draw(st.dictionaries(st.one_of(_QUERY_KEYS, st.text(max_size=8)), values, max_size=3), label="query")
    path = app.url_map.bind("localhost").build(rule.endpoint, arguments, force_external=False)
    login_as(client, commissioner if data.draw(st.booleans(), label="signed in") else None)
    query_string = "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in query.items())
    response = client.get(f"{path}?{query_string}" if query_string else path)
    assert response.status_code < 500, f"GET {path}?{query_string} gave {response.status_code}"


# Well-formed submissions with unusual text ---------------------------------------------------------

_line = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=220)
_lines = st.lists(_line, max_size=14).map("\n".join)


def _valid_shaped(world_slug: str, organisation_id: int) -> st.SearchStrategy[tuple[str, dict[str, str]]]:
    """A form with every choice valid and every text field unusual: the rules behind the form run."""
    return st.one_of(
        st.tuples(st.just("/alliances/new"), st.fixed_dictionaries({
            "name": _line, "purpose": _lines, "outcomes": _lines, "visibility": st.sampled_from(["public", "private"]),
        })),
        st.tuples(st.just(f"/alliances/{world_slug}/edit"), st.fixed_dictionaries({
            "name": _line, "purpose": _lines, "outcomes": _lines, "visibility": st.sampled_from(["public", "private"]),
        })),
        st.tuples(st.just("/organisations/new"), st.fixed_dictionaries({
            "name": _line, "org_type": st.sampled_from(["charity", "community_group", "nhs_body", "other"]),
            "size_band": st.sampled_from(["micro", "small", "medium", "large"]), "locality": _line,
            "postcode_district": st.one_of(_line, st.just("RV2")), "charity_number": st.one_of(_line, st.just("")),
            "company_number": st.one_of(_line, st.just("AB123456")),
        })),
        st.tuples(st.just(f"/organisations/{organisation_id}/edit"), st.fixed_dictionaries({
            "name": _line, "org_type": st.just("charity"), "size_band": st.just("small"), "locality": _line,
        })),
        st.tuples(st.just(f"/organisations/{organisation_id}/corrections/new"), st.fixed_dictionaries({
            "name": _line, "org_type": st.just("charity"), "size_band": st.just("small"), "locality": _line,
            "reason": _lines,
        })),
        st.tuples(st.just(f"/alliances/{world_slug}/invitations"), st.fixed_dictionaries({
            "email": st.one_of(st.emails().map(lambda e: e[:254]), _line),
            "role": st.sampled_from(["commissioner", "provider", "service_user", "facilitator", "observer"]),
            "organisation_id": st.sampled_from(["", str(organisation_id), "0", "999999999999"]),
        })),
        st.tuples(st.just("/account"), st.fixed_dictionaries({
            "display_name": _line, "pronouns": _line, "access_needs": _lines,
        })),
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(data=st.data())
def test_well_formed_submissions_are_saved_or_explained(client, fuzz_target, data):
    """Valid choices with unusual text reach the services: the answer is a save (303) or a message (422)."""
    commissioner, connection = fuzz_target.commissioner, fuzz_target.connection
    action, payload = data.draw(_valid_shaped(fuzz_target.slug, fuzz_target.organisation_id), label="form")
    savepoint = connection.begin_nested()
    try:
        login_as(client, commissioner)
        response = client.post(action, data=payload)
        assert response.status_code in (303, 422), f"POST {action} with {payload!r} gave {response.status_code}"
        if response.status_code == 422:
            assert "There is a problem" in response.get_data(as_text=True)
    finally:
        if savepoint.is_active:
            savepoint.rollback()


@pytest.mark.parametrize("number", [2**31, 2**63, 10**20])
def test_ids_too_big_for_the_database_are_not_found(app, client, session, number):
    """Every route with a number in its address, GET and POST, with a number no id column can hold."""
    world = make_world()
    login_as(client, world.user(Role.COMMISSIONER.value))
    checked = 0
    for rule in app.url_map.iter_rules():
        ints = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        if not ints:
            continue
        arguments = {n: (number if n in ints else world.slug) for n in rule.arguments}
        path = app.url_map.bind("localhost").build(rule.endpoint, arguments)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(path, method=method)
            assert response.status_code == 404, f"{method} {path} gave {response.status_code}"
            checked += 1
    assert checked >= 5
