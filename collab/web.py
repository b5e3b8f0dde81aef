"""Responses: whole page or htmx fragment, redirects that htmx understands, pagination."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeGuard, TypeVar, overload
from urllib.parse import urlsplit

from flask import Response, abort, flash, make_response, redirect, render_template, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from collab.db import MAX_DATABASE_INT, db
from collab.errors import DomainError
from collab.extensions import htmx

T = TypeVar("T")


def targets(fragment_id: str) -> bool:
    """True when this is an htmx request aimed at the element with this id.

    Boosted links send HX-Request too, so the target decides, not the header alone.
    """
    return bool(htmx) and not htmx.boosted and htmx.target == fragment_id


def render(
    page: str,
    *,
    fragment: str | None = None,
    target: str | None = None,
    status: int = 200,
    **context: Any,
) -> Response:
    """Render ``page``, or only ``fragment`` when htmx asked for the element ``target``."""
    if fragment is not None and target is not None and targets(target):
        body = render_template(fragment, **context)
    else:
        body = render_template(page, **context)
    response = make_response(body, status)
    if fragment is not None:
        response.vary.add("HX-Request")
        response.vary.add("HX-Target")
    return response


def redirect_to(url: str) -> Response:
    """After a successful change: 303 for a plain form, HX-Redirect for htmx."""
    if htmx:
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return make_response(redirect(url, code=303))


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """Only same-site paths are followed after sign-in (no open redirects)."""
    if not target:
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//")


# trust-web: ids in query strings get the same bounds as ids in paths -------------------

_DIGITS = re.compile(r"[0-9]{1,10}")


def parse_id(value: object) -> int | None:
    """A database id (or version number) from text, or None.

    Only plain ASCII digits from 1 to ``MAX_DATABASE_INT``, the same bounds as ``<int:...>``
    in a path: a number too big for the column must be "not found", never a database error.
    """
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_DATABASE_INT else None


def query_id(name: str) -> int | None:
    """The id ``?name=`` in the query string, or None when it is missing or not a usable id."""
    return parse_id(request.args.get(name))


def page_number(name: str = "page") -> int:
    """The page number from the query string; anything odd means page 1."""
    raw = request.args.get(name, "1")
    try:
        value = int(raw)
    except ValueError:
        return 1
    return value if 1 <= value <= 100_000 else 1


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(session: Session, stmt: Select[Any], number: int, per_page: int = 25) -> Page[Any]:
    """One page of ``stmt``'s rows plus the total count (two queries, whatever the size)."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = max(1, math.ceil(total / per_page))
    number = min(number, last)
    items = session.scalars(stmt.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(items=items, number=number, per_page=per_page, total=total)


@dataclass(frozen=True)
class AllianceSection:
    """A link on every alliance's home page to one area (agreement, specifications, ...)."""

    label: str
    endpoint: str
    permission: Any
    order: int = 100


ALLIANCE_SECTIONS: list[AllianceSection] = []


def add_alliance_section(label: str, endpoint: str, permission: Any, order: int = 100) -> None:
    """Areas call this once at import to appear in the alliance navigation."""
    section = AllianceSection(label, endpoint, permission, order)
    if section not in ALLIANCE_SECTIONS:
        ALLIANCE_SECTIONS.append(section)
        ALLIANCE_SECTIONS.sort(key=lambda s: (s.order, s.label))


def form_status() -> int:
    """The status of a form page: 200 when shown, 422 when a sent form comes back with errors."""
    return 422 if request.method == "POST" else 200


def get_or_404(session: Session, model: type[T], ident: int, **owner: Any) -> T:
    """The row with this id, or 404 if it is missing or does not belong where the URL says.

    ``owner`` names columns that must match, such as ``alliance_id=alliance.id``, so that an
    id from another alliance (or agreement, or specification) is never found through this one.
    """
    row = session.get(model, ident)
    if row is None or any(getattr(row, column) != value for column, value in owner.items()):
        abort(404)
    return row


# One submit path -------------------------------------------------------------------------


class TakesDomainErrors(Protocol):
    """A form that can show a service's error beside its field (``collab.forms.Form``)."""

    def add_domain_error(self, error: DomainError) -> None: ...


class Caught:
    """Stands in for a form when the route answers a broken rule itself (``attempt``).

    After ``attempt(caught, ...)`` returns None, ``caught.error`` is the DomainError that was
    rolled back: shown as one line on a page, or answered with another page.
    """

    def __init__(self) -> None:
        self.error: DomainError | None = None

    def add_domain_error(self, error: DomainError) -> None:
        self.error = error

    @property
    def message(self) -> str:
        """The error's message, or "" when nothing was caught."""
        return self.error.message if self.error is not None else ""


class Flashed:
    """Stands in for a form behind a button: a broken rule is flashed on the page it goes back to."""

    def add_domain_error(self, error: DomainError) -> None:
        flash(error.message, "info")


@dataclass(frozen=True)
class Done(Generic[T]):
    """A change that was committed; ``value`` is what the service returned. Always true."""

    value: T


@overload
def attempt(form: None, action: Callable[[], T], *, passes: tuple[type[DomainError], ...] = ()) -> Done[T]: ...


@overload
def attempt(form: TakesDomainErrors, action: Callable[[], T],
            *, passes: tuple[type[DomainError], ...] = ()) -> Done[T] | None: ...


def attempt(form: TakesDomainErrors | None, action: Callable[[], T],
            *, passes: tuple[type[DomainError], ...] = ()) -> Done[T] | None:
    """Run one service call as the request's unit of work.

    The call succeeds → commit, and ``Done(value)`` (emails and notifications go after the
    commit). A rule is broken (``DomainError``) → roll everything back, put the message on
    ``form`` and return None, so the route shows the form again with 422 (or the error's own
    status, via ``form_status_for``). Errors named in ``passes`` (such as an edit conflict
    with its own 409 merge page) are rolled back and raised for the route to answer; with no
    form, every DomainError is raised after the rollback, for the app-wide handler.
    """
    try:
        value = action()
    except DomainError as error:
        db.session.rollback()
        if form is None or isinstance(error, passes):
            raise
        form.add_domain_error(error)
        return None
    db.session.commit()
    return Done(value)
