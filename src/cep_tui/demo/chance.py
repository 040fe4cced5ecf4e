"""Chance and the calendar: the run's one random source, and the days and instants it draws
around the clock's today.

Every draw of the demonstration goes through the one `random.Random(seed)` held here, in a
fixed order: the same seed and the same today always give the same rows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random

from cep_tui.clock import Clock


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# Precomputed steps: the large size draws millions of dates and instants.
DAY_STEPS = tuple(dt.timedelta(days=n) for n in range(2200))
MINUTE_STEPS = tuple(dt.timedelta(minutes=n) for n in range(120))


class Weighted:
    """A weighted choice from one uniform draw (faster than Random.choices in a loop)."""

    def __init__(self, weights: dict):
        self.items = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def pick(self, draw: float):
        return self.items[bisect.bisect(self.cumulative, draw * self.total)]


def action_moment(start: dt.datetime, limit: dt.datetime, step: int) -> dt.datetime:
    """The instant of the `step`-th action of an event: a few minutes apart, within it."""
    return max(start, min(start + dt.timedelta(minutes=4 * step), limit))


class Chance:
    """The random source, today and now, and the days and instants drawn from them."""

    def __init__(self, rng: random.Random, clock: Clock):
        self.rng = rng
        self.today = clock.today()
        self.now = clock.now()

    def between(self, low: dt.date, high: dt.date) -> dt.date:
        """A day from `low` to `high` included (`low` if the range is empty)."""
        span = (high - low).days
        if span <= 0:
            return low
        step = int(self.rng.random() * (span + 1))
        return low + (DAY_STEPS[step] if step < len(DAY_STEPS) else days(step))

    def moment(self, day: dt.date, earliest: dt.datetime | None = None) -> dt.datetime:
        """A working-hours instant of `day` (08:00-17:59), never after now."""
        minutes = int(self.rng.random() * 600)
        moment = dt.datetime(day.year, day.month, day.day, 8 + minutes // 60, minutes % 60)
        if earliest is not None and moment < earliest:
            moment = earliest
        return moment if moment <= self.now else self.now

    def age(self, birth: dt.date) -> int:
        today = self.today
        return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
