"""Template helpers every page uses: UK times for evidence, "Error: " in the title of a page
whose form has errors (GOV.UK: a screen reader hears the problem first, before the page name),
and the glossary's words (collab/glossary.py)."""

from __future__ import annotations

from flask import Flask
from flask_wtf import FlaskForm
from jinja2 import pass_context
from jinja2.runtime import Context

from collab import glossary
from collab.panels import panels
from collab.timezone import format_certificate_time

#: Variables pages use for errors that are not on a form (a list, a dict or one message).
ERROR_VARIABLES = ("errors", "error", "extra_errors")


@pass_context
def page_has_errors(context: Context) -> bool:
    """Whether the page shows an error summary: a form with errors, or an error list."""
    values = [*context.parent.values(), *context.vars.values()]
    if any(isinstance(value, FlaskForm) and value.errors for value in values):
        return True
    return any(isinstance(context.get(name), (str, list, tuple, dict)) and context.get(name) for name in ERROR_VARIABLES)


def init_app(app: Flask) -> None:
    """Register the filters and globals above."""
    app.jinja_env.filters["certificate_time"] = format_certificate_time
    app.jinja_env.globals["page_has_errors"] = page_has_errors
    app.jinja_env.globals["glossary_term"] = glossary.term
    app.jinja_env.globals["glossary_terms_in"] = glossary.terms_in
    # Fragments other areas add to a page (collab/panels.py).
    app.jinja_env.globals["panels"] = panels
