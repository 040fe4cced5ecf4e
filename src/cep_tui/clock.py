"""Where "today" comes from: injected everywhere so that date rules are testable."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime: ...


class SystemClock:
    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


@dataclass
class FixedClock:
    """A clock frozen at one instant (tests, snapshots, demonstrations)."""

    instant: dt.datetime

    @classmethod
    def on(cls, day: dt.date, hour: int = 10) -> FixedClock:
        return cls(dt.datetime.combine(day, dt.time(hour)))

    def today(self) -> dt.date:
        return self.instant.date()

    def now(self) -> dt.datetime:
        return self.instant
