"""The one submit path (``collab.web.attempt``) and the app-wide answer to a broken rule."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from collab import create_app
from collab.alliances.models import Organisation
from collab.errors import Conflict, DomainError, NotAllowed
from collab.web import Done, attempt
from tests.conftest import _test_config
from tests.factories import make_organisation


class _Form:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def add_domain_error(self, error: DomainError) -> None:
        self.errors.append(error.message)


def _names(session) -> set[str]:
    return set(session.scalars(select(Organisation.name)))


def test_a_successful_change_is_committed_and_its_value_returned(app, session):
    with app.test_request_context(method="POST"):
        done = attempt(_Form(), lambda: make_organisation(name="Kept Ltd").name)
    assert done == Done("Kept Ltd") and done
    session.rollback()  # a committed change survives a later rollback
    assert "Kept Ltd" in _names(session)


def test_a_broken_rule_undoes_everything_and_goes_on_the_form(app, session):
    form = _Form()

    def half_done() -> None:
        make_organisation(name="Half Written Ltd")
        raise DomainError("That name is taken")

    with app.test_request_context(method="POST"):
        assert attempt(form, half_done) is None
    assert form.errors == ["That name is taken"]
    assert "Half Written Ltd" not in _names(session)


def test_errors_the_route_answers_itself_are_rolled_back_and_raised(app, session):
    def clash() -> None:
        make_organisation(name="Clash Ltd")
        raise Conflict("Someone else saved first")

    with app.test_request_context(method="POST"), pytest.raises(Conflict):
        attempt(_Form(), clash, passes=(Conflict,))
    assert "Clash Ltd" not in _names(session)


@pytest.fixture
def raising_app(engine, tmp_path) -> Flask:
    test_app = create_app(_test_config(engine, tmp_path))
    test_app.config["WTF_CSRF_ENABLED"] = False

    @test_app.post("/_test/raise/<kind>")
    def _raise(kind: str) -> str:
        errors = {"rule": DomainError("The closing date has passed"), "conflict": Conflict("It was already signed"),
                  "refused": NotAllowed("Only a commissioner can do that")}
        attempt(None, lambda: (_ for _ in ()).throw(errors[kind]))
        return "not reached"

    return test_app


@pytest.mark.parametrize(("kind", "status", "words"), [
    ("rule", 422, "The closing date has passed"),
    ("conflict", 409, "It was already signed"),
    ("refused", 403, "Only a commissioner can do that"),
])
def test_a_broken_rule_outside_a_form_gets_a_page_with_its_status(raising_app, kind, status, words):
    response = raising_app.test_client().post(f"/_test/raise/{kind}")
    assert response.status_code == status
    assert words in response.get_data(as_text=True)
