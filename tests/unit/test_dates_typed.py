"""Dates as typed, for every date (hypothesis): jj/mm/aaaa and jj/mm/aa give the date back;
a day that does not exist is named as such, never told to use the format it already has."""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cep_tui.services.dates import EARLIEST, date_problem, format_date, parse_date, read_date
from cep_tui.services.errors import FieldErrors

DATES = st.dates(min_value=EARLIEST, max_value=dt.date(2999, 12, 31))
SEPARATORS = st.sampled_from("/.-")


@given(DATES, SEPARATORS)
def test_every_date_typed_in_full_is_read_back(day, separator):
    text = format_date(day).replace("/", separator)
    assert date_problem(text) is None and parse_date(text) == day


@given(st.dates(min_value=dt.date(1969, 1, 1), max_value=dt.date(2068, 12, 31)))
def test_every_date_of_the_two_digit_window_typed_jj_mm_aa_is_read_back(day):
    assert parse_date(day.strftime("%d/%m/%y")) == day
    assert parse_date(f"{day.day}/{day.month}/{day.year % 100:02d}") == day


@given(
    st.integers(min_value=1900, max_value=2999),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=99),
)
def test_a_day_past_its_month_is_said_not_to_exist(year, month, day):
    last = calendar.monthrange(year, month)[1]
    text = f"{day:02d}/{month:02d}/{year}"
    if day > last:
        assert date_problem(text) == f"{text} n'existe pas"
        errors = FieldErrors()
        assert read_date(errors, "d", text, "Date", required=True) is None
        assert errors.errors == {"d": f"Date : {text} n'existe pas."}
    else:
        assert parse_date(text) == dt.date(year, month, day)


@given(st.text(max_size=12))
def test_any_text_is_a_date_or_a_french_problem(text):
    problem = date_problem(text)
    assert (parse_date(text) is None) == (problem is not None)
    if problem is not None:
        assert problem.endswith(("n'existe pas", "jj/mm/aaaa", "1900)"))
