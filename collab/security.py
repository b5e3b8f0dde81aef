"""Who may do what, password hashing and single-use tokens.

Every permission lives in ``Permission``; each area maps alliance roles to the
permissions it grants in its own ``permissions.py``. Routes call ``require()``,
templates call ``can()``; nothing else checks roles.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import abort, current_app, has_app_context
from flask_login import current_user
from sqlalchemy import bindparam, select

from collab.db import db, request_cache
from collab.permissions import (  # noqa: F401  (Permission is re-exported for templates and callers)
    ORGANISATION_PERMISSIONS,
    PUBLIC_PERMISSIONS,
    SITE_PERMISSIONS,
    Permission,
    object_rule,
    permissions_for_role,
)

if TYPE_CHECKING:  # names only: security is core and does not import the areas at load time
    from flask_login import AnonymousUserMixin

    from collab.accounts.models import User
    from collab.alliances.models import Alliance, Membership, Organisation


class InAlliance(Protocol):
    """Anything that belongs to one alliance (an alliance is its own): what most permissions are checked on."""

    @property
    def alliance(self) -> Alliance: ...


#: Who is asking: an account, the anonymous visitor, or (default) the signed-in person.
Person: TypeAlias = "User | AnonymousUserMixin"
#: What a permission is checked on: something in an alliance, an organisation, or nothing (site-wide).
Subject: TypeAlias = "InAlliance | Organisation | None"


def _cache() -> dict[tuple[int, int], Any]:
    return request_cache().setdefault("memberships", {})  # type: ignore[no-any-return]


def membership_for(user: Person | None, alliance: Alliance | None) -> Membership | None:
    """The user's membership of the alliance, or None (cached for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or alliance is None:
        return None
    from collab.alliances.models import Membership

    key = (user.id, alliance.id)
    cache = _cache()
    if key not in cache and user.id == _current_user_id():
        # speed (issue 10): the signed-in person's memberships come in one statement for the
        # whole request (the header's switcher needs them all anyway).
        for membership in my_memberships(user):
            cache[(user.id, membership.alliance_id)] = membership
        cache.setdefault(key, None)
    if key not in cache:
        cache[key] = db.session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.alliance_id == alliance.id
            )
        )
    return cast("Membership | None", cache[key])


def _current_user_id() -> int | None:
    from flask import has_request_context

    if not has_request_context() or not current_user or not current_user.is_authenticated:
        return None
    return cast(int, current_user.id)


