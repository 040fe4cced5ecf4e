"""The CEP indicators (issue 15), on both engines: every figure of every breakdown equals a
plain Python recount from the rows of the demonstration data, for random periods and scopes
(hypothesis), periods that start or end inside a phase included; plus a CEP closed on its
entry day and a phase 3 planned after the period, and the refusals."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cep_tui import demo
from cep_tui.clock import FixedClock
from cep_tui.db.models import (
    Counsellor,
    DispositifType,
    Dossier,
    Enrolment,
    Offer,
    PhasePeriod,
    Proposal,
    ReferenceValue,
)
from cep_tui.services import Services
from cep_tui.services.dates import age_on
from cep_tui.services.errors import PermissionDenied, ValidationError
from cep_tui.services.indicators import Dimension, Duration, Figures, Scope
from cep_tui.vocabulary import CEP_CODE, EducationLevel, ExitReason, ReferenceKind, Residence
from tests.factories import make_dossier, make_enrolment

TODAY = dt.date(2026, 11, 29)
CLOCK = FixedClock.on(TODAY)


@pytest.fixture
def demo_data(db):
    """The demonstration data, every counsellor allowed the structure's figures, plus the
    cases the demonstration lacks: a CEP closed on its entry day, one that entered
    directly in phase 3, and profiles of every value (drawn here, so that each breakdown
    has several groups whatever the demonstration fills)."""
    demo.populate(CLOCK, seed=2016)
    Counsellor.update(right_view_indicators=True).execute()
    dupont = Counsellor.get(Counsellor.login == "c.dupont")
    structure = dupont.structure
    one_day = make_dossier(structure, referent=dupont, birth_date=dt.date(2008, 3, 1))
    make_enrolment(
        one_day,
        dupont,
        entry_date=dt.date(2026, 3, 10),
        status="cloture",
        end_date=dt.date(2026, 3, 10),
        exit_reason=ExitReason.MOVED_AWAY.value,
    )
    direct = make_dossier(structure, referent=dupont, birth_date=dt.date(1999, 12, 2))
    make_enrolment(
        direct,
        dupont,
        phase=3,
        entry_date=dt.date(2026, 2, 2),
        status="cloture",
        end_date=dt.date(2026, 8, 31),
        exit_reason=ExitReason.DEATH.value,
    )
    rng = random.Random(15)
    for dossier_id in [d.id for d in Dossier.select(Dossier.id).order_by(Dossier.id)]:
        Dossier.update(
            education_level=rng.choice(list(EducationLevel)).value,
            qpv=rng.choice(list(Residence)).value,
            zrr=rng.choice(list(Residence)).value,
        ).where(Dossier.id == dossier_id).execute()
    return Services(CLOCK)


# -- the recount: the definitions of cep_tui.services.indicators, in plain Python -----------
def _band(age: int) -> str:
    return "<18" if age < 18 else "18-21" if age <= 21 else "22-25" if age <= 25 else "26+"


def _duration(values: list[int]) -> Duration:
    if not values:
        return Duration()
    return Duration(
        len(values), round(statistics.mean(values), 1), round(statistics.median(values), 1)
    )


def recount(actor, start: dt.date, end: dt.date, scope: Scope) -> dict:
    """{(dimension, key): Figures} from every row, read whole."""
    dossiers = {
        d.id: d
        for d in Dossier.select()
        if d.structure_id == actor.structure_id
        and (scope is Scope.STRUCTURE or d.referent_id == actor.id)
    }
    cep_type = DispositifType.get(DispositifType.code == CEP_CODE).id
    phase_3 = {p.enrolment_id: p.start_date for p in PhasePeriod.select() if p.phase == 3}
    groups: dict = defaultdict(lambda: defaultdict(int))
    durations: dict = defaultdict(lambda: defaultdict(list))

    def keys(dossier, day, enrolment=None):
        found = [
            ("total", ""),
            ("sex", dossier.sex),
            ("age", _band(age_on(dossier.birth_date, day))),
            ("education_level", dossier.education_level),
            ("qpv", dossier.qpv),
            ("zrr", dossier.zrr),
            ("referent", str(dossier.referent_id or "")),
        ]
        if enrolment is not None:
            found += [
                ("referrer", str(enrolment.referrer_id)),
                ("reason", str(enrolment.solicitation_reason_id)),
                ("project", str(enrolment.project_type_id or "")),
            ]
        return found

    for e in Enrolment.select():
        if e.dispositif_id != cep_type or e.dossier_id not in dossiers:
            continue
        p3 = phase_3.get(e.id)
        had_phase_2 = p3 is None or p3 > e.entry_date
        counted = {
            "entries": start <= e.entry_date <= end,
            "entries_phase_2": start <= e.entry_date <= end and had_phase_2,
            "entries_phase_3": start <= e.entry_date <= end and not had_phase_2,
            "passes_to_phase_3": had_phase_2 and p3 is not None and start <= p3 <= end,
            "stock": e.entry_date <= end and (e.end_date is None or e.end_date > end),
            "exits": e.end_date is not None and start <= e.end_date <= end,
        }
        in_phase_3 = p3 is not None and p3 <= end
        counted["stock_phase_2"] = counted["stock"] and not in_phase_3
        counted["stock_phase_3"] = counted["stock"] and in_phase_3
        for reason in ExitReason:
            counted[reason] = counted["exits"] and e.exit_reason == reason.value
        for key in keys(dossiers[e.dossier_id], e.entry_date, e):
            for name, yes in counted.items():
                groups[key][name] += int(yes)
            if counted["exits"]:
                last_of_phase_2 = p3 - dt.timedelta(days=1) if p3 else e.end_date
                durations[key]["days_all"].append((e.end_date - e.entry_date).days + 1)
                if had_phase_2:
                    durations[key]["days_phase_2"].append((last_of_phase_2 - e.entry_date).days + 1)
                if p3 is not None:
                    durations[key]["days_phase_3"].append((e.end_date - p3).days + 1)

    cep_measure = ReferenceValue.get(
        (ReferenceValue.kind == ReferenceKind.NATIONAL_MEASURE.value)
        & (ReferenceValue.code == CEP_CODE)
    ).id
    cep_offers = {o.id for o in Offer.select() if o.national_measure_id == cep_measure}
    proposals: dict[int, list[dt.date]] = defaultdict(list)
    for p in Proposal.select():
        if p.offer_id in cep_offers and p.dossier_id in dossiers and start <= p.proposed_on <= end:
            proposals[p.dossier_id].append(p.proposed_on)
    for dossier_id, days in proposals.items():
        for key in keys(dossiers[dossier_id], min(days)):
            groups[key]["phase_1_young"] += 1
            groups[key]["phase_1_proposals"] += len(days)

    result = {}
    for key in set(groups) | set(durations):
        counts = groups[key]
        phase_1 = key[0] not in ("referrer", "reason", "project")
        result[key] = Figures(
            phase_1_young=counts["phase_1_young"] if phase_1 else None,
            phase_1_proposals=counts["phase_1_proposals"] if phase_1 else None,
            entries=counts["entries"],
            entries_phase_2=counts["entries_phase_2"],
            entries_phase_3=counts["entries_phase_3"],
            passes_to_phase_3=counts["passes_to_phase_3"],
            stock=counts["stock"],
            stock_phase_2=counts["stock_phase_2"],
            stock_phase_3=counts["stock_phase_3"],
            exits=counts["exits"],
            exits_by_reason={r: counts[r] for r in ExitReason},
            days_all=_duration(durations[key]["days_all"]),
            days_phase_2=_duration(durations[key]["days_phase_2"]),
            days_phase_3=_duration(durations[key]["days_phase_3"]),
        )
    return result


def recount_months(actor, scope: Scope, months, end: dt.date) -> list[tuple[int, int]]:
    """(entries, exits) of each month of the sparkline up to the period's last day `end`,
    from every row."""
    cep_type = DispositifType.get(DispositifType.code == CEP_CODE).id
    mine = {
        d.id
        for d in Dossier.select()
        if d.structure_id == actor.structure_id
        and (scope is Scope.STRUCTURE or d.referent_id == actor.id)
    }
    ceps = [e for e in Enrolment.select() if e.dispositif_id == cep_type and e.dossier_id in mine]

    def in_month(day, first) -> bool:
        return day is not None and (day.year, day.month) == (first.year, first.month)

    return [
        (
            sum(1 for e in ceps if in_month(e.entry_date, m.month) and e.entry_date <= end),
            sum(1 for e in ceps if in_month(e.end_date, m.month) and e.end_date <= end),
        )
        for m in months
    ]


def computed(indicators) -> dict:
    """{(dimension, key): Figures} of the service, groups without any figure left out."""
    result = {("total", ""): indicators.total}
    for breakdown in indicators.breakdowns:
        for group in breakdown.groups:
            result[(breakdown.dimension.value, group.key)] = group.figures
    return result


def assert_same(indicators, expected: dict) -> None:
    got = computed(indicators)
    for key in set(got) | set(expected):
        blank = (
            Figures() if key[0] not in ("referrer", "reason", "project") else Figures(None, None)
        )
        assert got.get(key, blank) == expected.get(key, blank), key


# -- the property ----------------------------------------------------------------------------
def _landmarks() -> list[dt.date]:
    """Days where a phase starts or ends (and their neighbours), so that periods often
    start or end inside a phase, on its first or its last day."""
    days = set()
    for p in PhasePeriod.select():
        for day in (p.start_date, p.end_date):
            if day:
                days |= {day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)}
    return sorted(days)


def test_every_indicator_equals_a_recount(demo_data):
    landmarks = _landmarks()
    actors = [demo_data.counsellors.sign_in(login) for login in ("c.dupont", "m.bernard")]
    days = st.one_of(
        st.sampled_from(landmarks),
        st.dates(min_value=dt.date(2024, 6, 1), max_value=dt.date(2027, 3, 31)),
    )

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        first=days,
        length=st.one_of(st.integers(0, 40), st.integers(0, 800)),
        actor=st.sampled_from(actors),
        scope=st.sampled_from(list(Scope)),
    )
    def check(first, length, actor, scope):
        last = first + dt.timedelta(days=length)
        indicators = demo_data.indicators.compute(actor, first, last, scope)
        assert_same(indicators, recount(actor, first, last, scope))
        assert [(m.entries, m.exits) for m in indicators.months] == recount_months(
            actor, scope, indicators.months, last
        )

    check()


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),  # the year
        (dt.date(2026, 3, 10), dt.date(2026, 3, 10)),  # the day a CEP entered and ended
        (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),  # phase 3 planned after the period
    ],
)
def test_named_periods_equal_a_recount(demo_data, first, last):
    actor = demo_data.counsellors.sign_in("c.dupont")
    for scope in Scope:
        indicators = demo_data.indicators.compute(actor, first, last, scope)
        assert_same(indicators, recount(actor, first, last, scope))


def test_a_cep_closed_on_its_entry_day_lasted_one_day(demo_data):
    actor = demo_data.counsellors.sign_in("c.dupont")
    day = dt.date(2026, 3, 10)
    figures = demo_data.indicators.compute(actor, day, day, Scope.STRUCTURE).total
    assert figures.entries >= 1 and figures.exits >= 1
    assert figures.exits_by_reason[ExitReason.MOVED_AWAY] >= 1
    assert figures.days_all.count >= 1 and min(figures.days_all.median, 1) == 1


def test_a_phase_3_planned_after_the_period_counts_in_phase_2(demo_data):
    """The demonstration holds CEPs whose phase 3 starts after today: in a period ending
    today they are in the stock of phase 2, and not yet passed to phase 3."""
    actor = demo_data.counsellors.sign_in("c.dupont")
    planned = [p for p in PhasePeriod.select() if p.phase == 3 and p.start_date > TODAY]
    assert planned
    before = demo_data.indicators.compute(actor, TODAY, TODAY, Scope.STRUCTURE).total
    after = demo_data.indicators.compute(
        actor, TODAY, max(p.start_date for p in planned), Scope.STRUCTURE
    ).total
    assert after.passes_to_phase_3 - before.passes_to_phase_3 >= len(planned)
    assert before.stock_phase_2 >= len(planned)


def test_every_breakdown_is_there_in_order(demo_data):
    actor = demo_data.counsellors.sign_in("c.dupont")
    indicators = demo_data.indicators.compute(actor, "01/01/2026", "31/12/2026", "structure")
    assert [b.dimension for b in indicators.breakdowns] == list(Dimension)
    assert [g.label for g in indicators.breakdown(Dimension.AGE).groups] == [
        "Moins de 18 ans",
        "18 – 21 ans",
        "22 – 25 ans",
        "26 ans et plus",
    ]
    assert len(indicators.months) == 12
    assert sum(m.entries for m in indicators.months) == indicators.total.entries
    assert indicators.breakdown(Dimension.REFERRER).groups[0].figures.phase_1_young is None


# -- refusals ----------------------------------------------------------------------------
def test_the_structure_needs_its_right(services, actor, counsellor):
    Counsellor.update(right_view_indicators=False).where(Counsellor.id == counsellor.id).execute()
    assert services.indicators.scopes(actor) == (Scope.MINE,)
    with pytest.raises(PermissionDenied) as refusal:
        services.indicators.compute(actor, "01/01/2026", "31/12/2026", "structure")
    assert refusal.value.message == (
        "Action refusée : il vous manque le droit « Consulter les indicateurs de la structure »."
    )
    assert services.indicators.compute(actor, "01/01/2026", "31/12/2026", "mine").total.entries == 0


@pytest.mark.parametrize(
    ("start", "end", "scope", "errors"),
    [
        ("", "31/12/2026", "mine", {"start": "Date de début : ce champ est obligatoire."}),
        ("01/01/2026", "31/02/2026", "mine", {"end": "Date de fin : 31/02/2026 n'existe pas."}),
        (
            "02/01/2026",
            "01/01/2026",
            "mine",
            {"end": "Période : la date de fin doit être postérieure ou égale à la date de début."},
        ),
        (
            "01/01/2026",
            "31/12/2026",
            "tout",
            {"scope": "Périmètre : choisir « Mes jeunes » ou « Toute la structure »."},
        ),
    ],
)  # fmt: skip
def test_bad_periods_are_refused_in_french(services, actor, start, end, scope, errors):
    with pytest.raises(ValidationError) as refusal:
        services.indicators.compute(actor, start, end, scope)
    assert refusal.value.field_errors == errors
