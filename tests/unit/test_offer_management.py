"""Managing the structure's offers of service (the "Offres de service" screen): the
pre-filled new offer, the list with its search, filters and pages, the form of an existing
offer, the rights and the journal, and the young people an offer was proposed to."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest

from cep_tui.db.models import AuditRecord, Offer, ReferenceValue
from cep_tui.services.errors import PermissionDenied, ValidationError
from cep_tui.services.offer_form import OfferInput, offer_input_of
from cep_tui.vocabulary import CEP_CODE, OfferOrigin, Right
from tests.factories import (
    TODAY,
    YESTERDAY,
    K,
    make_dossier,
    make_event,
    make_offer,
    offer_input,
    proposal_input,
    viewer,
)

OFFERS_REFUSAL = "Action refusée : il vous manque le droit « Gérer des offres de service »."


def names(page) -> list[str]:
    return [o.name for o in page.items]


# -- the new offer, pre-filled -------------------------------------------------------------
def test_new_offer_is_pre_filled(services, actor, counsellor, ref):
    draft = services.offers.draft(actor)

    assert draft == OfferInput(
        origin=OfferOrigin.ML.value,
        start_date=TODAY,
        state_id=ref(K.OFFER_STATE, "Permanente"),
        referent_id=counsellor.id,
    )


def test_new_offer_leaves_a_deactivated_state_blank(services, actor, ref):
    ReferenceValue.update(active=False).where(
        ReferenceValue.id == ref(K.OFFER_STATE, "Permanente")
    ).execute()
    assert services.offers.draft(actor).state_id is None


def test_the_draft_completed_is_a_valid_cep_offer(services, actor, ref):
    draft = services.offers.draft(actor)
    view = services.offers.create(
        actor,
        replace(
            draft,
            theme_id=ref(K.THEME, "Formation"),
            service_act_id=ref(K.SERVICE_ACT, "Info. Conseil sur les formations"),
            name="Offre CEP",
            national_measure_id=ref(K.NATIONAL_MEASURE, code=CEP_CODE),
        ),
    )
    assert (view.start_date, view.origin, view.state.label, view.is_cep) == (
        TODAY,
        "ML",
        "Permanente",
        True,
    )


# -- rights and journal -------------------------------------------------------------------
@pytest.fixture
def no_offers(actor_with):
    return actor_with(frozenset(Right) - {Right.MANAGE_OFFERS}, first_name="Marc")


def test_draft_create_and_modify_need_the_offers_right(services, no_offers, structure, counsellor):
    offer = make_offer(structure, counsellor)
    before = list(Offer.select().order_by(Offer.id).dicts())
    for write in (
        lambda: services.offers.draft(no_offers),
        lambda: services.offers.create(no_offers, offer_input(counsellor.id)),
        lambda: services.offers.modify(no_offers, offer.id, offer_input(counsellor.id, name="X")),
    ):
        with pytest.raises(PermissionDenied) as refusal:
            write()
        assert refusal.value.message == OFFERS_REFUSAL
        assert refusal.value.right is Right.MANAGE_OFFERS
    assert list(Offer.select().order_by(Offer.id).dicts()) == before
    assert AuditRecord.select().count() == 0


def test_without_the_right_the_offers_are_read(services, reader_actor, structure, counsellor):
    offer = make_offer(structure, counsellor)
    assert names(services.offers.list(reader_actor)) == ["Offre CEP"]
    assert services.offers.get(reader_actor, offer.id).name == "Offre CEP"


def test_create_then_modify_journal_one_record_each(services, actor, counsellor):
    created = services.offers.create(actor, offer_input(counsellor.id))
    modified = services.offers.modify(
        actor,
        created.id,
        replace(offer_input_of(created), name="Offre CEP 2027", places="8"),
        expected_version=created.version,
    )

    records = list(AuditRecord.select().order_by(AuditRecord.id))
    assert [(r.entity, r.action, r.entity_id) for r in records] == [
        ("offer", "Création d'offre de service", created.id),
        ("offer", "Modification d'offre de service", created.id),
    ]
    before, after = json.loads(records[1].before), json.loads(records[1].after)
    assert (before["name"], after["name"]) == ("Offre CEP", "Offre CEP 2027")
    assert (before["places"], after["places"]) == (None, 8)
    assert modified.version == 2


def test_the_form_of_an_offer_gives_it_back_unchanged(services, actor, counsellor, ref):
    created = services.offers.create(
        actor,
        offer_input(
            counsellor.id,
            origin="Autre",
            end_date="31/12/2027",
            partner="AFPA",
            contract="CDD",
            offer_type="Atelier",
            regional_service_act="Acte régional",
            public="16-25 ans",
            prerequisites="Aucun",
            places=12,
            contact="04 95 00 00 00",
        ),
    )
    again = services.offers.modify(actor, created.id, offer_input_of(created))

    assert replace(again, version=1) == created


# -- the list: search, filters, pages -----------------------------------------------------
@pytest.fixture
def catalogue(structure, counsellor, other_structure, outsider):
    make_offer(structure, counsellor, name="OFFRE CEP")
    make_offer(
        structure,
        counsellor,
        name="GR2B Réceptionniste Île-Rousse",
        measure=None,
        theme="Emploi",
        state="Ponctuelle",
        partner="GR2B",
    )
    make_offer(structure, counsellor, name="Cœur de métier", measure="PACEA", theme="Emploi")
    make_offer(structure, counsellor, name="Ancienne offre CEP", end_date=YESTERDAY)
    make_offer(other_structure, outsider, name="Offre CEP Balagne")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("receptionniste ile", ["GR2B Réceptionniste Île-Rousse"]),
        ("RÉCEPTION", ["GR2B Réceptionniste Île-Rousse"]),
        ("coeur", ["Cœur de métier"]),
        ("metier", ["Cœur de métier"]),
        ("pacea", ["Cœur de métier"]),  # the measure
        ("gr2b", ["GR2B Réceptionniste Île-Rousse"]),  # the partner
        ("cep", ["Ancienne offre CEP", "OFFRE CEP"]),
        ("balagne", []),  # another structure's
    ],
)
def test_search_is_accent_and_case_insensitive(services, actor, catalogue, text, expected):
    assert names(services.offers.list(actor, text)) == expected


def test_filters_combine(services, actor, catalogue, ref):
    emploi = ref(K.THEME, "Emploi")
    assert names(services.offers.list(actor, theme_id=emploi)) == [
        "Cœur de métier",
        "GR2B Réceptionniste Île-Rousse",
    ]
    assert names(
        services.offers.list(actor, theme_id=emploi, state_id=ref(K.OFFER_STATE, "Ponctuelle"))
    ) == ["GR2B Réceptionniste Île-Rousse"]
    cep = ref(K.NATIONAL_MEASURE, code=CEP_CODE)
    assert names(services.offers.list(actor, national_measure_id=cep)) == [
        "Ancienne offre CEP",
        "OFFRE CEP",
    ]
    assert names(services.offers.list(actor, national_measure_id=cep, current_only=True)) == [
        "OFFRE CEP"
    ]
    assert names(services.offers.list(actor, current_only=False)) == ["Ancienne offre CEP"]


def test_an_offer_ending_today_is_still_current(services, actor, structure, counsellor):
    make_offer(structure, counsellor, name="Dernier jour", end_date=TODAY)
    assert names(services.offers.list(actor, current_only=True)) == ["Dernier jour"]


def test_pages_from_the_database(services, actor, structure, counsellor):
    for n in range(7):
        make_offer(structure, counsellor, name=f"Offre {n:02d}")

    first = services.offers.list(actor, offset=0, limit=3)
    last = services.offers.list(actor, offset=6, limit=3)

    assert (names(first), first.has_more) == (["Offre 00", "Offre 01", "Offre 02"], True)
    assert (names(last), last.has_more, last.offset) == (["Offre 06"], False, 6)


def test_filter_choices_include_deactivated_values(services, ref):
    ReferenceValue.update(active=False).where(
        ReferenceValue.id == ref(K.NATIONAL_MEASURE, "PPAE")
    ).execute()
    assert "PPAE" not in [
        v.label for v in services.references.choices(viewer(), K.NATIONAL_MEASURE)
    ]
    every = services.references.choices(viewer(), K.NATIONAL_MEASURE, include_inactive=True)
    assert [(v.label, v.active) for v in every if v.label == "PPAE"] == [("PPAE", False)]


# -- the young people an offer was proposed to ------------------------------------------
def test_propositions_of_an_offer(services, actor, structure, counsellor, dossier):
    offer = make_offer(structure, counsellor)
    other = make_dossier(structure, last_name="Santoni", first_name="Ghjuvan")
    for young in (dossier, other):
        make_event(young, counsellor, primary="CEP")
        services.proposals.propose(actor, young.id, offer.id, proposal_input())

    page = services.proposals.list_for_offer(actor, offer.id, limit=1)
    assert [r.young_person for r in page.items] == ["SANTONI Ghjuvan"]
    assert page.has_more
    rest = services.proposals.list_for_offer(actor, offer.id, offset=1, limit=1)
    assert [(r.young_person, r.dossier_id, r.proposed_on) for r in rest.items] == [
        ("LEFÈVRE Œdipe", dossier.id, TODAY)
    ]
    assert services.offers.get(actor, offer.id).proposals_count == 2


def test_propositions_need_the_consult_right(services, actor_with, structure, counsellor):
    offer = make_offer(structure, counsellor)
    nobody = actor_with({Right.MANAGE_OFFERS})
    with pytest.raises(PermissionDenied) as refusal:
        services.proposals.list_for_offer(nobody, offer.id)
    assert refusal.value.message == (
        "Action refusée : il vous manque le droit « Consulter les informations d'un dossier »."
    )


def test_a_date_typed_in_the_form_is_read_as_jj_mm_aaaa(services, actor, counsellor):
    view = services.offers.create(actor, offer_input(counsellor.id, start_date="01/02/2027"))
    assert view.start_date == dt.date(2027, 2, 1)
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, start_date="2027-02-01"))
    assert refusal.value.field_errors == {
        "start_date": "Date de début : date invalide, saisir jj/mm/aaaa."
    }
