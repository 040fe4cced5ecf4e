"""The CEP indicators of a period and a scope (issue 15), as the State asks operators to
report them: phase 1 proposals, entries, passes to phase 3, stock, exits by reason and
durations, each broken down by the young people's profile and by the CEP's fields.

The figures are SQL aggregates (cep_tui.db.reporting): whatever the size of the structure,
a few hundred numbers come back, never the rows. Definitions (the period is whole days,
both ends included):
- phase 1: proposals, made in the period, of offers attached to the national measure CEP;
  the young people who had at least one;
- entries: CEPs whose date d'entrée is in the period, by phase of entry (2, or 3 directly);
- passes to phase 3: phase 3 beginning in the period after a phase 2 (a phase 3 planned
  after the period is not counted, and the CEP is in phase 2 in the stock);
- stock: CEPs in progress at the end of the period's last day, by the phase they are in
  then (stock at the end = stock before + entries - exits);
- exits: CEPs whose date de fin réelle is in the period, by each of the five reasons;
- durations of the CEPs that exited in the period, in days, first and last included (a CEP
  closed on its entry day lasted one day): in all, in phase 2 (those that had one), in
  phase 3 (those that reached it); mean and median.
- breakdowns: sex, age band at the date d'entrée (at the first proposal for phase 1),
  niveau de formation, QPV, ZRR, référent of the dossier, and for phases 2-3 the
  aiguilleur, motif de la sollicitation and type de projet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum

from cep_tui.db import reporting
from cep_tui.db.connection import database_proxy
from cep_tui.db.models import Counsellor, DispositifType, ReferenceValue, Structure
from cep_tui.services.base import ServiceBase
from cep_tui.services.converters import counsellor_name
from cep_tui.services.dates import read_date
from cep_tui.services.errors import FieldErrors
from cep_tui.services.views import Actor
from cep_tui.vocabulary import (
    CEP_CODE,
    EducationLevel,
    ExitReason,
    ReferenceKind,
    Residence,
    Right,
)


class Scope(StrEnum):
    MINE = "mine"
    STRUCTURE = "structure"

    @property
    def label(self) -> str:
        return "Mes jeunes" if self is Scope.MINE else "Toute la structure"


class Dimension(StrEnum):
    SEX = "sex"
    AGE = "age"
    EDUCATION_LEVEL = "education_level"
    QPV = "qpv"
    ZRR = "zrr"
    REFERRER = "referrer"
    REASON = "reason"
    PROJECT = "project"
    REFERENT = "referent"

    @property
    def label(self) -> str:
        return DIMENSION_LABELS[self]

    @property
    def for_phase_1(self) -> bool:
        """Whether a proposal (phase 1) has this attribute: the CEP's own fields not."""
        return self.value in reporting.DOSSIER_DIMENSIONS


DIMENSION_LABELS = {
    Dimension.SEX: "Sexe",
    Dimension.AGE: "Âge à l'entrée",
    Dimension.EDUCATION_LEVEL: "Niveau de formation",
    Dimension.QPV: "Résidant QPV",
    Dimension.ZRR: "Résidant ZRR",
    Dimension.REFERRER: "Aiguilleur",
    Dimension.REASON: "Motif de la sollicitation",
    Dimension.PROJECT: "Type de projet",
    Dimension.REFERENT: "Conseiller référent",
}
AGE_BAND_LABELS = {"<18": "Moins de 18 ans", "18-21": "18 – 21 ans", "22-25": "22 – 25 ans",
                   "26+": "26 ans et plus"}  # fmt: skip
SEX_LABELS = {"F": "Femmes", "M": "Hommes"}
NOT_GIVEN = "Non renseigné"

PERIOD_ORDER = "Période : la date de fin doit être postérieure ou égale à la date de début."
SCOPE_UNKNOWN = "Périmètre : choisir « Mes jeunes » ou « Toute la structure »."


@dataclass(frozen=True)
class Duration:
    """Days of the CEPs that exited in the period (`count` of them)."""

    count: int = 0
    mean: float | None = None
    median: float | None = None


