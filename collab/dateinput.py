"""One date field for every form: the GOV.UK date input (day, month and year boxes).

People type a date as three numbers, the way they say it ("27 3 2027"), in three boxes, and
every date question in Collab gives the same kind of error, as the GOV.UK Design System
recommends (design-system.service.gov.uk/components/date-input):

- nothing entered:           "Enter the date comments close"
- a part missing:            "The date comments close must include a month"
- not a real date:           "The date comments close must be a real date"
- a year of 2 or 3 digits:   "The year must include 4 numbers"

The month box also takes a month's name or its first three letters ("March", "mar"), and
spaces are ignored, because people type them. A form sends ``<name>-day``, ``<name>-month`` and
``<name>-year``; the template macro ``date_field`` (templates/_macros/forms.html) draws them.

For scripts (and tests) that post one value, ``<name>`` alone is accepted in ISO 8601
(``2027-03-27``) when none of the three boxes was sent; anything else there ("31/12/2026") is
refused with the same "must be a real date" message.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from collab.timezone import today_in_london

PARTS = ("day", "month", "year")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _month_number(text: str) -> int | None:
    """A month from "3", "03", "March" or "Mar"; None when it is none of those."""
    if text.isdigit():
        return int(text)
    lowered = text.lower()
    for number, name in enumerate(_MONTHS, start=1):
        if lowered == name or (len(lowered) >= 3 and name.startswith(lowered)):
            return number
    return None


def _joined(parts: list[str]) -> str:
    """"day", "day and month", "day, month and year"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


class DateInputField(Field):
    """A date asked for in three boxes. ``what`` names it in messages ("date comments close")."""

    widget = None  # drawn by the date_field macro, never by WTForms
    #: The date (a ``datetime.date``) once the form is valid; None before, or when left empty.
    data: Any

    def __init__(self, label: str | None = None, validators: Any = None, *, what: str,
                 required: bool = True, **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.what = what
        self.required = required
        #: What was typed in each box, shown again after an error (None: nothing was sent).
        self._typed: dict[str, str] | None = None
        #: The boxes to mark as wrong; empty means all three (the date as a whole).
        self.error_parts: list[str] = []
        self._problem: tuple[str, list[str]] | None = None

    # --- reading what was sent -----------------------------------------------------------------

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = data if isinstance(data, date) else None
        if formdata is None:
            return
        keys = [f"{self.name}-{part}" for part in PARTS]
        if any(key in formdata for key in keys):
            self._typed = {part: "".join(str(formdata.get(key, "")).split()) for part, key in zip(PARTS, keys, strict=True)}
            self.raw_data = list(self._typed.values())
            self.data = self._parse()
        elif self.name in formdata:
            value = str(formdata.get(self.name, "")).strip()
            self.raw_data = [value]
            self._typed = {"day": value, "month": "", "year": ""}
            self.data = self._parse_iso(value)

    @property
    def parts(self) -> dict[str, str]:
        """What each box shows: what was typed, else the field's date."""
        if self._typed is not None and self.data is None:
            return self._typed
        if self.data is not None:
            return {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        return dict.fromkeys(PARTS, "")

    def _parse(self) -> date | None:
        missing = [part for part in PARTS if not self.parts[part]]
        if len(missing) == 3:
            self._problem = ("empty", [])
            return None
        if missing:
            self._problem = (f"The {self.what} must include a {_joined(missing)}", missing)
            return None
        day, month_text, year = self.parts["day"], self.parts["month"], self.parts["year"]
        month = _month_number(month_text)
        wrong = [part for part, ok in (("day", day.isdigit()), ("month", month is not None),
                                       ("year", year.isdigit())) if not ok]
        if wrong:
            self._problem = (f"The {self.what} must be a real date", wrong)
            return None
        if len(year) != 4:
            self._problem = ("The year must include 4 numbers", ["year"])
            return None
        try:
            return date(int(year), month or 0, int(day))
        except ValueError:
            self._problem = (f"The {self.what} must be a real date", [])
            return None

    def _parse_iso(self, value: str) -> date | None:
        if not value:
            self._problem = ("empty", [])
            return None
        try:
            if not _ISO.fullmatch(value):
                raise ValueError(value)
            parsed = date.fromisoformat(value)
        except ValueError:
            self._problem = (f"The {self.what} must be a real date", [])
            return None
        return parsed

    # --- checking ------------------------------------------------------------------------------

    def pre_validate(self, form: Any) -> None:
        if self._problem is None and self.data is None and self.raw_data is None and self.required:
            self._problem = ("empty", [])  # the boxes were not sent at all
        if self._problem is None:
            return
        message, parts = self._problem
        if message == "empty":
            if not self.required:
                self.data = None
                raise StopValidation()
            message, parts = f"Enter the {self.what}", []
        self.error_parts = parts
        raise StopValidation(message)

    # --- drawing -------------------------------------------------------------------------------

    @property
    def error_target(self) -> str:
        """The box the error summary links to: the first one that is wrong."""
        first = self.error_parts[0] if self.error_parts else "day"
        return f"{self.id}-{first}"

    def part_has_error(self, part: str) -> bool:
        return bool(self.errors) and (not self.error_parts or part in self.error_parts)

    @property
    def example(self) -> str:
        """A date about four weeks ahead, written the way the boxes take it: "27 3 2027"."""
        soon = today_in_london() + timedelta(weeks=4)
        return f"{soon.day} {soon.month} {soon.year}"

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""
