"""The `median` aggregate that SQLite lacks (PostgreSQL has percentile_cont), registered
on every SQLite connection (cep_tui.db.connection).

SQLite's own answer to a missing function is an application-defined one: the statement
stays an SQL aggregate (`median(x) ... GROUP BY key`), SQLite feeds each group's values to
`step` and keeps the result. It is what makes the medians of the CEP indicators fast: the
same figures by window functions (ROW_NUMBER over each breakdown) cost four times as
much, thirty sorts of the year's exits (benchmarks/RESULTS.md)."""

from __future__ import annotations


class Median:
    """The middle value of the group's non-NULL numbers, or the mean of the two middle
    ones (as statistics.median and percentile_cont(0.5)); NULL for no value."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value) -> None:
        if value is not None:
            self.values.append(value)

    def finalize(self):
        values = self.values
        if not values:
            return None
        values.sort()
        middle = len(values) // 2
        if len(values) % 2:
            return values[middle]
        return (values[middle - 1] + values[middle]) / 2