@dataclass(frozen=True)
class Figures:
    """The indicators of one group of young people (or of all)."""

    phase_1_young: int | None = 0  # None: not applicable to this breakdown
    phase_1_proposals: int | None = 0
    entries: int = 0
    entries_phase_2: int = 0
    entries_phase_3: int = 0
    passes_to_phase_3: int = 0
    stock: int = 0
    stock_phase_2: int = 0
    stock_phase_3: int = 0
    exits: int = 0
    exits_by_reason: dict[ExitReason, int] = field(
        default_factory=lambda: dict.fromkeys(ExitReason, 0)
    )
    days_all: Duration = Duration()
    days_phase_2: Duration = Duration()
    days_phase_3: Duration = Duration()

    @property
    def empty(self) -> bool:
        return not (
            self.phase_1_young or self.entries or self.passes_to_phase_3 or self.stock
            or self.exits
        )  # fmt: skip


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class Breakdown:
    dimension: Dimension
    groups: tuple[Group, ...]

    @property
    def label(self) -> str:
        return self.dimension.label


@dataclass(frozen=True)
class MonthPoint:
    month: dt.date  # its first day
    entries: int
    exits: int


@dataclass(frozen=True)
class Indicators:
    start: dt.date
    end: dt.date
    scope: Scope
    structure_name: str
    counsellor_name: str  # whose young people, for the scope "mes jeunes"
    total: Figures
    breakdowns: tuple[Breakdown, ...]
    months: tuple[MonthPoint, ...]

    def breakdown(self, dimension: Dimension) -> Breakdown:
        return next(b for b in self.breakdowns if b.dimension is dimension)

    @property
    def scope_label(self) -> str:
        if self.scope is Scope.MINE:
            return f"Jeunes de {self.counsellor_name}"
        return self.structure_name


# At least this many months in the sparkline: a month's figures read better in their year.
SPARKLINE_MONTHS = 12


class IndicatorService(ServiceBase):
    def scopes(self, actor: Actor) -> tuple[Scope, ...]:
        """The scopes the counsellor may choose: theirs always, the structure with the
        right « Consulter les indicateurs de la structure »."""
        counsellor = self.authorize(actor)
        held = Scope.STRUCTURE if counsellor.right_view_indicators else None
        return (Scope.MINE, held) if held else (Scope.MINE,)

    def read_period(
        self, start: dt.date | str | None, end: dt.date | str | None
    ) -> tuple[dt.date, dt.date]:
        """The period typed as two dates, or ValidationError (fields start, end)."""
        errors = FieldErrors()
        first, last = _period(errors, start, end)
        errors.raise_if_any()
        return first, last

    def compute(
        self,
        actor: Actor,
        start: dt.date | str | None,
        end: dt.date | str | None,
        scope: Scope | str = Scope.MINE,
    ) -> Indicators:
        errors = FieldErrors()
        first, last = _period(errors, start, end)
        try:
            scope = Scope(scope)
        except ValueError:
            errors.add("scope", SCOPE_UNKNOWN)
        counsellor = self.authorize(actor)
        errors.raise_if_any()
        if scope is Scope.STRUCTURE:
            self.check_rights(counsellor, Right.VIEW_INDICATORS)
        where = reporting.Scope(
            counsellor.structure_id, counsellor.id if scope is Scope.MINE else None
        )
        db = database_proxy.obj
        cep_type = DispositifType.get(DispositifType.code == CEP_CODE).id
        measure = ReferenceValue.get(
            (ReferenceValue.kind == ReferenceKind.NATIONAL_MEASURE.value)
            & (ReferenceValue.code == CEP_CODE)
        ).id
        month_start = min(first.replace(day=1), _months_before(last, SPARKLINE_MONTHS - 1))
        cep_rows, month_rows = reporting.cep_figures(db, where, cep_type, first, last, month_start)
        phase_1_rows = reporting.phase_1_figures(db, where, measure, first, last)
        figures = _figures(cep_rows, phase_1_rows)
        labels = _Labels(counsellor.structure_id)
        total = figures.pop(("total", ""), Figures())
        breakdowns = tuple(
            Breakdown(dimension, labels.groups(dimension, figures)) for dimension in Dimension
        )
        return Indicators(
            start=first,
            end=last,
            scope=scope,
            structure_name=Structure.get_by_id(counsellor.structure_id).name,
            counsellor_name=counsellor_name(counsellor),
            total=total,
            breakdowns=breakdowns,
            months=_months(month_rows, month_start, last),
        )


def _period(errors: FieldErrors, start, end) -> tuple[dt.date | None, dt.date | None]:
    first = read_date(errors, "start", start, "Date de début", required=True)
    last = read_date(errors, "end", end, "Date de fin", required=True)
    if first and last and last < first:
        errors.add("end", PERIOD_ORDER)
    return first, last


