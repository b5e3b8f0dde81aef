"""Addresses of specification pages, for notifications and the For you page.

The one place that turns specification ids into URLs, so that services never call ``url_for``
themselves. Needs an application context (a request, or the test app's).
"""

from __future__ import annotations

from flask import url_for


def spec_url(slug: str, spec_id: int) -> str:
    """The specification's page."""
    return url_for("specs.show", slug=slug, spec_id=spec_id)


def paragraph_url(slug: str, spec_id: int, paragraph_id: int) -> str:
    """One paragraph and its comments."""
    return url_for("specs.paragraph", slug=slug, spec_id=spec_id, paragraph_id=paragraph_id)


def version_url(slug: str, spec_id: int, number: int) -> str:
    """A shared draft (a frozen version)."""
    return url_for("specs.version", slug=slug, spec_id=spec_id, number=number)