def my_memberships(user: Person) -> list[Membership]:
    """Every membership of ``user`` with its alliance, ordered by alliance name (one statement, cached for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    from sqlalchemy.orm import contains_eager

    from collab.alliances.models import Alliance, Membership

    cache = request_cache().setdefault("all_memberships", {})
    if user.id not in cache:
        global _MY_MEMBERSHIPS
        if _MY_MEMBERSHIPS is None:  # built once (speed, issue 10): building costs more than running
            _MY_MEMBERSHIPS = (
                select(Membership)
                .join(Membership.alliance)
                .options(contains_eager(Membership.alliance))
                .where(Membership.user_id == bindparam("user_id"))
                .order_by(Alliance.name, Alliance.id)
            )
        cache[user.id] = list(db.session.scalars(_MY_MEMBERSHIPS, {"user_id": user.id}))
    return cache[user.id]  # type: ignore[no-any-return]


_MY_MEMBERSHIPS: Any = None


def forget_memberships() -> None:
    """Drop cached memberships after a change of role within the request."""
    request_cache().pop("memberships", None)
    request_cache().pop("all_memberships", None)
    request_cache().pop("organisation_permissions", None)  # representation may have changed too


def is_commissioner_anywhere(user: Person) -> bool:
    from collab.alliances.models import Membership, Role

    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(Membership.id)
            .where(Membership.user_id == user.id, Membership.role == Role.COMMISSIONER)
            .limit(1)
        )
        is not None
    )


def organisation_permissions(user: Person, organisation: Organisation | None) -> frozenset[Permission]:
    """What the user may do with one organisation (cached for the request).

    - Site administrators, and the organisation's own representatives (people whose
      membership of any alliance is on its behalf), may view and edit it and decide
      on corrections.
    - Until it has a representative, the person who registered it may do the same.
    - Commissioners of an alliance it belongs to may view it and propose a correction.
    - Other members of an alliance it belongs to may view it.
    """
    from collab.alliances.models import Membership, Role

    if organisation is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache = request_cache().setdefault("organisation_permissions", {})
    key = (user.id, organisation.id)
    if key in cache:
        return cache[key]  # type: ignore[no-any-return]
    owner = {
        Permission.ORGANISATION_VIEW,
        Permission.ORGANISATION_EDIT,
        Permission.ORGANISATION_CORRECTION_DECIDE,
    }
    granted: set[Permission] = set()
    if user.is_site_admin:
        granted |= owner
    representing = select(Membership.user_id).where(Membership.organisation_id == organisation.id)
    if db.session.scalar(representing.where(Membership.user_id == user.id).limit(1)) is not None:
        granted |= owner
    elif organisation.created_by_id == user.id:
        granted.add(Permission.ORGANISATION_VIEW)
        if db.session.scalar(representing.limit(1)) is None:
            granted |= owner
    # The roles the user holds in alliances the organisation belongs to.
    its_alliances = select(Membership.alliance_id).where(Membership.organisation_id == organisation.id)
    roles = set(
        db.session.scalars(
            select(Membership.role).where(Membership.user_id == user.id, Membership.alliance_id.in_(its_alliances))
        )
    )
    if roles:
        granted.add(Permission.ORGANISATION_VIEW)
    if Role.COMMISSIONER in roles:
        granted.add(Permission.ORGANISATION_CORRECTION_PROPOSE)
    cache[key] = frozenset(granted)
    return cache[key]  # type: ignore[no-any-return]


def viewable_organisation_ids(user: Person, organisation_ids: list[int]) -> set[int]:
    """Which of these organisations the user may view (ORGANISATION_VIEW), in one query.

    The same rule as ``organisation_permissions``: site administrators see all; others see
    organisations in alliances they belong to and organisations they registered.
    """
    from collab.alliances.models import Membership, Organisation

    if not organisation_ids or not getattr(user, "is_authenticated", False):
        return set()
    if user.is_site_admin:
        return set(organisation_ids)
    my_alliances = select(Membership.alliance_id).where(Membership.user_id == user.id)
    in_my_alliances = select(Membership.organisation_id).where(Membership.alliance_id.in_(my_alliances))
    return set(
        db.session.scalars(
            select(Organisation.id).where(
                Organisation.id.in_(organisation_ids),
                Organisation.id.in_(in_my_alliances) | (Organisation.created_by_id == user.id),
            )
        )
    )


def forget_organisation_permissions() -> None:
    """Drop cached organisation permissions after representation changes within the request."""
    request_cache().pop("organisation_permissions", None)


def _alliance_of(obj: Subject) -> Alliance | None:
    return getattr(obj, "alliance", None) if obj is not None else None


def can(permission: Permission, obj: Subject = None, user: Person | None = None) -> bool:
    """Whether the user (default: the signed-in one) has the permission on obj."""
    user = current_user if user is None else user
    authenticated = getattr(user, "is_authenticated", False)
    if permission in SITE_PERMISSIONS:
        return bool(authenticated and (user.is_site_admin or is_commissioner_anywhere(user)))
    if permission in ORGANISATION_PERMISSIONS:
        # Organisation permissions are only ever checked on an organisation.
        return permission in organisation_permissions(user, cast("Organisation | None", obj))
    alliance = _alliance_of(obj)
    if alliance is None:
        return False
    if permission in PUBLIC_PERMISSIONS and alliance.is_public:
        return True
    membership = membership_for(user, alliance)
    if membership is None:
        return False
    if permission not in permissions_for_role(membership.role):
        return False
    rule = object_rule(permission)  # an area may narrow a permission to some objects (resources)
    return rule is None or bool(rule(membership, obj))


def require(permission: Permission, obj: Subject = None) -> None:
    """Stop the request unless the signed-in user has the permission.

    People outside the alliance get 404, so that a private alliance's pages do
    not reveal that it exists (and a public alliance's members-only pages are
    simply not there for them). Members whose role does not allow it get 403.
    """
    if can(permission, obj):
        return
    if not current_user.is_authenticated:
        from collab.extensions import login_manager

        abort(login_manager.unauthorized())
    if permission in ORGANISATION_PERMISSIONS:
        # Organisations you cannot see answer 404, like private alliances.
        if not can(Permission.ORGANISATION_VIEW, obj):
            abort(404)
        abort(403)
    alliance = _alliance_of(obj)
    if alliance is not None and membership_for(current_user, alliance) is None:
        abort(404)
    abort(403)


# Passwords -------------------------------------------------------------------

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


def _current_hasher() -> PasswordHasher:
    """The strong hasher above, unless the app's config names other argon2 parameters.

    Only the test suite sets ``PASSWORD_HASH_PARAMS`` (argon2 at full cost was most of its
    run time); config.py never does, so a real deployment always hashes with ``_hasher``.
    """
    params = current_app.config.get("PASSWORD_HASH_PARAMS") if has_app_context() else None
    return PasswordHasher(**params) if params else _hasher


def hash_password(password: str) -> str:
    return _current_hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _current_hasher().verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _current_hasher().check_needs_rehash(password_hash)


# Dummy hash so that a sign-in attempt for an unknown email takes as long as one for a known email.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def burn_password_check(password: str) -> None:
    hasher = _current_hasher()
    verify_password(_DUMMY_HASH if hasher is _hasher else hasher.hash(secrets.token_urlsafe(16)), password)


# Tokens ----------------------------------------------------------------------


def new_token() -> tuple[str, str]:
    """A fresh URL-safe token and the SHA-256 hash that is stored instead of it."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
