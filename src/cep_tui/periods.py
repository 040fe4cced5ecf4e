"""The periods of the indicators screen: a month, a quarter, a year, or two dates; each
moved a step at a time (the month, quarter or year before or after)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from cep_tui.services.dates import format_date

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")  # fmt: skip


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DATES = "dates"

    @property
    def label(self) -> str:
        return {"month": "Mois", "quarter": "Trimestre", "year": "Année", "dates": "Dates"}[
            self.value
        ]


def _month_start(year: int, month_index: int) -> dt.date:
    """The first day of the month `month_index` (0-based, may overflow) of `year`."""
    year += month_index // 12
    return dt.date(year, month_index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: dt.date
    end: dt.date

    @classmethod
    def around(cls, kind: PeriodKind, day: dt.date) -> Period:
        """The month, quarter or year holding `day` (for DATES: that day alone)."""
        if kind is PeriodKind.MONTH:
            first, months = day.replace(day=1), 1
        elif kind is PeriodKind.QUARTER:
            first, months = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), 3
        elif kind is PeriodKind.YEAR:
            first, months = dt.date(day.year, 1, 1), 12
        else:
            return cls(kind, day, day)
        after = _month_start(first.year, first.month - 1 + months)
        return cls(kind, first, after - dt.timedelta(days=1))

    def shifted(self, steps: int) -> Period:
        """The period `steps` before (negative) or after; two dates move by their length."""
        if self.kind is PeriodKind.DATES:
            length = (self.end - self.start).days + 1
            delta = dt.timedelta(days=length * steps)
            return Period(self.kind, self.start + delta, self.end + delta)
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[self.kind]
        first = _month_start(self.start.year, self.start.month - 1 + steps * months)
        return Period.around(self.kind, first)

    def as_kind(self, kind: PeriodKind) -> Period:
        """The period of another kind holding this one's last day (two dates: this one's)."""
        if kind is PeriodKind.DATES:
            return Period(kind, self.start, self.end)
        return Period.around(kind, self.end)

    @property
    def label(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{MONTHS[self.start.month - 1].capitalize()} {self.start.year}"
        if self.kind is PeriodKind.QUARTER:
            quarter = (self.start.month - 1) // 3 + 1
            return f"{quarter}{'er' if quarter == 1 else 'e'} trimestre {self.start.year}"
        if self.kind is PeriodKind.YEAR:
            return f"Année {self.start.year}"
        return f"Du {format_date(self.start)} au {format_date(self.end)}"

    @property
    def dates(self) -> str:
        return f"{format_date(self.start)} – {format_date(self.end)}"
