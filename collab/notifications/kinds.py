"""The kinds of notification areas send, so people can choose which ones also come by email."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    key: str
    #: Shown on the settings page, such as "Your organisation's response is needed".
    label: str
    hint: str = ""
    #: Whether email is on until the person changes it.
    email_by_default: bool = True


KINDS: dict[str, Kind] = {}


def register_kind(key: str, label: str, hint: str = "", email_by_default: bool = True) -> Kind:
    """Add a kind of notification (call once per kind, at import)."""
    kind = Kind(key, label, hint, email_by_default)
    KINDS[key] = kind
    return kind


def get_kind(key: str) -> Kind:
    return KINDS.get(key) or Kind(key, key.replace("_", " ").capitalize())
