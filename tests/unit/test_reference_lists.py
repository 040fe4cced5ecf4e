"""Reference lists: what the guide fixes is seeded; local values can be deactivated, and a
deactivated value stays only where a record already holds it."""

from __future__ import annotations

import pytest

from cep_tui.db.models import DispositifType, ReferenceValue
from cep_tui.services.errors import ValidationError
from cep_tui.vocabulary import OfferOrigin, ReferenceKind
from tests.factories import cep_add_input, cep_modify_input, make_enrolment, viewer

K = ReferenceKind


def labels(services, kind, **kwargs):
    return [v.label for v in services.references.choices(viewer(), kind, **kwargs)]


def test_the_seven_themes_of_i_milo(services):
    assert labels(services, K.THEME) == [
        "Santé",
        "Projet professionnel",
        "Logement",
        "Citoyenneté",
        "Emploi",
        "Loisir sport culture",
        "Formation",
    ]


def test_national_values_fixed_by_the_guide(services):
    first_context = services.references.choices(viewer(), K.CONTEXT)[0]
    assert (first_context.label, first_context.code) == ("CEP", "CEP")
    assert "CEP" in [v.code for v in services.references.choices(viewer(), K.NATIONAL_MEASURE)]
    assert [o.value for o in OfferOrigin] == ["ML", "Autre"]
    assert [(d.code, d.name) for d in DispositifType.select().order_by(DispositifType.id)] == [
        ("CEP", "CEP"),
        ("EMPLOI_AVENIR", "EMPLOI D'AVENIR"),
    ]


@pytest.mark.parametrize(
    ("kind", "first_values"),
    [
        (K.DIRECTION, ["Jeune vers Structure", "Structure vers Jeune"]),
        (K.NATURE, ["Entretien individuel", "Atelier"]),
        (K.RECEPTION_PLACE, ["Siège", "Antenne"]),
        (K.FUNCTION, ["Conseiller", "Chargé d'accueil"]),
        (K.REFERRER, ["Démarche personnelle", "Mission Locale"]),
        (K.OFFER_STATE, ["Permanente", "Ponctuelle"]),
    ],
)
def test_lists_are_seeded_in_order(services, structure, kind, first_values):
    assert labels(services, kind)[:2] == first_values


@pytest.fixture
def apec(ref, structure):
    """The Aiguilleur "APEC", deactivated by an administrator."""
    ident = ref(K.REFERRER, "APEC")
    ReferenceValue.update(active=False).where(ReferenceValue.id == ident).execute()
    return ident


def test_deactivated_value_leaves_the_choices_unless_kept(services, apec):
    assert "APEC" not in labels(services, K.REFERRER)
    assert "APEC" in labels(services, K.REFERRER, keep_id=apec)


def test_deactivated_value_refused_for_a_new_record(services, actor, dossier, apec):
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(referrer_id=apec))
    assert refusal.value.field_errors == {"referrer_id": "Aiguilleur : valeur inconnue."}


def test_deactivated_value_kept_by_the_record_holding_it(
    services, actor, dossier, counsellor, apec
):
    enrolment = make_enrolment(dossier, counsellor, referrer="APEC")

    view = services.cep.modify(actor, enrolment.id, cep_modify_input(referrer_id=apec))

    assert (view.referrer.label, view.referrer.active) == ("APEC", False)


@pytest.mark.parametrize(
    "submitted", [2**70, -(2**70), 0, -1, "abc", "12abc", float("inf"), float("nan"), object()]
)
def test_a_choice_that_is_no_id_is_an_unknown_value(services, actor, dossier, submitted):
    with pytest.raises(ValidationError) as refused:
        services.cep.add(actor, dossier.id, cep_add_input(referrer_id=submitted))
    assert refused.value.field_errors == {"referrer_id": "Aiguilleur : valeur inconnue."}


def test_a_value_of_another_list_is_an_unknown_value(services, actor, dossier, ref):
    """The form's values are read together, each checked against its own list."""
    reason = ref(K.SOLICITATION_REASON, "Reconversion")
    with pytest.raises(ValidationError) as refused:
        services.cep.add(
            actor,
            dossier.id,
            cep_add_input(referrer_id=reason, project_type_id=ref(K.REFERRER, "APEC")),
        )
    assert refused.value.field_errors == {
        "referrer_id": "Aiguilleur : valeur inconnue.",
        "project_type_id": "Type de projet : valeur inconnue.",
    }
