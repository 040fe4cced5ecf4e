"""Clôturer: Date de fin réelle (required, never in the future, not before the current
phase's entry) and exactly one of the five Motifs de sortie; closed is read-only."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.db.models import Enrolment
from cep_tui.services.errors import RuleViolation, ValidationError
from cep_tui.services.views import PhaseView
from cep_tui.vocabulary import EnrolmentStatus, ExitReason
from tests.factories import CEP_ENTRY_DATE, TODAY, make_enrolment, make_event

CLOSED_IS_READ_ONLY = "Ce dispositif est clôturé : il ne peut plus être modifié."
BAD_REASON = "Motif de sortie : choisir un motif dans la liste."


@pytest.fixture
def enrolment(dossier, counsellor):
    """A CEP in phase 2 since 01/10/2026."""
    return make_enrolment(dossier, counsellor)


def test_close_in_phase_2(services, actor, enrolment):
    view = services.cep.close(actor, enrolment.id, "29/11/2026", ExitReason.ACTION_PLAN_COMPLETED)

    assert not view.in_progress
    assert view.title == "CEP CONSEIL PERSONNALISÉ (CLÔTURÉ)"
    assert view.end_date == TODAY
    assert view.exit_reason_label == "Plan d'action réalisé"
    assert view.phases == (PhaseView(2, CEP_ENTRY_DATE, TODAY),)
    assert view.actions == ()


def test_close_in_phase_3(services, actor, dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor, phase_3_start=dt.date(2026, 11, 2))

    view = services.cep.close(actor, enrolment.id, "02/11/2026", "demenagement")

    assert view.title == (
        "CEP ACCOMPAGNEMENT PERSONNALISÉ VERS LA MISE EN ŒUVRE DU PROJET (CLÔTURÉ)"
    )
    assert view.phases == (
        PhaseView(2, CEP_ENTRY_DATE, dt.date(2026, 11, 1)),
        PhaseView(3, dt.date(2026, 11, 2), dt.date(2026, 11, 2)),
    )


@pytest.mark.parametrize(
    ("reason", "label"),
    [
        ("deces", "Décès"),
        ("demenagement", "Déménagement"),
        ("interruption_constatee", "Interruption constatée"),
        ("interruption_formalisee", "Interruption formalisée"),
        ("plan_action_realise", "Plan d'action réalisé"),
    ],
)
def test_each_of_the_five_exit_reasons_accepted(services, actor, enrolment, reason, label):
    assert services.cep.close(actor, enrolment.id, TODAY, reason).exit_reason_label == label


def test_there_are_exactly_five_exit_reasons():
    assert [r.label for r in ExitReason] == [
        "Décès",
        "Déménagement",
        "Interruption constatée",
        "Interruption formalisée",
        "Plan d'action réalisé",
    ]


@pytest.mark.parametrize("reason", [None, "", "Décès", "autre", "DECES", "mutation"])
def test_any_other_exit_reason_refused(services, actor, enrolment, reason):
    with pytest.raises(ValidationError) as refusal:
        services.cep.close(actor, enrolment.id, TODAY, reason)
    assert refusal.value.field_errors == {"exit_reason": BAD_REASON}


@pytest.mark.parametrize(
    ("end", "message"),
    [
        (None, "Date de fin réelle : ce champ est obligatoire."),
        ("  ", "Date de fin réelle : ce champ est obligatoire."),
        ("29-11", "Date de fin réelle : date invalide, saisir jj/mm/aaaa."),
        ("31/11/2026", "Date de fin réelle : 31/11/2026 n'existe pas."),
    ],
)
def test_end_date_required_and_valid(services, actor, enrolment, end, message):
    with pytest.raises(ValidationError) as refusal:
        services.cep.close(actor, enrolment.id, end, "deces")
    assert refusal.value.field_errors == {"end_date": message}


@pytest.mark.parametrize("end", ["30/11/2026", "01/01/2027"])
def test_end_date_in_the_future_refused(services, actor, enrolment, end):
    with pytest.raises(ValidationError) as refusal:
        services.cep.close(actor, enrolment.id, end, "deces")
    assert refusal.value.field_errors == {
        "end_date": "Date de fin réelle : la clôture ne peut pas être saisie par anticipation."
    }


def test_end_date_before_phase_2_entry_refused(services, actor, enrolment):
    with pytest.raises(ValidationError) as refusal:
        services.cep.close(actor, enrolment.id, "30/09/2026", "deces")
    assert refusal.value.field_errors == {
        "end_date": "Date de fin réelle : doit être postérieure ou égale à la date d'entrée en "
        "phase 2 (01/10/2026)."
    }


def test_end_date_on_the_entry_date_accepted(services, actor, enrolment):
    assert services.cep.close(actor, enrolment.id, "01/10/2026", "deces").end_date == (
        CEP_ENTRY_DATE
    )


def test_end_date_before_phase_3_entry_refused(services, actor, dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor, phase_3_start=dt.date(2026, 11, 2))

    with pytest.raises(ValidationError) as refusal:
        services.cep.close(actor, enrolment.id, "01/11/2026", "deces")
    assert refusal.value.field_errors == {
        "end_date": "Date de fin réelle : doit être postérieure ou égale à la date d'entrée en "
        "phase 3 (02/11/2026)."
    }


def test_errors_on_both_fields_at_once(services, actor, enrolment):
    with pytest.raises(ValidationError) as refusal:
        services.cep.close(actor, enrolment.id, "", "")
    assert set(refusal.value.field_errors) == {"end_date", "exit_reason"}


@pytest.mark.parametrize("end", ["29/11/2026", "15/01/2027", ""])
def test_phase_3_planned_in_the_future_refused_plainly(services, actor, enrolment, end):
    services.cep.pass_to_phase_3(actor, enrolment.id, "15/01/2027")

    with pytest.raises(RuleViolation) as refusal:
        services.cep.close(actor, enrolment.id, end, "deces")
    assert refusal.value.message == (
        "Le passage en phase 3 est prévu le 15/01/2027 : le dispositif ne pourra être "
        "clôturé qu'à partir de cette date."
    )
    assert refusal.value.field_errors == {}


def test_phase_3_starting_today_can_be_closed_today(services, actor, enrolment):
    services.cep.pass_to_phase_3(actor, enrolment.id, TODAY)

    assert not services.cep.close(actor, enrolment.id, TODAY, "deces").in_progress


@pytest.fixture
def closed(services, actor, enrolment):
    return services.cep.close(actor, enrolment.id, TODAY, "deces")


def test_closed_cannot_be_closed_again(services, actor, closed):
    with pytest.raises(RuleViolation) as refusal:
        services.cep.close(actor, closed.id, TODAY, "demenagement")
    assert refusal.value.message == CLOSED_IS_READ_ONLY
    assert services.cep.get(actor, closed.id).exit_reason_label == "Décès"


def test_closure_is_recorded_in_the_event_in_progress(
    services, actor, dossier, counsellor, enrolment
):
    make_event(dossier, counsellor)

    services.cep.close(actor, enrolment.id, TODAY, "interruption_formalisee")

    (action,) = services.events.in_progress(actor, dossier.id).actions
    assert (action.kind_label, action.description) == (
        "Clôture de dispositif",
        "CEP clôturé le 29/11/2026 : Interruption formalisée",
    )


def test_closed_row_is_stored_consistently(services, actor, enrolment):
    services.cep.close(actor, enrolment.id, TODAY, "deces")
    enrolment = Enrolment.get_by_id(enrolment.id)

    assert (enrolment.status, enrolment.end_date, enrolment.exit_reason) == (
        EnrolmentStatus.CLOSED.value,
        TODAY,
        "deces",
    )
