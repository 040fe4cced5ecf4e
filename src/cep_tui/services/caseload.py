"""« Mes jeunes »: the counsellor's young people in CEP, as the home screen shows them
before any search: the phase each is in today, the days in it, the last event, and the
alerts a counsellor acts on (thresholds: cep_tui.config.CaseloadThresholds). One query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from peewee import JOIN, fn

from cep_tui.config import CaseloadThresholds, settings
from cep_tui.db.models import DispositifType, Dossier, Enrolment, Event, PhasePeriod
from cep_tui.services.actor import Actor
from cep_tui.services.base import ServiceBase
from cep_tui.services.dates import format_date
from cep_tui.text import fold
from cep_tui.vocabulary import CEP_CODE, EnrolmentStatus, Right


class Alert(StrEnum):
    QUIET = "quiet"
    LONG_PHASE_2 = "long_phase_2"
    TURNING_26 = "turning_26"


@dataclass(frozen=True)
class CaseloadRow:
    dossier_id: int
    number: str
    last_name: str
    first_name: str
    phase: int
    phase_start: dt.date
    days_in_phase: int
    last_event: dt.date | None
    turns_26: dt.date
    alerts: tuple[tuple[Alert, str], ...]  # each with what it says

    @property
    def full_name(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"


class CaseloadOrder(StrEnum):
    ALERTS = "alerts"
    NAME = "name"
    DAYS = "days"
    LAST_EVENT = "last_event"

    @property
    def label(self) -> str:
        return {
            "alerts": "alertes",
            "name": "nom",
            "days": "jours dans la phase",
            "last_event": "dernier évènement",
        }[self.value]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    while True:  # the 31st of a shorter month: its last day
        try:
            return dt.date(year, month, min(day.day, 31))
        except ValueError:
            day = day.replace(day=day.day - 1)


def birthday(birth: dt.date, years: int) -> dt.date:
    """The day a person born on `birth` turns `years` old, as `age_on` counts: a birthday
    on 29 February comes on 1 March in other years."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return dt.date(birth.year + years, 3, 1)


def sort_rows(rows: tuple[CaseloadRow, ...], order: CaseloadOrder) -> tuple[CaseloadRow, ...]:
    far = dt.date.min
    keys = {
        CaseloadOrder.ALERTS: lambda r: (-len(r.alerts), -r.days_in_phase, r.full_name),
        CaseloadOrder.NAME: lambda r: (fold(r.full_name), r.dossier_id),
        CaseloadOrder.DAYS: lambda r: (-r.days_in_phase, r.full_name),
        CaseloadOrder.LAST_EVENT: lambda r: (r.last_event or far, r.full_name),
    }
    return tuple(sorted(rows, key=keys[order]))


class CaseloadService(ServiceBase):
    def __init__(self, clock, thresholds: CaseloadThresholds | None = None):
        super().__init__(clock)
        self.thresholds = thresholds or settings().caseload

    def mine(
        self, actor: Actor, order: CaseloadOrder = CaseloadOrder.ALERTS
    ) -> tuple[CaseloadRow, ...]:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        today = self.clock.today()
        phase_3 = PhasePeriod.alias("phase_3")
        last_event = Event.select(fn.MAX(Event.event_date)).where(
            (Event.dossier == Dossier.id) & (Event.event_date <= today)
        )
        query = (
            Dossier.select(
                Dossier.id,
                Dossier.number,
                Dossier.last_name,
                Dossier.first_name,
                Dossier.birth_date,
                Enrolment.entry_date,
                phase_3.start_date.alias("phase_3_start"),
                last_event.alias("last_event"),
            )
            .join(Enrolment, on=(Enrolment.dossier == Dossier.id))
            .join(DispositifType, on=(DispositifType.id == Enrolment.dispositif))
            .join(
                phase_3,
                JOIN.LEFT_OUTER,
                on=(phase_3.enrolment == Enrolment.id) & (phase_3.phase == 3),
            )
            .where(
                (Dossier.referent == counsellor.id)
                & (Dossier.structure == counsellor.structure_id)
                & (Enrolment.status == EnrolmentStatus.IN_PROGRESS.value)
                & (DispositifType.code == CEP_CODE)
            )
            .objects()
        )
        return sort_rows(tuple(self._row(r, today) for r in query), order)

    def _row(self, r, today: dt.date) -> CaseloadRow:
        limits = self.thresholds
        last = r.last_event
        if isinstance(last, str):  # SQLite hands an aggregate back as text
            last = dt.date.fromisoformat(last)
        phase_3_start = r.phase_3_start
        in_phase_3 = phase_3_start is not None and phase_3_start <= today
        phase, start = (3, phase_3_start) if in_phase_3 else (2, r.entry_date)
        turns_26 = birthday(r.birth_date, 26)
        alerts = []
        if last is None or (today - last).days > limits.quiet_days:
            alerts.append((Alert.QUIET, f"{limits.quiet_days} j sans év."))
        if phase == 2 and _add_months(start, limits.phase_2_months) < today:
            alerts.append((Alert.LONG_PHASE_2, f"ph. 2 > {limits.phase_2_months} mois"))
        if turns_26 <= _add_months(today, limits.birthday_months):
            alerts.append((Alert.TURNING_26, f"26 ans le {format_date(turns_26)}"))
        return CaseloadRow(
            dossier_id=r.id,
            number=r.number,
            last_name=r.last_name,
            first_name=r.first_name,
            phase=phase,
            phase_start=start,
            days_in_phase=(today - start).days,
            last_event=last,
            turns_26=turns_26,
            alerts=tuple(alerts),
        )
