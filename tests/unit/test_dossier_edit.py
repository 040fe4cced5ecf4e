"""Editing a dossier's Coordonnées and Compléments ("Modifier les informations d'un dossier")."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cep_tui.clock import FixedClock
from cep_tui.db.models import AuditRecord
from cep_tui.services import Services
from cep_tui.services.dossiers import ComplementsInput, ContactInput, ProfileInput
from cep_tui.services.errors import EditConflict, PermissionDenied, ValidationError


def test_update_contact(services, actor, dossier):
    view = services.dossiers.update_contact(
        actor,
        dossier.id,
        ContactInput(
            address=" 2 rue  Fesch ",
            postal_code="20000",
            city="Ajaccio",
            phone="04 95 00 00 00",
            email="oedipe@example.fr",
        ),
        expected_version=1,
    )
    assert (view.address, view.postal_code, view.city, view.phone, view.email) == (
        "2 rue Fesch",
        "20000",
        "Ajaccio",
        "04 95 00 00 00",
        "oedipe@example.fr",
    )
    assert view.version == 2


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (ContactInput(postal_code="2A004"), "postal_code", "Code postal : cinq chiffres attendus."),
        (ContactInput(phone="appelez-moi"), "phone", "Téléphone : numéro invalide."),
        (ContactInput(email="oedipe@"), "email", "E-mail : adresse invalide."),
        (ContactInput(city="x" * 151), "city", "Commune : 150 caractères au maximum."),
    ],
)
def test_contact_refusals(services, actor, dossier, form, field, message):
    with pytest.raises(ValidationError) as refusal:
        services.dossiers.update_contact(actor, dossier.id, form)
    assert refusal.value.field_errors == {field: message}


def test_update_complements_keeps_lines(services, actor, dossier):
    view = services.dossiers.update_complements(
        actor, dossier.id, ComplementsInput(complementary_info="ligne 1\r\nligne 2", situation="")
    )
    assert view.complementary_info == "ligne 1\nligne 2"


def test_complements_longer_than_2000_characters_refused(services, actor, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.dossiers.update_complements(
            actor, dossier.id, ComplementsInput(situation="x" * 2001)
        )
    assert refusal.value.field_errors == {"situation": "Situation : 2000 caractères au maximum."}


def test_stale_version_refused_naming_who_and_when(services, actor, dossier, colleague):
    bruno = Services(FixedClock(dt.datetime(2026, 11, 29, 11, 30)))
    bruno.dossiers.update_contact(
        bruno.counsellors.sign_in(colleague.login), dossier.id, ContactInput(city="Bastia")
    )

    with pytest.raises(EditConflict) as refusal:
        services.dossiers.update_contact(
            actor, dossier.id, ContactInput(city="Ajaccio"), expected_version=1
        )
    assert refusal.value.message == (
        "Ce dossier a été modifié par Bruno DURAND le 29/11/2026 à 11:30 : rouvrez-le pour "
        "repartir de sa version actuelle."
    )
    assert services.dossiers.get(actor, dossier.id).city == "Bastia"


# -- the profile (issue 15): niveau de formation, résidant QPV, résidant ZRR ----------------
def test_a_new_dossier_has_an_unknown_profile(services, actor, dossier):
    view = services.dossiers.get(actor, dossier.id)
    assert (view.education_level, view.qpv, view.zrr) == ("inconnu", "inconnu", "inconnu")


def test_update_profile_is_audited(services, actor, dossier):
    view = services.dossiers.update_profile(
        actor,
        dossier.id,
        ProfileInput(education_level="niveau4", qpv="oui", zrr="Non"),
        expected_version=1,
    )

    assert (view.education_level, view.qpv, view.zrr, view.version) == (
        "niveau4",
        "oui",
        "non",
        2,
    )
    record = AuditRecord.select().order_by(AuditRecord.id.desc()).get()
    assert (record.action, record.entity, record.entity_id) == (
        "Modification du profil",
        "dossier",
        dossier.id,
    )
    before, after = json.loads(record.before), json.loads(record.after)
    assert (before["education_level"], after["education_level"]) == ("inconnu", "niveau4")
    assert (before["qpv"], after["qpv"], after["zrr"]) == ("inconnu", "oui", "non")


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            ProfileInput(education_level="bac"),
            "education_level",
            "Niveau de formation : choisir une valeur dans la liste.",
        ),
        (ProfileInput(qpv=None), "qpv", "Résidant QPV : choisir une valeur dans la liste."),
        (ProfileInput(zrr="peut-être"), "zrr", "Résidant ZRR : choisir une valeur dans la liste."),
    ],
)
def test_profile_refusals_change_nothing(services, actor, dossier, form, field, message):
    with pytest.raises(ValidationError) as refusal:
        services.dossiers.update_profile(actor, dossier.id, form)
    assert refusal.value.field_errors == {field: message}
    assert services.dossiers.get(actor, dossier.id).version == 1


def test_profile_needs_the_edit_right(services, reader_actor, dossier):
    with pytest.raises(PermissionDenied) as refusal:
        services.dossiers.update_profile(reader_actor, dossier.id, ProfileInput(qpv="oui"))
    assert refusal.value.message == (
        "Action refusée : il vous manque le droit « Modifier les informations d'un dossier »."
    )
