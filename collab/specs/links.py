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


def place_url(slug: str, spec_id: int, paragraph_id: int | None, section_id: int | None) -> str:
    """Where a comment's thread is: its paragraph, its section as a whole, or the whole specification."""
    if paragraph_id is not None:
        return paragraph_url(slug, spec_id, paragraph_id)
    if section_id is not None:
        return url_for("specs.section_comments", slug=slug, spec_id=spec_id, section_id=section_id)
    return url_for("specs.whole_comments", slug=slug, spec_id=spec_id)


def version_url(slug: str, spec_id: int, number: int) -> str:
    """A shared draft (a frozen version)."""
    return url_for("specs.version", slug=slug, spec_id=spec_id, number=number)