def _months_before(day: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def _months(rows, start: dt.date, end: dt.date) -> tuple[MonthPoint, ...]:
    counts = {(name, month): count for name, month, count in rows}
    points = []
    month = start
    while month <= end:
        key = f"{month:%Y-%m}"
        points.append(
            MonthPoint(month, counts.get(("entries", key), 0), counts.get(("exits", key), 0))
        )
        month = _months_before(month, -1)
    return tuple(points)


def _number(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _figures(cep_rows, phase_1_rows) -> dict[tuple[str, str], Figures]:
    """The figures of each (breakdown, key) from the rows of the two statements."""
    result: dict[tuple[str, str], Figures] = {}
    size = len(reporting.CEP_COUNTS)
    for dim, key, *row in cep_rows:
        values = dict(zip(reporting.CEP_COUNTS, (int(v or 0) for v in row[:size]), strict=True))
        durations = {}
        for index, name in enumerate(reporting.DURATIONS):
            count, total, median = row[size + 3 * index : size + 3 * index + 3]
            count = int(count or 0)
            durations[name] = Duration(
                count, _number(float(total) / count) if count else None, _number(median)
            )
        result[(dim, key)] = Figures(
            phase_1_young=None,
            phase_1_proposals=None,
            **{n: values[n] for n in reporting.CEP_COUNTS if not n.startswith("exit_")},
            exits_by_reason={r: values[f"exit_{r.value}"] for r in ExitReason},
            **durations,
        )
    for dim, key, young, proposals in phase_1_rows:
        current = result.get((dim, key), Figures(phase_1_young=None, phase_1_proposals=None))
        result[(dim, key)] = _with_phase_1(current, int(young), int(proposals or 0))
    for (dim, key), current in list(result.items()):
        if (dim == "total" or dim in reporting.DOSSIER_DIMENSIONS) and (
            current.phase_1_young is None
        ):
            result[(dim, key)] = _with_phase_1(current, 0, 0)
    return result


def _with_phase_1(figures: Figures, young: int, proposals: int) -> Figures:
    return replace(figures, phase_1_young=young, phase_1_proposals=proposals)


class _Labels:
    """The groups of each breakdown, labelled: every value of the fixed lists (zeros
    included), the values of the reference lists and the counsellors that have figures."""

    def __init__(self, structure_id: int) -> None:
        self.structure_id = structure_id

    def groups(
        self, dimension: Dimension, figures: dict[tuple[str, str], Figures]
    ) -> tuple[Group, ...]:
        present = {key: f for (dim, key), f in figures.items() if dim == dimension.value}
        blank = Figures() if dimension.for_phase_1 else Figures(None, None)
        fixed = self._fixed(dimension)
        if fixed is not None:
            return tuple(Group(key, label, present.get(key, blank)) for key, label in fixed)
        labels = self._named(dimension, [k for k in present if k])
        groups = sorted(
            (Group(key, labels.get(key, NOT_GIVEN), f) for key, f in present.items() if key),
            key=lambda g: g.label.casefold(),
        )
        if "" in present:
            groups.append(Group("", NOT_GIVEN, present[""]))
        return tuple(groups)

    @staticmethod
    def _fixed(dimension: Dimension) -> list[tuple[str, str]] | None:
        if dimension is Dimension.SEX:
            return list(SEX_LABELS.items())
        if dimension is Dimension.AGE:
            return list(AGE_BAND_LABELS.items())
        if dimension is Dimension.EDUCATION_LEVEL:
            levels = [*list(EducationLevel)[1:], EducationLevel.UNKNOWN]
            return [(level.value, level.label) for level in levels]
        if dimension in (Dimension.QPV, Dimension.ZRR):
            return [(choice.value, choice.label) for choice in Residence]
        return None

    def _named(self, dimension: Dimension, keys: list[str]) -> dict[str, str]:
        ids = [int(k) for k in keys]
        if not ids:
            return {}
        if dimension is Dimension.REFERENT:
            return {
                str(c.id): counsellor_name(c)
                for c in Counsellor.select().where(Counsellor.id.in_(ids))
            }
        return {
            str(v.id): v.label for v in ReferenceValue.select().where(ReferenceValue.id.in_(ids))
        }
