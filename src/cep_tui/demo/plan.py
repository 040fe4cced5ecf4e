"""The plan of the demonstration, decided for all before any row is written: the staff, the
offers as the planner sees them, and, for each young person, their dispositifs and the
events of their history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cep_tui.demo.chance import add_years, days

EAV_CODE = "EMPLOI_AVENIR"

# The CEP states of a young person at today's date.
PHASE2, PHASE3, PLANNED, CLOSED = "phase2", "phase3", "planned", "closed"
# How many days before today each state needs its entry date, at the latest.
CEP_MARGINS = {CLOSED: 60, PHASE3: 30, PLANNED: 14, PHASE2: 0}


@dataclass(frozen=True)
class Staff:
    id: int
    login: str
    name: str  # "Claire DUPONT"
    rights: tuple[int, ...]  # as in COUNSELLORS

    @property
    def follows_up(self) -> bool:
        """Holds the "Événements" and "Proposer CEP" rights."""
        return bool(self.rights[2] and self.rights[3])


@dataclass
class Enrol:
    code: str  # dispositif code
    entry: dt.date
    interview: dt.date | None = None
    phase3: dt.date | None = None  # phase-3 start
    direct_phase3: bool = False
    end: dt.date | None = None
    reason: str | None = None
    phase3_recorded: dt.date | None = None
    close_recorded: dt.date | None = None


@dataclass
class Young:
    structure: int  # index into STRUCTURES
    last_name: str
    first_name: str
    sex: str
    birth: dt.date
    status: str
    referent: int | None  # counsellor id
    cep_state: str | None = None
    enrolments: list[Enrol] = field(default_factory=list)
    deleted_cep: dt.date | None = None  # a CEP added by mistake then deleted that day
    created_on: dt.date | None = None
    showcase: bool = False

    def earliest_entry(self, today: dt.date) -> dt.date:
        """The first day a dispositif may start: 16 years old, within three years."""
        return max(today - days(1095), add_years(self.birth, 16))

    def earliest_contact(self, today: dt.date) -> dt.date:
        return max(today - days(1095), add_years(self.birth, 15))


@dataclass
class OfferRow:
    id: int
    name: str
    theme: str
    start: dt.date
    end: dt.date | None
    is_cep: bool

    def valid_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


@dataclass
class EventSpec:
    day: dt.date
    cep: bool = False
    context: str | None = None  # a context the event must carry
    actions: list[tuple[str, str, Enrol | None]] = field(default_factory=list)
    proposals: list[OfferRow] = field(default_factory=list)
    walk_in: bool = False
    comment: str | None = None
