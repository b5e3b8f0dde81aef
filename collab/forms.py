"""Form pieces shared by every area."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from collab.errors import DomainError


class BaseForm(FlaskForm):
    """Strips surrounding white space from every text field."""

    class Meta:
        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class.__name__ in {"StringField", "EmailField", "TextAreaField"}:
                filters = [_strip, *filters]
            choices = unbound_field.kwargs.get("choices")
            if isinstance(choices, (list, tuple)):
                # WTForms 3.3 deprecates (value, label) tuples; areas may keep writing them.
                options = {**options, "choices": select_choices(choices)}
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate fields, and refuse control characters in any text (PostgreSQL rejects NUL).

        One-line inputs may not hold line breaks or tabs (a browser cannot send them): a
        line break in a name would end up in email headers and page titles.
        """
        valid = super().validate(extra_validators)
        for field in self:
            data = field.data
            if not isinstance(data, str):
                continue
            if _has_control_characters(data):
                field.errors = [*field.errors, f"{field.label.text} must not contain control characters"]
                valid = False
            elif _one_line(field) and any(c in data for c in "\r\n\t"):
                field.errors = [*field.errors, f"{field.label.text} must be on one line"]
                valid = False
        return valid

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's error beside its field, or at the top of the form."""
        field = getattr(self, error.field, None) if error.field else None
        if isinstance(field, Field):
            field.errors = [*field.errors, error.message]
        else:
            self.form_errors.append(error.message)


def select_choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as WTForms SelectChoice objects (what WTForms 3.3 expects)."""
    return [p if isinstance(p, SelectChoice) else SelectChoice(*p) for p in pairs]


def _one_line(field: Field) -> bool:
    """Text inputs a person types on one line (not text boxes, not hidden values)."""
    return isinstance(field, StringField) and not isinstance(field, (TextAreaField, HiddenField))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _has_control_characters(value: str) -> bool:
    return any((ord(c) < 32 and c not in "\n\r\t") or 0xD800 <= ord(c) <= 0xDFFF for c in value)
