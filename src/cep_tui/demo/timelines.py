"""The dispositifs' timelines: when a young person's CEP (or EMPLOI D'AVENIR) began, moved
to phase 3 and closed, and why; then, once its events are known, its enrolment and phase rows.
"""

from __future__ import annotations

import datetime as dt

from cep_tui.db.models import Enrolment, PhasePeriod
from cep_tui.demo.chance import Chance, days
from cep_tui.demo.data.texts import PRESCRIBERS
from cep_tui.demo.plan import EAV_CODE, PHASE2, PHASE3, PLANNED, Enrol, Young
from cep_tui.demo.references import References
from cep_tui.demo.staff import Teams
from cep_tui.demo.writer import BulkWriter
from cep_tui.vocabulary import CEP_CODE, EnrolmentStatus, ExitReason, ReferenceKind

K = ReferenceKind

# The moments and counsellors of the actions that touched each enrolment (by id()).
Moments = dict[int, list[tuple[dt.datetime, int]]]


def can_enter(chance: Chance, young: Young, margin: int) -> bool:
    """Whether a dispositif may start at least `margin` days before today."""
    return young.earliest_entry(chance.today) <= chance.today - days(margin)


def cep_timeline(chance: Chance, young: Young, state: str) -> Enrol:
    """A CEP in `state` today: phase 2, phase 3, phase 3 planned, or closed."""
    rng, today, between = chance.rng, chance.today, chance.between
    earliest = young.earliest_entry(today)
    enrol = Enrol(CEP_CODE, entry=today)
    if state == PHASE2:
        enrol.entry = between(max(earliest, today - days(240)), today)
    elif state == PHASE3:
        enrol.entry = between(max(earliest, today - days(540)), today - days(30))
        enrol.phase3 = between(enrol.entry + days(7), min(enrol.entry + days(180), today))
        enrol.phase3_recorded = min(enrol.phase3 + days(rng.randint(0, 3)), today)
    elif state == PLANNED:
        enrol.entry = between(max(earliest, today - days(150)), today - days(14))
        enrol.phase3 = today + days(rng.randint(1, 45))
        enrol.phase3_recorded = between(max(enrol.entry + days(1), today - days(20)), today)
    else:  # CLOSED
        enrol.entry = between(max(earliest, today - days(700)), today - days(60))
        shape = rng.random()
        if shape < 0.35:  # closed in phase 2
            enrol.end = between(enrol.entry + days(14), min(enrol.entry + days(240), today))
        elif shape < 0.9:  # phase 2 then phase 3
            enrol.phase3 = between(
                enrol.entry + days(14), min(enrol.entry + days(150), today - days(1))
            )
            enrol.phase3_recorded = min(enrol.phase3 + days(rng.randint(0, 3)), today)
            enrol.end = between(enrol.phase3, min(enrol.phase3 + days(300), today))
        else:  # direct entry in phase 3
            enrol.direct_phase3 = True
            enrol.phase3 = enrol.entry
            enrol.end = between(enrol.entry + days(30), min(enrol.entry + days(365), today))
        enrol.reason = rng.choices(
            (
                ExitReason.ACTION_PLAN_COMPLETED.value,
                ExitReason.INTERRUPTION_OBSERVED.value,
                ExitReason.INTERRUPTION_FORMALISED.value,
                ExitReason.MOVED_AWAY.value,
            ),
            (55, 20, 15, 10),
        )[0]
        recorded = min(enrol.end + days(rng.randint(0, 5)), today)
        if enrol.phase3_recorded:
            recorded = max(recorded, enrol.phase3_recorded)
        enrol.close_recorded = recorded
    _interview(chance, young, enrol)
    return enrol


def previous_cep(chance: Chance, young: Young, current: Enrol) -> Enrol:
    """An earlier CEP, interrupted in phase 2, closed before the current one began."""
    earliest = max(young.earliest_entry(chance.today), current.entry - days(700))
    entry = chance.between(earliest, current.entry - days(120))
    end = chance.between(entry + days(14), current.entry - days(30))
    enrol = Enrol(CEP_CODE, entry=entry, end=end)
    enrol.reason = chance.rng.choice(
        (ExitReason.INTERRUPTION_OBSERVED.value, ExitReason.INTERRUPTION_FORMALISED.value)
    )
    enrol.close_recorded = min(end + days(chance.rng.randint(0, 5)), current.entry)
    _interview(chance, young, enrol)
    return enrol


