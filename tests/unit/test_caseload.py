"""« Mes jeunes » (issue 15): the counsellor's young people in CEP, their phase today, days
in it, last event and alerts, in the order asked; on both engines."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from cep_tui.config import CaseloadThresholds, Settings
from cep_tui.services import caseload
from cep_tui.services.caseload import Alert, CaseloadOrder, CaseloadService, birthday
from cep_tui.services.dates import age_on
from tests.factories import TODAY, make_dossier, make_enrolment, make_event


def test_my_young_people_in_cep_with_their_alerts(services, actor, structure, counsellor,
                                                  colleague):  # fmt: skip
    quiet = make_dossier(structure, referent=counsellor, last_name="Leca")
    make_enrolment(quiet, counsellor, entry_date=dt.date(2026, 3, 2))
    make_event(quiet, counsellor, event_date=dt.date(2026, 9, 29), in_progress=False)
    busy = make_dossier(structure, referent=counsellor, last_name="Paoli",
                        birth_date=dt.date(2001, 1, 20))  # fmt: skip
    make_enrolment(busy, counsellor, entry_date=dt.date(2026, 5, 4),
                   phase_3_start=dt.date(2026, 7, 1))  # fmt: skip
    make_event(busy, counsellor, event_date=dt.date(2026, 11, 20), in_progress=False)
    make_event(busy, counsellor, event_date=dt.date(2026, 12, 20))  # planned: not "last"
    planned = make_dossier(structure, referent=counsellor, last_name="Mattei")
    make_enrolment(planned, counsellor, entry_date=dt.date(2026, 10, 5),
                   phase_3_start=dt.date(2026, 12, 15))  # fmt: skip
    make_event(planned, counsellor, event_date=dt.date(2026, 11, 28), in_progress=False)
    # Not mine, not in progress, or another dispositif: left out.
    theirs = make_dossier(structure, referent=colleague)
    make_enrolment(theirs, colleague)
    closed = make_dossier(structure, referent=counsellor)
    make_enrolment(closed, counsellor, status="cloture", end_date=TODAY, exit_reason="deces")
    other = make_dossier(structure, referent=counsellor)
    make_enrolment(other, counsellor, dispositif="EMPLOI_AVENIR")

    rows = services.caseload.mine(actor)

    assert [(r.last_name, r.phase, r.days_in_phase, r.last_event) for r in rows] == [
        ("Leca", 2, (TODAY - dt.date(2026, 3, 2)).days, dt.date(2026, 9, 29)),
        ("Paoli", 3, (TODAY - dt.date(2026, 7, 1)).days, dt.date(2026, 11, 20)),
        ("Mattei", 2, (TODAY - dt.date(2026, 10, 5)).days, dt.date(2026, 11, 28)),
    ]
    assert [r.alerts for r in rows] == [
        ((Alert.QUIET, "60 j sans év."), (Alert.LONG_PHASE_2, "ph. 2 > 6 mois")),
        ((Alert.TURNING_26, "26 ans le 20/01/2027"),),
        (),
    ]
    assert [r.last_name for r in services.caseload.mine(actor, CaseloadOrder.NAME)] == [
        "Leca",
        "Mattei",
        "Paoli",
    ]
    assert [r.last_name for r in services.caseload.mine(actor, CaseloadOrder.LAST_EVENT)] == [
        "Leca",
        "Paoli",
        "Mattei",
    ]


def test_thresholds_come_from_the_configuration(clock, actor, structure, counsellor, monkeypatch):
    """The `[caseload]` table of the configuration (cep_tui.config) sets the thresholds."""
    dossier = make_dossier(structure, referent=counsellor)
    make_enrolment(dossier, counsellor, entry_date=dt.date(2026, 10, 1))
    make_event(dossier, counsellor, event_date=dt.date(2026, 11, 9), in_progress=False)
    (row,) = CaseloadService(clock).mine(actor)
    assert row.alerts == ()
    strict = CaseloadThresholds(quiet_days=15, phase_2_months=1)
    monkeypatch.setattr(caseload, "settings", lambda: Settings(caseload=strict))

    (row,) = CaseloadService(clock).mine(actor)

    assert [alert for alert, _ in row.alerts] == [Alert.QUIET, Alert.LONG_PHASE_2]


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_the_26th_birthday_is_the_day_age_on_says(birth):
    """Born on 29 February: 26 on 1 March in other years, as everywhere else (age_on)."""
    turns = birthday(birth, 26)
    assert age_on(birth, turns) == 26
    assert age_on(birth, turns - dt.timedelta(days=1)) == 25
