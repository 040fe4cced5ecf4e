"""Proposing an offer (phase 1 when its Mesure nationale is CEP), within the event in
progress, or within the event the form creates when none is."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.db.models import Event
from cep_tui.services.errors import NotFound, RuleViolation, ValidationError
from cep_tui.vocabulary import ReferenceKind
from tests.factories import (
    TODAY,
    YESTERDAY,
    cep_context_id,
    event_input,
    make_event,
    make_offer,
    proposal_input,
)

K = ReferenceKind
CEP_CONTEXT_REQUIRED = "Le contexte CEP doit figurer parmi les contextes de l'évènement."
EVENT_REQUIRED = "Aucun évènement n'est en cours : renseignez l'évènement de cet entretien."


@pytest.fixture
def cep_offer(structure, counsellor):
    return make_offer(structure, counsellor, name="Offre CEP")


@pytest.fixture
def other_offer(structure, counsellor):
    return make_offer(structure, counsellor, name="Atelier CV", measure="PACEA", theme="Emploi")


class TestDraft:
    def test_cep_offer_prefills_the_cep_context_and_the_actor(
        self, services, actor, dossier, cep_offer, ref
    ):
        draft = services.proposals.draft(actor, dossier.id, cep_offer.id)

        assert draft.offer.name == "Offre CEP" and draft.offer.is_cep
        assert draft.proposed_on == TODAY
        assert draft.needs_event
        event = draft.event
        assert event.event_date == TODAY
        assert event.primary_context_id == cep_context_id()
        assert event.direction_id == ref(K.DIRECTION, "Jeune vers Structure")
        assert event.nature_id == ref(K.NATURE, "Entretien individuel")
        assert event.function_id == ref(K.FUNCTION, "Conseiller")
        assert event.intervenant_id == actor.id
        assert event.reception_place_id is None

    def test_other_offer_leaves_the_context_empty(self, services, actor, dossier, other_offer):
        draft = services.proposals.draft(actor, dossier.id, other_offer.id)
        assert not draft.offer.is_cep
        assert draft.event.primary_context_id is None
        assert draft.event.intervenant_id == actor.id

    def test_no_event_needed_when_one_is_in_progress(
        self, services, actor, dossier, counsellor, cep_offer
    ):
        make_event(dossier, counsellor)
        assert not services.proposals.draft(actor, dossier.id, cep_offer.id).needs_event


def test_proposal_recorded_within_the_event_in_progress(
    services, actor, dossier, counsellor, cep_offer
):
    event = make_event(dossier, counsellor)
    ignored = event_input(counsellor.id, comment="ignoré")

    proposal = services.proposals.propose(
        actor, dossier.id, cep_offer.id, proposal_input(ignored, comment="Intéressé")
    )

    assert proposal.event_id == event.id
    assert Event.select().where(Event.dossier == dossier).count() == 1
    assert (proposal.offer_name, proposal.is_cep, proposal.comment) == (
        "Offre CEP",
        True,
        "Intéressé",
    )
    assert proposal.counsellor_name == "Alice MARTIN"
    (action,) = services.events.in_progress(actor, dossier.id).actions
    assert (action.kind_label, action.description) == ("Proposition d'offre", "Offre CEP")


def test_event_required_when_none_is_in_progress(services, actor, dossier, cep_offer):
    with pytest.raises(ValidationError) as refusal:
        services.proposals.propose(actor, dossier.id, cep_offer.id, proposal_input())
    assert refusal.value.field_errors == {"event": EVENT_REQUIRED}


def test_proposal_opens_the_event_given_in_the_form(
    services, actor, dossier, counsellor, cep_offer
):
    form = proposal_input(event_input(counsellor.id, comment="Accueil CEP"))

    proposal = services.proposals.propose(actor, dossier.id, cep_offer.id, form)

    event = services.events.in_progress(actor, dossier.id)
    assert proposal.event_id == event.id
    assert event.comment == "Accueil CEP"
    assert [a.kind_label for a in event.actions] == ["Proposition d'offre"]


def test_new_event_for_a_cep_offer_must_carry_the_cep_context(
    services, actor, dossier, counsellor, cep_offer, ref
):
    form = proposal_input(event_input(counsellor.id, primary_context_id=ref(K.CONTEXT, "Emploi")))

    with pytest.raises(ValidationError) as refusal:
        services.proposals.propose(actor, dossier.id, cep_offer.id, form)
    assert refusal.value.field_errors == {"primary_context_id": CEP_CONTEXT_REQUIRED}
    assert services.events.in_progress(actor, dossier.id) is None


@pytest.mark.parametrize("field", ["secondary_context_id", "tertiary_context_id"])
def test_cep_context_may_be_secondary_or_tertiary(
    services, actor, dossier, counsellor, cep_offer, ref, field
):
    contexts = {
        "primary_context_id": ref(K.CONTEXT, "Emploi"),
        "secondary_context_id": ref(K.CONTEXT, "Formation"),
        field: cep_context_id(),
    }
    form = proposal_input(event_input(counsellor.id, **contexts))
    assert services.proposals.propose(actor, dossier.id, cep_offer.id, form).is_cep


def test_new_event_for_another_offer_needs_no_cep_context(
    services, actor, dossier, counsellor, other_offer, ref
):
    form = proposal_input(event_input(counsellor.id, primary_context_id=ref(K.CONTEXT, "Emploi")))
    proposal = services.proposals.propose(actor, dossier.id, other_offer.id, form)
    assert not proposal.is_cep


def test_errors_of_the_proposal_and_its_event_come_together(
    services, actor, dossier, counsellor, cep_offer
):
    form = proposal_input(
        event_input(counsellor.id, nature_id=None), proposed_on="30/11/2026", comment="x" * 256
    )
    with pytest.raises(ValidationError) as refusal:
        services.proposals.propose(actor, dossier.id, cep_offer.id, form)
    assert refusal.value.field_errors == {
        "proposed_on": "Date de proposition : ne peut pas être dans le futur.",
        "comment": "Commentaire : 255 caractères au maximum (256 saisis).",
        "nature_id": "Nature : ce champ est obligatoire.",
    }


def test_expired_offer_refused(services, actor, dossier, counsellor, structure):
    offer = make_offer(structure, counsellor, end_date=YESTERDAY)
    make_event(dossier, counsellor)

    with pytest.raises(RuleViolation) as refusal:
        services.proposals.propose(actor, dossier.id, offer.id, proposal_input())
    assert refusal.value.message == (
        "Cette offre a pris fin le 28/11/2026 : elle ne peut plus être proposée."
    )


def test_offer_ending_today_accepted(services, actor, dossier, counsellor, structure):
    offer = make_offer(structure, counsellor, end_date=TODAY)
    make_event(dossier, counsellor)
    assert services.proposals.propose(actor, dossier.id, offer.id, proposal_input()).id


@pytest.mark.parametrize(
    ("proposed_on", "message"),
    [
        (None, "Date de proposition : ce champ est obligatoire."),
        ("30/11/2026", "Date de proposition : ne peut pas être dans le futur."),
        ("01/01/2006", "Date de proposition : antérieure à la naissance du jeune."),
        ("17/04/2016", "Date de proposition : l'offre ne commence que le 18/04/2016."),
    ],
)
def test_proposal_date(services, actor, dossier, counsellor, cep_offer, proposed_on, message):
    make_event(dossier, counsellor)
    with pytest.raises(ValidationError) as refusal:
        services.proposals.propose(
            actor, dossier.id, cep_offer.id, proposal_input(proposed_on=proposed_on)
        )
    assert refusal.value.field_errors == {"proposed_on": message}


def test_offer_of_another_structure_not_found(
    services, actor, dossier, counsellor, other_structure, outsider
):
    make_event(dossier, counsellor)
    foreign = make_offer(other_structure, outsider)

    with pytest.raises(NotFound) as refusal:
        services.proposals.propose(actor, dossier.id, foreign.id, proposal_input())
    assert refusal.value.message == "Offre introuvable dans votre structure."


def test_proposal_appears_in_suivi_services_and_on_the_offer(
    services, actor, dossier, counsellor, cep_offer
):
    make_event(dossier, counsellor)
    proposal = services.proposals.propose(
        actor, dossier.id, cep_offer.id, proposal_input(proposed_on="20/11/2026")
    )

    assert services.proposals.list_for_dossier(actor, dossier.id).items == (proposal,)
    (row,) = services.proposals.list_for_offer(actor, cep_offer.id).items
    assert (row.dossier_id, row.young_person, row.proposed_on, row.counsellor_name) == (
        dossier.id,
        "LEFÈVRE Œdipe",
        dt.date(2026, 11, 20),
        "Alice MARTIN",
    )
    assert services.offers.get(actor, cep_offer.id).proposals_count == 1
    assert services.dossiers.synthesis(actor, dossier.id).proposals_count == 1
