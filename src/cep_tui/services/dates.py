"""Dates as the counsellor types and reads them: jj/mm/aaaa (jj/mm/aa accepted)."""

from __future__ import annotations

import datetime as dt
import re

from cep_tui.services.errors import FieldErrors

DATE_FORMAT = "%d/%m/%Y"
DATE_TIME_FORMAT = "%d/%m/%Y %H:%M"
_DATE_SHAPE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\s*$")
EARLIEST = dt.date(1900, 1, 1)
# jj/mm/aa: the century as strptime's %y (POSIX) chooses it, 69–99 → 19xx, 00–68 → 20xx.
TWO_DIGIT_PIVOT = 69


def format_date(value: dt.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def format_date_time(value: dt.datetime | None) -> str:
    """« 29/11/2026 10:00 »: a moment as a journal shows it (to the minute)."""
    return value.strftime(DATE_TIME_FORMAT) if value else ""


def full_year(year: str) -> int:
    """The year of a date typed with two digits (aa) or four (aaaa)."""
    value = int(year)
    if len(year) == 2:
        value += 1900 if value >= TWO_DIGIT_PIVOT else 2000
    return value


def date_problem(text: str) -> str | None:
    """What is wrong with a date typed (`text` not blank), in French — its shape, or a day
    that does not exist (« 29/02/2023 n'existe pas ») — or None if it is a date."""
    match = _DATE_SHAPE.match(text or "")
    if not match:
        return "date invalide, saisir jj/mm/aaaa"
    day, month, year = int(match[1]), int(match[2]), full_year(match[3])
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return f"{day:02d}/{month:02d}/{year:04d} n'existe pas"
    return None if value >= EARLIEST else f"date trop ancienne (avant le {format_date(EARLIEST)})"


def parse_date(text: str) -> dt.date | None:
    """The date typed as jj/mm/aaaa or jj/mm/aa (or with . or -), or None if it is not one."""
    if date_problem(text) is not None:
        return None
    match = _DATE_SHAPE.match(text)
    return dt.date(full_year(match[3]), int(match[2]), int(match[1]))


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
    problem = date_problem(text)
    if problem is not None:
        errors.add(field, f"{label} : {problem}.")
        return None
    return parse_date(text)


def age_on(birth_date: dt.date, day: dt.date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
