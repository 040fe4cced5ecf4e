"""Issue 17, point 3: the retention changes no indicator. The indicators service (issue 15)
gives the same figures, breakdowns and months before and after `retention --apply`, for
every period that holds the anonymised young people's CEPs (each year of them, the whole
span, a month, a period across years), for the structure and for a counsellor's own young
people. Both engines: on the demonstration (its former young people past the limit) and
on Marie-Ange SANTUCCI (tests/unit/test_retention.py: proposals, phase 3, a plan)."""

from __future__ import annotations

import datetime as dt

from cep_tui import demo
from cep_tui.db.models import Enrolment
from cep_tui.services import Services
from cep_tui.services.indicators import Scope
from tests.factories import TODAY
from tests.unit.test_retention import former  # noqa: F401 (the fixture)


def periods(first_year: int) -> list[tuple[dt.date, dt.date]]:
    """Each year from `first_year` to today's, the whole span, the first year's March, and
    a period across two years."""
    years = [(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in range(first_year, TODAY.year + 1)]
    return [
        *years,
        (dt.date(first_year, 1, 1), TODAY),
        (dt.date(first_year, 3, 1), dt.date(first_year, 3, 31)),
        (dt.date(first_year, 7, 1), dt.date(first_year + 1, 6, 30)),
    ]


def every_indicator(services, actors, first_year: int) -> dict:
    """Every period, for each counsellor in each scope they may choose."""
    return {
        (actor.login, scope, start, end): services.indicators.compute(actor, start, end, scope)
        for actor in actors
        for scope in services.indicators.scopes(actor)
        for start, end in periods(first_year)
    }


def test_the_demonstration_s_indicators_are_the_same_after_the_retention(db, clock):
    demo.populate(clock, seed=2016)
    services = Services(clock)
    admin = services.counsellors.sign_in(demo.DEFAULT_LOGIN)
    due = services.retention.due(admin).dossiers
    assert due
    first_year = min(
        e.entry_date.year
        for e in Enrolment.select().where(Enrolment.dossier.in_([d.id for d in due]))
    )
    signed_in = [services.counsellors.sign_in(login) for login in demo.DEMO_LOGINS]
    referents = [a for a in signed_in if a.structure_id == admin.structure_id]
    assert len(referents) > 1
    before = every_indicator(services, referents, first_year)
    assert any(not figures.total.empty for figures in before.values())

    assert services.retention.apply(admin).count == len(due)

    assert every_indicator(services, referents, first_year) == before


def test_a_former_young_person_s_indicators_are_the_same_after_the_retention(
    services,
    actor,
    former,  # noqa: F811
):
    before = every_indicator(services, [actor], 2017)
    year_2017 = (actor.login, Scope.STRUCTURE, dt.date(2017, 1, 1), dt.date(2017, 12, 31))
    assert before[year_2017].total.exits == 1

    assert services.retention.apply(actor).count == 1

    assert every_indicator(services, [actor], 2017) == before
