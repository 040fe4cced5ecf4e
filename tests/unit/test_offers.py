"""Offers of service (Informations générales, Conditions MER) and the catalogue search of a
dossier (Catalogue interne "O" / Dispositifs "d")."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.clock import FixedClock
from cep_tui.services import Services
from cep_tui.services.errors import EditConflict, NotFound, ValidationError
from cep_tui.services.offer_form import OfferInput
from cep_tui.services.views import CatalogueKind
from cep_tui.vocabulary import ReferenceKind
from tests.factories import YESTERDAY, make_offer, offer_input

K = ReferenceKind


def test_create_a_cep_offer(services, actor, counsellor, ref):
    view = services.offers.create(
        actor,
        offer_input(
            counsellor.id,
            origin="Autre",
            name="  Offre   CEP ",
            end_date="31/12/2026",
            partner="AFPA",
            places="12",
            public="Jeunes de 16 à 25 ans",
        ),
    )

    assert view.name == "Offre CEP"
    assert view.origin == "Autre"
    assert (view.theme.label, view.service_act.label, view.state.label) == (
        "Formation",
        "Info. Conseil sur les formations",
        "Permanente",
    )
    assert (view.start_date, view.end_date) == (dt.date(2016, 4, 18), dt.date(2026, 12, 31))
    assert view.referent.display_name == "Alice MARTIN"
    assert view.national_measure.label == "CEP"
    assert view.is_cep
    assert (view.partner, view.places, view.public) == ("AFPA", 12, "Jeunes de 16 à 25 ans")
    assert view.version == 1 and view.proposals_count == 0


@pytest.mark.parametrize(("measure", "is_cep"), [("CEP", True), ("PACEA", False), (None, False)])
def test_mesure_nationale_cep_makes_the_offer_cep(
    services, actor, counsellor, ref, measure, is_cep
):
    measure_id = ref(K.NATIONAL_MEASURE, measure) if measure else None
    view = services.offers.create(actor, offer_input(counsellor.id, national_measure_id=measure_id))

    assert view.is_cep is is_cep
    (item,) = services.offers.search_catalogue(actor, "", CatalogueKind.INTERNAL).items
    assert item.is_cep is is_cep


REQUIRED = {
    "origin": "Origine de l'offre : choisir ML ou Autre.",
    "theme_id": "Thème : ce champ est obligatoire.",
    "service_act_id": "Acte de service : ce champ est obligatoire.",
    "name": "Nom de l'offre : ce champ est obligatoire.",
    "start_date": "Date de début : ce champ est obligatoire.",
    "state_id": "État : ce champ est obligatoire.",
    "referent_id": "Conseiller référent : ce champ est obligatoire.",
}


@pytest.mark.parametrize(("field", "message"), REQUIRED.items(), ids=list(REQUIRED))
def test_each_required_field(services, actor, counsellor, field, message):
    empty = "" if field == "name" else None
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, **{field: empty}))
    assert refusal.value.field_errors == {field: message}


def test_empty_form_lists_every_required_field(services, actor):
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, OfferInput(origin=None))
    assert refusal.value.field_errors == REQUIRED


@pytest.mark.parametrize("origin", ["ml", "Mission Locale", "AUTRE"])
def test_origin_is_ml_or_autre(services, actor, counsellor, origin):
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, origin=origin))
    assert refusal.value.field_errors == {"origin": REQUIRED["origin"]}


def test_blank_name_refused(services, actor, counsellor):
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, name=" \t "))
    assert refusal.value.field_errors == {"name": REQUIRED["name"]}


def test_end_before_start_refused(services, actor, counsellor):
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, end_date="17/04/2016"))
    assert refusal.value.field_errors == {
        "end_date": "Date de fin : ne peut pas précéder la date de début."
    }


def test_end_on_start_accepted(services, actor, counsellor):
    view = services.offers.create(actor, offer_input(counsellor.id, end_date="18/04/2016"))
    assert view.end_date == view.start_date


@pytest.mark.parametrize(("places", "stored"), [(None, None), ("", None), (0, 0), (" 25 ", 25)])
def test_places_accepted(services, actor, counsellor, places, stored):
    assert services.offers.create(actor, offer_input(counsellor.id, places=places)).places == (
        stored
    )


@pytest.mark.parametrize("places", [-1, "abc", "1.5", 10_001])
def test_places_refused(services, actor, counsellor, places):
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, places=places))
    assert refusal.value.field_errors == {
        "places": "Places : un nombre entier positif est attendu."
    }


def test_referent_must_belong_to_the_structure(services, actor, outsider):
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(outsider.id))
    assert refusal.value.field_errors == {
        "referent_id": "Conseiller référent : inconnu dans votre structure."
    }


def test_name_longer_than_150_characters_refused(services, actor, counsellor):
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, name="x" * 151))
    assert refusal.value.field_errors == {"name": "Nom de l'offre : 150 caractères au maximum."}


def test_modify(services, actor, counsellor, colleague, ref):
    created = services.offers.create(actor, offer_input(counsellor.id))

    view = services.offers.modify(
        actor,
        created.id,
        offer_input(colleague.id, name="Offre CEP 2027", national_measure_id=None),
        expected_version=created.version,
    )

    assert (view.name, view.referent.display_name, view.is_cep) == (
        "Offre CEP 2027",
        "Bruno DURAND",
        False,
    )
    assert view.version == created.version + 1
    assert [i.name for i in services.offers.list(actor, "2027").items] == ["Offre CEP 2027"]


def test_modify_with_a_stale_version_refused(services, actor, counsellor, colleague):
    created = services.offers.create(actor, offer_input(counsellor.id))
    bruno = Services(FixedClock(dt.datetime(2026, 11, 29, 11, 30)))
    bruno.offers.modify(
        bruno.counsellors.sign_in(colleague.login), created.id, offer_input(counsellor.id)
    )

    with pytest.raises(EditConflict) as refusal:
        services.offers.modify(
            actor, created.id, offer_input(counsellor.id), expected_version=created.version
        )
    assert refusal.value.message == (
        "Cette offre a été modifiée le 29/11/2026 à 11:30 par quelqu'un d'autre : rouvrez-la "
        "pour repartir de sa version actuelle."
    )


def test_offer_of_another_structure_is_not_found(services, actor, outsider, other_structure):
    foreign = make_offer(other_structure, outsider)
    for call in (
        lambda: services.offers.get(actor, foreign.id),
        lambda: services.offers.modify(actor, foreign.id, offer_input(outsider.id)),
    ):
        with pytest.raises(NotFound) as refusal:
            call()
        assert refusal.value.message == "Offre introuvable dans votre structure."


class TestCatalogue:
    @pytest.fixture
    def offers(self, structure, counsellor, other_structure, outsider):
        return {
            "cep": make_offer(structure, counsellor, name="OFFRE CEP"),
            "hotel": make_offer(
                structure,
                counsellor,
                name="AFPA Réceptionniste en hôtellerie Ajaccio",
                measure=None,
                theme="Emploi",
                service_act="Mise en relation sur une offre",
                partner="AFPA",
                offer_type="Mise en situation",
                contract="CDD saisonnier",
            ),
            "expired": make_offer(
                structure, counsellor, name="Vieille offre CEP", end_date=YESTERDAY
            ),
            "foreign": make_offer(other_structure, outsider, name="Offre CEP voisine"),
        }

    def names(self, services, actor, text, kind=CatalogueKind.INTERNAL):
        return [i.name for i in services.offers.search_catalogue(actor, text, kind).items]

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("cep", ["OFFRE CEP"]),  # the measure
            ("ajaccio", ["AFPA Réceptionniste en hôtellerie Ajaccio"]),  # the name
            ("receptionniste", ["AFPA Réceptionniste en hôtellerie Ajaccio"]),
            ("afpa", ["AFPA Réceptionniste en hôtellerie Ajaccio"]),  # the partner
            ("emploi", ["AFPA Réceptionniste en hôtellerie Ajaccio"]),  # the theme
            ("info conseil", ["OFFRE CEP"]),  # the service act
            ("situation", ["AFPA Réceptionniste en hôtellerie Ajaccio"]),  # the type
            ("saisonnier", ["AFPA Réceptionniste en hôtellerie Ajaccio"]),  # the contract
            ("", ["AFPA Réceptionniste en hôtellerie Ajaccio", "OFFRE CEP"]),
            ("inconnu", []),
        ],
    )
    def test_internal_catalogue(self, services, actor, offers, text, expected):
        assert self.names(services, actor, text) == expected

    def test_items_are_marked_o_and_flag_the_cep(self, services, actor, offers):
        (item,) = services.offers.search_catalogue(actor, "cep", CatalogueKind.INTERNAL).items
        assert (item.kind, item.kind.value, item.kind.label) == (
            CatalogueKind.INTERNAL,
            "O",
            "Catalogue interne",
        )
        assert item.is_cep and item.theme == "Formation"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("cep", ["CEP"]),
            ("emploi avenir", ["EMPLOI D'AVENIR"]),
            ("", ["CEP", "EMPLOI D'AVENIR"]),
        ],
    )
    def test_dispositifs(self, services, actor, text, expected):
        page = services.offers.search_catalogue(actor, text, CatalogueKind.DISPOSITIFS)
        assert [i.name for i in page.items] == expected
        assert all(i.kind.value == "d" for i in page.items)
        assert [i.is_cep for i in page.items] == [n == "CEP" for n in expected]

    def test_dispositif_synthesis(self, services, actor):
        (cep,) = services.offers.search_catalogue(actor, "cep", CatalogueKind.DISPOSITIFS).items
        view = services.offers.dispositif(actor, cep.id)
        assert (view.code, view.name, view.description) == (
            "CEP",
            "CEP",
            "Conseil en Évolution Professionnelle",
        )
        with pytest.raises(NotFound) as refusal:
            services.offers.dispositif(actor, 999)
        assert refusal.value.message == "Dispositif introuvable."

    def test_offers_screen_filters(self, services, actor, offers, ref):
        def names(**filters):
            return [o.name for o in services.offers.list(actor, **filters).items]

        assert names() == [
            "AFPA Réceptionniste en hôtellerie Ajaccio",
            "OFFRE CEP",
            "Vieille offre CEP",
        ]
        assert names(current_only=False) == ["Vieille offre CEP"]
        assert names(current_only=True, national_measure_id=ref(K.NATIONAL_MEASURE, "CEP")) == [
            "OFFRE CEP"
        ]
        assert names(theme_id=ref(K.THEME, "Emploi")) == [
            "AFPA Réceptionniste en hôtellerie Ajaccio"
        ]
