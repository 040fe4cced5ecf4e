"""Dates typed and shown as jj/mm/aaaa; ages; text folding and cleaning."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.services.dates import (
    age_on,
    date_problem,
    format_date,
    format_date_time,
    parse_date,
)
from cep_tui.text import clean_line, clean_text, fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("29/11/2026", dt.date(2026, 11, 29)),
        ("1/2/2026", dt.date(2026, 2, 1)),
        ("01-02-2026", dt.date(2026, 2, 1)),
        ("01.02.2026", dt.date(2026, 2, 1)),
        (" 29/02/2024 ", dt.date(2024, 2, 29)),
        ("29/02/2025", None),
        ("2026-11-29", None),
        ("29/11/26", dt.date(2026, 11, 29)),
        ("1/2/99", dt.date(1999, 2, 1)),
        ("29/11/226", None),
        ("31/12/1899", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("29/02/2023", "29/02/2023 n'existe pas"),
        ("31/4/2026", "31/04/2026 n'existe pas"),
        ("32/10/26", "32/10/2026 n'existe pas"),
        ("01/13/2026", "01/13/2026 n'existe pas"),
        ("2026-11-29", "date invalide, saisir jj/mm/aaaa"),
        ("1er octobre", "date invalide, saisir jj/mm/aaaa"),
        ("31/12/1899", "date trop ancienne (avant le 01/01/1900)"),
        ("29/02/2024", None),
    ],
)
def test_date_problem(text, problem):
    assert date_problem(text) == problem


def test_format_date():
    assert (format_date(dt.date(2016, 4, 18)), format_date(None)) == ("18/04/2016", "")


def test_format_date_time():
    moment = dt.datetime(2026, 1, 5, 9, 7, 42)
    assert (format_date_time(moment), format_date_time(None)) == ("05/01/2026 09:07", "")


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (dt.date(2010, 11, 29), dt.date(2026, 11, 29), 16),
        (dt.date(2010, 11, 30), dt.date(2026, 11, 29), 15),
        (dt.date(2008, 2, 29), dt.date(2026, 2, 28), 17),
        (dt.date(2008, 2, 29), dt.date(2026, 3, 1), 18),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Lefèvre-Cœur", "lefevre coeur"),
        ("ÆLIS  d'Œstre", "aelis d oestre"),
        ("Straße", "strasse"),
        ("[bold]x[/]", "bold x"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_clean_line_and_clean_text():
    assert clean_line(" a\tb\n\x1b[1mc\x00 ") == "a b [1mc"
    assert clean_text(" a\r\nb\rc\x07 ") == "a\nb\nc"
    assert clean_line(None) == clean_text(None) == ""
    assert clean_line("x\ud800y") == "xy"
