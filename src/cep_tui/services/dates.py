"""Dates as the counsellor types and reads them: jj/mm/aaaa."""

from __future__ import annotations

import datetime as dt
import re

from cep_tui.services.errors import FieldErrors

DATE_FORMAT = "%d/%m/%Y"
_DATE_SHAPE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
EARLIEST = dt.date(1900, 1, 1)


def format_date(value: dt.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def parse_date(text: str) -> dt.date | None:
    """The date typed as jj/mm/aaaa (or with . or -), or None if it is not one."""
    match = _DATE_SHAPE.match(text or "")
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if value >= EARLIEST else None


def read_date(
    errors: FieldErrors,
    field: str,
    value: dt.date | str | None,
    label: str,
    *,
    required: bool,
) -> dt.date | None:
    """Accept a date or its jj/mm/aaaa text; record a French error for `field` otherwise."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        if value < EARLIEST:
            errors.add(field, f"{label} : la date est invalide.")
            return None
        return value
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        if required:
            errors.add(field, f"{label} : ce champ est obligatoire.")
        return None
    parsed = parse_date(text)
    if parsed is None:
        errors.add(field, f"{label} : date invalide, saisir jj/mm/aaaa.")
    return parsed


def age_on(birth_date: dt.date, day: dt.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
