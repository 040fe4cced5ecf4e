"""Adding the CEP dispositif (phase 2, or directly phase 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.services.cep import CepAddInput
from cep_tui.services.errors import RuleViolation, ValidationError
from cep_tui.services.views import PhaseView
from cep_tui.vocabulary import DossierStatus, EnrolmentStatus, ReferenceKind
from tests.factories import (
    CEP_ENTRY_DATE,
    TODAY,
    cep_add_input,
    make_dossier,
    make_enrolment,
    make_event,
)

K = ReferenceKind

NOT_JUSTIFIED = (
    "Le dossier du jeune doit être au statut « Justifié » pour recevoir le dispositif CEP."
)
ALREADY_IN_PROGRESS = "Ce jeune a déjà un dispositif CEP en cours."


def test_add_in_phase_2(services, actor, dossier, ref):
    form = cep_add_input(
        initial_interview_date="30/09/2026",
        prescriber_name="  Mme   Prescriptrice ",
        referent_name="M. Référent",
        project_type_id=ref(K.PROJECT_TYPE, "Mobilité"),
    )

    view = services.cep.add(actor, dossier.id, form)

    assert view.title == "CEP CONSEIL PERSONNALISÉ (EN COURS)"
    assert view.in_progress and view.phase == 2 and view.dispositif_code == "CEP"
    assert view.entry_date == CEP_ENTRY_DATE
    assert view.initial_interview_date == dt.date(2026, 9, 30)
    assert view.phases == (PhaseView(2, CEP_ENTRY_DATE, None),)
    assert view.referrer.label == "Mission Locale"
    assert view.solicitation_reason.label == "Reconversion"
    assert view.prescriber_name == "Mme Prescriptrice"
    assert view.referent_name == "M. Référent"
    assert view.project_type.label == "Mobilité"
    assert view.updated_by_name == "Alice MARTIN"
    assert services.cep.in_progress(actor, dossier.id) == view


def test_direct_entry_in_phase_3(services, actor, dossier):
    view = services.cep.add(actor, dossier.id, cep_add_input(phase=3))

    assert view.phase == 3
    assert view.title == (
        "CEP ACCOMPAGNEMENT PERSONNALISÉ VERS LA MISE EN ŒUVRE DU PROJET (EN COURS)"
    )
    assert view.phases == (PhaseView(3, CEP_ENTRY_DATE, None),)
    assert view.past_phases == ()


@pytest.mark.parametrize("phase", [2, 3, "2", " 3"])
def test_phase_2_or_3_accepted(services, actor, dossier, phase):
    assert services.cep.add(actor, dossier.id, cep_add_input(phase=phase)).phase == int(phase)


@pytest.mark.parametrize("phase", [1, 4, 0, -2, "phase 2", "", None])
def test_phase_other_than_2_or_3_refused(services, actor, dossier, phase):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(phase=phase))
    assert refusal.value.field_errors == {"phase": "Phase : choisir la phase 2 ou la phase 3."}


def test_refused_when_dossier_not_justified(services, actor, structure):
    dossier = make_dossier(structure, status=DossierStatus.NOT_JUSTIFIED)

    with pytest.raises(RuleViolation) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input())
    assert refusal.value.message == NOT_JUSTIFIED
    with pytest.raises(RuleViolation, match="Justifié"):
        services.cep.check_can_add(actor, dossier.id)


def test_refused_when_a_cep_is_in_progress(services, actor, dossier):
    services.cep.add(actor, dossier.id, cep_add_input())

    with pytest.raises(RuleViolation) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(phase=3))
    assert refusal.value.message == ALREADY_IN_PROGRESS
    with pytest.raises(RuleViolation, match="déjà un dispositif CEP"):
        services.cep.check_can_add(actor, dossier.id)


def test_accepted_again_once_the_previous_cep_is_closed(services, actor, dossier, counsellor):
    make_enrolment(
        dossier,
        counsellor,
        status=EnrolmentStatus.CLOSED,
        end_date=dt.date(2026, 10, 20),
        exit_reason="demenagement",
    )

    services.cep.check_can_add(actor, dossier.id)
    view = services.cep.add(actor, dossier.id, cep_add_input(entry_date="01/11/2026"))

    assert [e.in_progress for e in services.cep.list(actor, dossier.id)] == [True, False]
    assert view.entry_date == dt.date(2026, 11, 1)


def test_another_dispositif_in_progress_does_not_block_the_cep(
    services, actor, dossier, counsellor
):
    make_enrolment(dossier, counsellor, dispositif="EMPLOI_AVENIR")

    assert services.cep.add(actor, dossier.id, cep_add_input()).dispositif_code == "CEP"


def test_refused_under_16(services, actor, structure):
    dossier = make_dossier(structure, birth_date=dt.date(2010, 11, 30))  # 16 tomorrow

    with pytest.raises(RuleViolation) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(entry_date=TODAY))
    assert (
        refusal.value.message
        == "Le CEP s'adresse aux jeunes de 16 ans et plus ; ce jeune a 15 ans."
    )


def test_accepted_on_the_16th_birthday(services, actor, structure):
    dossier = make_dossier(structure, birth_date=dt.date(2010, 11, 29))

    assert services.cep.add(actor, dossier.id, cep_add_input(entry_date=TODAY)).in_progress


def test_entry_date_before_the_16th_birthday_refused(services, actor, structure):
    dossier = make_dossier(structure, birth_date=dt.date(2010, 11, 1))

    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(entry_date="31/10/2026"))
    assert refusal.value.field_errors == {
        "entry_date": "Date d'entrée : le jeune n'a pas encore 16 ans à cette date."
    }


REQUIRED = {
    "referrer_id": "Aiguilleur : ce champ est obligatoire.",
    "entry_date": "Date d'entrée : ce champ est obligatoire.",
    "solicitation_reason_id": "Motif de la sollicitation : ce champ est obligatoire.",
    "phase": "Phase : choisir la phase 2 ou la phase 3.",
}


@pytest.mark.parametrize(("field", "message"), REQUIRED.items(), ids=list(REQUIRED))
def test_each_required_field(services, actor, dossier, field, message):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(**{field: None}))
    assert refusal.value.field_errors == {field: message}
    assert refusal.value.message == message


def test_empty_form_lists_every_required_field(services, actor, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, CepAddInput())
    assert refusal.value.field_errors == REQUIRED


def test_entry_date_in_the_future_refused(services, actor, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(entry_date="30/11/2026"))
    assert refusal.value.field_errors == {
        "entry_date": "Date d'entrée : ne peut pas être dans le futur."
    }


def test_entry_date_today_accepted(services, actor, dossier):
    assert services.cep.add(actor, dossier.id, cep_add_input(entry_date=TODAY)).entry_date == TODAY


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("31/02/2026", "31/02/2026 n'existe pas"),
        ("2026-10-01", "date invalide, saisir jj/mm/aaaa"),
        ("1er octobre", "date invalide, saisir jj/mm/aaaa"),
        ("01/13/2026", "01/13/2026 n'existe pas"),
    ],
)
def test_entry_date_not_a_date_refused(services, actor, dossier, text, problem):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(entry_date=text))
    assert refusal.value.field_errors == {"entry_date": f"Date d'entrée : {problem}."}


def test_initial_interview_after_entry_refused(services, actor, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(initial_interview_date="02/10/2026"))
    assert refusal.value.field_errors == {
        "initial_interview_date": "Date d'entretien d'initialisation : ne peut pas être "
        "postérieure à la date d'entrée."
    }


@pytest.mark.parametrize("interview", ["01/10/2026", "15/09/2026"])
def test_initial_interview_on_or_before_entry_accepted(services, actor, dossier, interview):
    view = services.cep.add(actor, dossier.id, cep_add_input(initial_interview_date=interview))
    assert view.initial_interview_date.strftime("%d/%m/%Y") == interview


def test_initial_interview_is_optional(services, actor, dossier):
    assert services.cep.add(actor, dossier.id, cep_add_input()).initial_interview_date is None


@pytest.mark.parametrize(
    ("field", "kind", "message"),
    [
        ("referrer_id", K.NATURE, "Aiguilleur : valeur inconnue."),
        ("solicitation_reason_id", K.REFERRER, "Motif de la sollicitation : valeur inconnue."),
        ("project_type_id", K.THEME, "Type de projet : valeur inconnue."),
    ],
)
def test_value_of_another_list_refused(services, actor, dossier, ref, field, kind, message):
    wrong = ref(kind, {K.NATURE: "Atelier", K.REFERRER: "APEC", K.THEME: "Santé"}[kind])
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(**{field: wrong}))
    assert refusal.value.field_errors == {field: message}


def test_name_longer_than_100_characters_refused(services, actor, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(prescriber_name="x" * 101))
    assert refusal.value.field_errors == {
        "prescriber_name": "Nom du prescripteur : 100 caractères au maximum."
    }


def test_addition_is_recorded_in_the_event_in_progress(services, actor, dossier, counsellor):
    make_event(dossier, counsellor)

    services.cep.add(actor, dossier.id, cep_add_input())

    (action,) = services.events.in_progress(actor, dossier.id).actions
    assert action.kind_label == "Ajout de dispositif"
    assert action.description == "CEP, entrée en phase 2 le 01/10/2026"
    assert action.counsellor_name == "Alice MARTIN"


def test_phases_2_and_3_do_not_depend_on_phase_1(services, actor, dossier):
    """No offer was ever proposed to this young person: the dispositif is still added."""
    assert services.proposals.list_for_dossier(actor, dossier.id).items == ()
    assert services.cep.add(actor, dossier.id, cep_add_input()).in_progress


# -- CEPs never overlap (issue 15) ----------------------------------------------------------
def _closed_cep(dossier, counsellor, entry: dt.date, end: dt.date):
    return make_enrolment(
        dossier,
        counsellor,
        entry_date=entry,
        status=EnrolmentStatus.CLOSED,
        end_date=end,
        exit_reason="interruption_constatee",
    )


@pytest.mark.parametrize(
    "entry", [dt.date(2024, 3, 1), dt.date(2026, 1, 5), dt.date(2026, 3, 1), dt.date(2026, 6, 1)]
)
def test_a_new_cep_cannot_enter_before_the_previous_one_ended(
    services, actor, counsellor, dossier, entry
):
    """A second CEP entered in 2024 on a dossier whose first CEP ran in 2026 was accepted:
    a new CEP enters after the previous one's end, never within or before it."""
    _closed_cep(dossier, counsellor, dt.date(2026, 1, 5), dt.date(2026, 6, 1))

    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(entry_date=entry))
    assert refusal.value.field_errors == {
        "entry_date": "Date d'entrée : le CEP précédent de ce jeune s'est terminé le "
        "01/06/2026 ; un nouveau CEP commence après sa fin, au plus tôt le 02/06/2026."
    }
    assert services.cep.in_progress(actor, dossier.id) is None


def test_a_new_cep_may_enter_the_day_after_the_previous_one_ended(
    services, actor, counsellor, dossier
):
    _closed_cep(dossier, counsellor, dt.date(2025, 1, 6), dt.date(2025, 3, 1))
    _closed_cep(dossier, counsellor, dt.date(2026, 1, 5), dt.date(2026, 6, 1))

    view = services.cep.add(actor, dossier.id, cep_add_input(entry_date="02/06/2026"))

    assert view.entry_date == dt.date(2026, 6, 2)
    # Closing it on its first day, the earliest it can, meets no other CEP either.
    closed = services.cep.close(actor, view.id, "02/06/2026", "deces")
    assert closed.end_date == dt.date(2026, 6, 2)


def test_other_dispositifs_do_not_hold_back_a_cep(services, actor, counsellor, dossier):
    make_enrolment(dossier, counsellor, dispositif="EMPLOI_AVENIR", entry_date=dt.date(2026, 1, 5))
    assert services.cep.add(actor, dossier.id, cep_add_input()).in_progress
