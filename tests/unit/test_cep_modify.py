"""Modifier: only Aiguilleur, Motif, Nom du prescripteur, Nom du référent and Type de projet
change; dates stay; a closed dispositif is read-only; a stale edit says who saved and when."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from cep_tui.clock import FixedClock
from cep_tui.services import Services
from cep_tui.services.cep import CepModifyInput
from cep_tui.services.errors import EditConflict, RuleViolation, ValidationError
from cep_tui.vocabulary import EnrolmentStatus, ReferenceKind
from tests.factories import (
    CEP_ENTRY_DATE,
    cep_modify_input,
    make_enrolment,
    make_event,
)

K = ReferenceKind
CLOSED_IS_READ_ONLY = "Ce dispositif est clôturé : il ne peut plus être modifié."


@pytest.fixture
def enrolment(dossier, counsellor):
    return make_enrolment(
        dossier, counsellor, initial_interview_date=dt.date(2026, 9, 30), prescriber_name="Avant"
    )


def test_the_form_holds_exactly_the_five_editable_fields():
    assert [f.name for f in dataclasses.fields(CepModifyInput)] == [
        "referrer_id",
        "solicitation_reason_id",
        "prescriber_name",
        "referent_name",
        "project_type_id",
    ]


def test_modify_changes_the_five_fields_and_keeps_the_dates(
    services, actor, enrolment, colleague_actor
):
    before = services.cep.get(actor, enrolment.id)

    view = services.cep.modify(
        colleague_actor, enrolment.id, cep_modify_input(), expected_version=before.version
    )

    assert view.referrer.label == "APEC"
    assert view.solicitation_reason.label == "Rechercher une formation"
    assert view.prescriber_name == "Mme Prescriptrice"
    assert view.referent_name == "M. Référent"
    assert view.project_type.label == "Qualification"
    assert (view.entry_date, view.initial_interview_date, view.phases, view.phase) == (
        CEP_ENTRY_DATE,
        dt.date(2026, 9, 30),
        before.phases,
        2,
    )
    assert view.version == before.version + 1
    assert view.updated_by_name == "Bruno DURAND"


def test_optional_fields_may_be_emptied(services, actor, enrolment):
    view = services.cep.modify(
        actor, enrolment.id, cep_modify_input(prescriber_name="", project_type_id=None)
    )
    assert (view.prescriber_name, view.project_type) == ("", None)


def test_referrer_and_reason_stay_required(services, actor, enrolment):
    with pytest.raises(ValidationError) as refusal:
        services.cep.modify(actor, enrolment.id, CepModifyInput())
    assert refusal.value.field_errors == {
        "referrer_id": "Aiguilleur : ce champ est obligatoire.",
        "solicitation_reason_id": "Motif de la sollicitation : ce champ est obligatoire.",
    }


def test_closed_is_read_only(services, actor, dossier, counsellor):
    closed = make_enrolment(
        dossier,
        counsellor,
        status=EnrolmentStatus.CLOSED,
        end_date=dt.date(2026, 11, 1),
        exit_reason="deces",
    )

    with pytest.raises(RuleViolation) as refusal:
        services.cep.modify(actor, closed.id, cep_modify_input())
    assert refusal.value.message == CLOSED_IS_READ_ONLY


STALE_WRITES = {
    "modify": lambda s, a, e, v: s.cep.modify(a, e, cep_modify_input(), expected_version=v),
    "pass_to_phase_3": lambda s, a, e, v: s.cep.pass_to_phase_3(
        a, e, "02/10/2026", expected_version=v
    ),
    "close": lambda s, a, e, v: s.cep.close(a, e, "29/11/2026", "deces", expected_version=v),
    "delete": lambda s, a, e, v: s.cep.delete(a, e, expected_version=v),
}


@pytest.mark.parametrize("write", STALE_WRITES.values(), ids=list(STALE_WRITES))
def test_stale_version_refused_naming_who_and_when(
    db, services, actor, enrolment, colleague, ref, write
):
    opened = services.cep.get(actor, enrolment.id)
    # Bruno saves the same dispositif at 11:30, after Alice opened it.
    bruno = Services(FixedClock(dt.datetime(2026, 11, 29, 11, 30)))
    bruno.cep.modify(
        bruno.counsellors.sign_in(colleague.login),
        enrolment.id,
        cep_modify_input(prescriber_name="Bruno"),
        expected_version=opened.version,
    )

    with pytest.raises(EditConflict) as refusal:
        write(services, actor, enrolment.id, opened.version)

    assert refusal.value.message == (
        "Ce dispositif a été modifié par Bruno DURAND le 29/11/2026 à 11:30 : vos changements "
        "n'ont pas été enregistrés. Rouvrez-le pour repartir de sa version actuelle."
    )
    assert services.cep.get(actor, enrolment.id).prescriber_name == "Bruno"


def test_modification_is_recorded_in_the_event_in_progress(
    services, actor, dossier, counsellor, enrolment
):
    make_event(dossier, counsellor)

    services.cep.modify(actor, enrolment.id, cep_modify_input())

    (action,) = services.events.in_progress(actor, dossier.id).actions
    assert (action.kind_label, action.description) == (
        "Modification de dispositif",
        "CEP, informations modifiées",
    )
