"""Retention (décret n° 2015-59): the selection rule at its boundaries, and an anonymisation
that leaves no personal value anywhere (the dossier's rows, the audit journal before and
after) while every figure the indicators count stays the same. Both engines."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from cep_tui import config
from cep_tui.clock import FixedClock
from cep_tui.config import RetentionSettings
from cep_tui.db.models import (
    ActionPlanItem,
    Anonymisation,
    Appointment,
    AuditRecord,
    Dossier,
    Enrolment,
    Event,
    PhasePeriod,
    Proposal,
    Request,
)
from cep_tui.services import Services
from cep_tui.services.action_plan import ActionPlanInput
from cep_tui.services.dates import age_on
from cep_tui.services.dossier_audit import dossier_records
from cep_tui.services.dossiers import ComplementsInput, ContactInput
from cep_tui.services.errors import PermissionDenied
from cep_tui.services.proposals import ProposalInput
from cep_tui.services.retention import (
    ERASED,
    add_years,
    generalised_birth_date,
    personal_values_left,
)
from cep_tui.vocabulary import Right
from tests.factories import (
    TODAY,
    cep_add_input,
    event_input,
    make_dossier,
    make_enrolment,
    make_event,
    make_offer,
)

# Born on this day, a young person is 28 on TODAY (29/11/2026): due today.
BORN_28_TODAY = dt.date(1998, 11, 29)
PERSONAL = (
    "Santucci",
    "Marie-Ange",
    "3 rue Fesch",
    "20090",
    "Ajaccio",
    "06 11 22 33 44",
    "marie-ange.santucci@example.fr",
    "Mère isolée, deux enfants",
    "Sans emploi depuis 2016",
    "Craint de perdre son logement",
    "Recommandée par M. Paoli",
    "M. Paoli",
    "Mme Casanova",
    "Garde d'enfants à trouver",
    "Aide au logement",
    "Rendez-vous médical",
)


def due_numbers(services, actor, on=TODAY) -> list[str]:
    return [d.number for d in services.retention.due(actor, on).dossiers]


# -- the rule at its boundaries ----------------------------------------------------------
def test_due_on_the_28th_birthday_not_the_day_before(services, actor, structure):
    dossier = make_dossier(structure, birth_date=BORN_28_TODAY)
    assert due_numbers(services, actor, TODAY - dt.timedelta(days=1)) == []
    assert due_numbers(services, actor, TODAY) == [dossier.number]


def test_born_on_29_february(services, actor, structure):
    dossier = make_dossier(structure, birth_date=dt.date(2000, 2, 29))
    assert due_numbers(services, actor, dt.date(2028, 2, 28)) == []
    assert due_numbers(services, actor, dt.date(2028, 2, 29)) == [dossier.number]


def test_a_cep_in_progress_keeps_the_data(services, actor, structure, counsellor):
    dossier = make_dossier(structure, birth_date=BORN_28_TODAY - dt.timedelta(days=900))
    make_enrolment(dossier, counsellor, entry_date=dt.date(2020, 1, 6))
    assert due_numbers(services, actor) == []


def test_a_recent_event_keeps_the_data(services, actor, structure, counsellor):
    dossier = make_dossier(structure, birth_date=BORN_28_TODAY - dt.timedelta(days=900))
    # 12 months back from 29/11/2026 is 29/11/2025: an event that day is not recent...
    event = make_event(dossier, counsellor, event_date=dt.date(2025, 11, 29), in_progress=False)
    assert due_numbers(services, actor) == [dossier.number]
    # ... the day after it is.
    Event.update(event_date=dt.date(2025, 11, 30)).where(Event.id == event.id).execute()
    assert due_numbers(services, actor) == []


def test_an_old_event_still_in_progress_keeps_the_data(services, actor, structure, counsellor):
    dossier = make_dossier(structure, birth_date=BORN_28_TODAY - dt.timedelta(days=900))
    make_event(dossier, counsellor, event_date=dt.date(2019, 5, 2), in_progress=True)
    assert due_numbers(services, actor) == []


def test_the_numbers_come_from_the_configuration(db, clock, actor, structure, monkeypatch):
    """The system file's `[retention]` table (cep_tui.config) sets the rule's numbers."""
    dossier = make_dossier(structure, birth_date=dt.date(2000, 6, 1))  # 26 on TODAY
    assert due_numbers(Services(clock), actor) == []
    strict = RetentionSettings(upper_age=26, extra_years=0, quiet_months=1)
    monkeypatch.setattr(config, "settings", lambda: config.Settings(retention=strict))
    assert due_numbers(Services(clock), actor) == [dossier.number]


def test_only_the_structure_and_the_administrators(
    services, actor, actor_with, structure, other_structure
):
    make_dossier(other_structure, birth_date=BORN_28_TODAY)
    assert due_numbers(services, actor) == []
    with pytest.raises(PermissionDenied, match="Administrer la structure"):
        services.retention.due(actor_with(set(Right) - {Right.ADMINISTER}))


# -- anonymisation -------------------------------------------------------------------------
@pytest.fixture
def former(db, structure, counsellor):
    """Marie-Ange SANTUCCI, 30: a CEP in 2017 (phase 2 then 3, closed), its plan, an event
    and a proposal with comments, contact details and complements, all written through the
    services at the time (so the audit journal holds her personal values)."""
    past = Services(FixedClock.on(dt.date(2017, 3, 31)))
    actor = past.counsellors.sign_in(counsellor.login)
    dossier = make_dossier(
        structure,
        last_name="Santucci",
        first_name="Marie-Ange",
        birth_date=dt.date(1996, 1, 20),
        sex="F",
    )
    past.dossiers.update_contact(
        actor,
        dossier.id,
        ContactInput("3 rue Fesch", "20090", "Ajaccio", "06 11 22 33 44", PERSONAL[6]),
    )
    past.dossiers.update_complements(actor, dossier.id, ComplementsInput(PERSONAL[7], PERSONAL[8]))
    event = past.events.open(
        actor,
        dossier.id,
        event_input(counsellor.id, event_date="06/01/2017", comment=PERSONAL[9]),
    )
    cep = past.cep.add(
        actor,
        dossier.id,
        cep_add_input(
            entry_date="09/01/2017", prescriber_name="M. Paoli", referent_name="Mme Casanova"
        ),
    )
    past.action_plan.add(actor, cep.id, ActionPlanInput(PERSONAL[13], "15/03/2017", "fait"))
    offer = make_offer(structure, counsellor)
    past.proposals.propose(
        actor, dossier.id, offer.id, ProposalInput(proposed_on="10/01/2017", comment=PERSONAL[10])
    )
    past.cep.pass_to_phase_3(actor, cep.id, "01/02/2017")
    past.cep.close(actor, cep.id, "31/03/2017", "plan_action_realise")
    past.events.close(actor, event.id)
    Request.create(
        dossier=dossier, requested_on=dt.date(2017, 1, 9), subject=PERSONAL[14], status="Traitée"
    )
    Appointment.create(
        dossier=dossier,
        starts_at=dt.datetime(2017, 2, 3, 9),
        subject=PERSONAL[15],
        place="Antenne des Salines",
    )
    return dossier


def indicators() -> Counter:
    """What the reports count, dossier by dossier: each CEP's phase, exit reason, entry
    year, and the age at its entry and at each phase start and proposal."""
    figures = Counter()
    for e in Enrolment.select(Enrolment, Dossier).join(Dossier):
        born = e.dossier.birth_date
        figures[("cep", e.dossier.sex, e.phase, e.exit_reason, e.entry_date.year)] += 1
        figures[("age at entry", age_on(born, e.entry_date))] += 1
        for p in PhasePeriod.select().where(PhasePeriod.enrolment == e.id):
            figures[("phase", p.phase, p.start_date.year, age_on(born, p.start_date))] += 1
    for p in Proposal.select(Proposal, Dossier).join(Dossier):
        figures[("proposal", p.proposed_on.year, age_on(p.dossier.birth_date, p.proposed_on))] += 1
    return figures


def test_apply_erases_every_personal_value_and_keeps_the_figures(
    services, actor, former, structure, counsellor
):
    current = make_dossier(structure, last_name="Leca", first_name="Paul")  # 20, kept
    make_enrolment(current, counsellor)
    original_number = former.number
    before = indicators()
    assert any("Santucci" in (r.before or "") + (r.after or "") for r in AuditRecord.select())

    report = services.retention.apply(actor)

    assert [d.number for d in report.dossiers] == [original_number]
    assert indicators() == before
    dossier = Dossier.get_by_id(former.id)
    assert (dossier.number, dossier.last_name, dossier.first_name) == (
        f"ANON-{former.id:07d}",
        "ANONYME",
        "",
    )
    # Her birth year, bounded by the offer proposed on 10/01/2017, when she was 20 (not 21).
    assert dossier.birth_date == dt.date(1996, 1, 11)
    assert (dossier.sex, dossier.status) == ("F", "justifie")
    assert (
        Anonymisation.get(Anonymisation.dossier == former.id).anonymised_at == services.clock.now()
    )
    # No personal value left in any row about her, the audit journal included.
    rows = [
        dossier,
        *Enrolment.select().where(Enrolment.dossier == former.id),
        *ActionPlanItem.select(),
        *Event.select().where(Event.dossier == former.id),
        *Proposal.select().where(Proposal.dossier == former.id),
        *Request.select().where(Request.dossier == former.id),
        *Appointment.select().where(Appointment.dossier == former.id),
    ]
    stored = " ".join(str(value) for row in rows for value in row.__data__.values())
    records = dossier_records(former.id)
    journal = " ".join(f"{r.before} {r.after}" for r in records)
    for value in (*PERSONAL, original_number, "1996-01-20"):
        assert value not in stored, value
        assert value not in journal, value
    assert all(personal_values_left(r) == {} for r in records)
    # Who, when and what stay in the journal.
    assert [r.action for r in records][:2] == [
        "Modification des coordonnées",
        "Modification des compléments",
    ]
    assert ERASED in journal
    # The other young person is untouched.
    assert Dossier.get_by_id(current.id).last_name == "Leca"


def test_the_run_is_audited_and_the_dossier_never_found_again(services, actor, former):
    services.retention.apply(actor)

    run = AuditRecord.select().where(AuditRecord.entity == "retention").get()
    assert run.action == "Anonymisation des dossiers au-delà de la durée de conservation"
    assert '"dossiers": 1' in run.after
    assert services.dossiers.search(actor, "santucci").items == ()
    assert services.dossiers.search(actor, "anonyme").items == ()
    assert services.dossiers.search(actor, "01/01/1996").items == ()
    assert services.dossiers.search(actor, f"{former.id:07d}").items == ()
    assert services.dossiers.get(actor, former.id).anonymised
    # Applied again: nothing more to do.
    assert services.retention.apply(actor).count == 0


def test_a_dry_run_changes_nothing(services, actor, former, audit_count):
    before = audit_count()
    assert due_numbers(services, actor) == [former.number]
    assert audit_count() == before
    assert Dossier.get_by_id(former.id).last_name == "Santucci"


@pytest.mark.parametrize(
    ("born", "facts"),
    [
        (dt.date(2000, 3, 20), [dt.date(2018, 3, 10)]),  # entry 10 days before 18
        (dt.date(2000, 3, 20), [dt.date(2018, 3, 20), dt.date(2022, 3, 19)]),
        (dt.date(2000, 2, 29), [dt.date(2018, 2, 28), dt.date(2024, 2, 29)]),
        (dt.date(1999, 12, 31), [dt.date(2017, 12, 30)]),
    ],
)
def test_the_generalised_birth_date_keeps_every_age(born, facts):
    general = generalised_birth_date(born, facts)
    assert general.year == born.year
    assert general <= born
    assert [age_on(general, f) for f in facts] == [age_on(born, f) for f in facts]


def test_add_years_on_29_february():
    assert add_years(dt.date(2000, 2, 29), 1) == dt.date(2001, 3, 1)
    assert add_years(dt.date(2000, 2, 29), 4) == dt.date(2004, 2, 29)