def eav_timeline(chance: Chance, young: Young, *, in_progress: bool) -> Enrol:
    """An EMPLOI D'AVENIR, still running or closed."""
    today = chance.today
    earliest = max(young.earliest_entry(today), today - days(700))
    latest = today - days(30 if in_progress else 120)
    enrol = Enrol(EAV_CODE, entry=chance.between(earliest, latest))
    if not in_progress:
        enrol.end = chance.between(enrol.entry + days(90), min(enrol.entry + days(365), today))
        enrol.reason = chance.rng.choice(
            (ExitReason.ACTION_PLAN_COMPLETED.value, ExitReason.INTERRUPTION_FORMALISED.value)
        )
        enrol.close_recorded = enrol.end
    return enrol


def _interview(chance: Chance, young: Young, enrol: Enrol) -> None:
    """Most dispositifs follow an initial interview, up to three weeks before the entry."""
    if chance.rng.random() < 0.75:
        low = max(young.earliest_contact(chance.today), enrol.entry - days(21))
        enrol.interview = chance.between(low, enrol.entry)


class EnrolmentRows:
    """The enrolment and phase-period rows of a young person's dispositifs, dated by the
    actions of their events."""

    def __init__(self, writer: BulkWriter, chance: Chance, refs: References, teams: Teams):
        self.writer = writer
        self.chance = chance
        self.rng = chance.rng
        self.refs = refs
        self.workers = teams.workers
        self.counsellor_names = teams.counsellor_names

    def add(self, did: int, young: Young, moments: Moments, rows: dict) -> None:
        if not young.enrolments:
            return
        rng = self.rng
        w = self.writer
        pick_ref = self.refs.pick
        dispositifs = self.refs.dispositifs
        first = w.first_id(Enrolment, len(young.enrolments))
        periods = sum(
            (1 if e.code == CEP_CODE else 0) + (1 if e.phase3 and not e.direct_phase3 else 0)
            for e in young.enrolments
        )
        next_period = w.first_id(PhasePeriod, periods) if periods else 0
        workers = self.workers[young.structure]
        structure = young.structure
        for offset, enrol in enumerate(young.enrolments):
            eid = first + offset
            done = sorted(moments.get(id(enrol), []))
            if done:
                (created_at, created_by), (updated_at, updated_by) = done[0], done[-1]
            else:  # its events are older than the two years of history
                created_at = self.chance.moment(enrol.entry)
                created_by = rng.choice(workers)
                updated_at, updated_by = created_at, created_by
            current_phase = 3 if enrol.phase3 else 2
            closed = enrol.end is not None
            rows[Enrolment].append(
                (
                    eid, did, dispositifs[enrol.code],
                    EnrolmentStatus.CLOSED.value if closed else EnrolmentStatus.IN_PROGRESS.value,
                    current_phase, pick_ref(K.REFERRER, structure), enrol.interview, enrol.entry,
                    pick_ref(K.SOLICITATION_REASON, structure),
                    rng.choice(PRESCRIBERS) if rng.random() < 0.4 else "",
                    self.counsellor_names.get(young.referent, "") if rng.random() < 0.5 else "",
                    pick_ref(K.PROJECT_TYPE, structure) if rng.random() < 0.7 else None,
                    enrol.end, enrol.reason, created_at, created_by, updated_at, updated_by,
                    max(1, len(done)),
                )
            )  # fmt: skip
            if enrol.code != CEP_CODE:
                continue
            if enrol.direct_phase3:
                rows[PhasePeriod].append((next_period, eid, 3, enrol.entry, enrol.end))
                next_period += 1
                continue
            phase2_end = enrol.phase3 - days(1) if enrol.phase3 else enrol.end
            rows[PhasePeriod].append((next_period, eid, 2, enrol.entry, phase2_end))
            next_period += 1
            if enrol.phase3:
                rows[PhasePeriod].append((next_period, eid, 3, enrol.phase3, enrol.end))
                next_period += 1
