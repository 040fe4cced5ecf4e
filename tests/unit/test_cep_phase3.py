"""Passer en phase 3: only from phase 2, at least the day after the phase-2 entry, possibly
in the future; phase 2 then ends on the eve; no way back."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.services.errors import RuleViolation, ValidationError
from cep_tui.services.views import PhaseView
from cep_tui.vocabulary import EnrolmentStatus
from tests.factories import CEP_ENTRY_DATE, make_enrolment, make_event

PHASE_3_TITLE = "CEP ACCOMPAGNEMENT PERSONNALISÉ VERS LA MISE EN ŒUVRE DU PROJET (EN COURS)"
NO_WAY_BACK = "Le dispositif est déjà en phase 3 : le retour en phase 2 n'est pas possible."
TOO_EARLY = (
    "Date de début de la phase 3 : au plus tôt le lendemain de l'entrée en phase 2, "
    "soit le 02/10/2026."
)


@pytest.fixture
def enrolment(dossier, counsellor):
    """A CEP in phase 2 since 01/10/2026."""
    return make_enrolment(dossier, counsellor)


def test_pass_on_the_day_after_phase_2_entry(services, actor, enrolment):
    view = services.cep.pass_to_phase_3(actor, enrolment.id, "02/10/2026")

    assert view.phase == 3
    assert view.title == PHASE_3_TITLE
    assert view.entry_date == CEP_ENTRY_DATE
    assert view.current_phase_start == dt.date(2026, 10, 2)
    assert view.phases == (
        PhaseView(2, CEP_ENTRY_DATE, CEP_ENTRY_DATE),
        PhaseView(3, dt.date(2026, 10, 2), None),
    )
    assert view.past_phases == (PhaseView(2, CEP_ENTRY_DATE, CEP_ENTRY_DATE),)
    assert view.version == enrolment.version + 1


def test_phase_2_ends_on_the_eve_of_phase_3(services, actor, enrolment):
    view = services.cep.pass_to_phase_3(actor, enrolment.id, dt.date(2026, 11, 15))

    assert view.past_phases == (PhaseView(2, CEP_ENTRY_DATE, dt.date(2026, 11, 14)),)


def test_phase_3_may_start_in_the_future(services, actor, enrolment):
    view = services.cep.pass_to_phase_3(actor, enrolment.id, "15/01/2027")

    assert view.phase == 3
    assert view.phases == (
        PhaseView(2, CEP_ENTRY_DATE, dt.date(2027, 1, 14)),
        PhaseView(3, dt.date(2027, 1, 15), None),
    )


@pytest.mark.parametrize("start", ["01/10/2026", "30/09/2026", "01/01/2020"])
def test_start_not_after_phase_2_entry_refused(services, actor, enrolment, start):
    with pytest.raises(ValidationError) as refusal:
        services.cep.pass_to_phase_3(actor, enrolment.id, start)
    assert refusal.value.field_errors == {"start_date": TOO_EARLY}


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("", "Date de début de la phase 3 : ce champ est obligatoire."),
        (None, "Date de début de la phase 3 : ce champ est obligatoire."),
        ("32/10/2026", "Date de début de la phase 3 : 32/10/2026 n'existe pas."),
        ("1er/10", "Date de début de la phase 3 : date invalide, saisir jj/mm/aaaa."),
    ],
)
def test_start_date_required_and_valid(services, actor, enrolment, start, message):
    with pytest.raises(ValidationError) as refusal:
        services.cep.pass_to_phase_3(actor, enrolment.id, start)
    assert refusal.value.field_errors == {"start_date": message}


def test_refused_from_a_direct_entry_in_phase_3(services, actor, dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor, phase=3)

    with pytest.raises(RuleViolation) as refusal:
        services.cep.pass_to_phase_3(actor, enrolment.id, "02/10/2026")
    assert refusal.value.message == NO_WAY_BACK


def test_no_way_back_once_in_phase_3(services, actor, enrolment):
    services.cep.pass_to_phase_3(actor, enrolment.id, "02/10/2026")

    with pytest.raises(RuleViolation) as refusal:
        services.cep.pass_to_phase_3(actor, enrolment.id, "03/10/2026")
    assert refusal.value.message == NO_WAY_BACK
    assert services.cep.get(actor, enrolment.id).phase == 3


def test_refused_when_closed(services, actor, dossier, counsellor):
    enrolment = make_enrolment(
        dossier,
        counsellor,
        status=EnrolmentStatus.CLOSED,
        end_date=dt.date(2026, 11, 1),
        exit_reason="deces",
    )

    with pytest.raises(RuleViolation) as refusal:
        services.cep.pass_to_phase_3(actor, enrolment.id, "02/10/2026")
    assert refusal.value.message == "Ce dispositif est clôturé : il ne peut plus être modifié."


def test_passage_is_recorded_in_the_event_in_progress(
    services, actor, dossier, counsellor, enrolment
):
    make_event(dossier, counsellor)

    services.cep.pass_to_phase_3(actor, enrolment.id, "15/01/2027")

    (action,) = services.events.in_progress(actor, dossier.id).actions
    assert (action.kind_label, action.description) == (
        "Passage en phase 3",
        "CEP, phase 3 à partir du 15/01/2027",
    )
