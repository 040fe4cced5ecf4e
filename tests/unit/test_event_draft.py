"""The pre-filled event (EventService.draft, and the proposal's event): one rule for both
forms — today, the counsellor, « Conseiller », the guide's sens and nature, the CEP context
when the event is about the CEP, the counsellor's usual lieu d'accueil."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cep_tui.services.errors import NotFound
from cep_tui.vocabulary import EnrolmentStatus, ExitReason, ReferenceKind
from tests.factories import TODAY, make_dossier, make_enrolment, make_event, make_offer, ref_id

K = ReferenceKind


def test_an_event_on_a_dossier_without_cep(services, actor, dossier):
    draft = services.events.draft(actor, dossier.id)

    assert draft.event_date == TODAY
    assert draft.primary_context_id is None  # not about the CEP: the counsellor chooses
    assert draft.direction_id == ref_id(K.DIRECTION, "Jeune vers Structure")
    assert draft.nature_id == ref_id(K.NATURE, "Entretien individuel")
    assert draft.function_id == ref_id(K.FUNCTION, "Conseiller")
    assert draft.intervenant_id == actor.id
    assert draft.reception_place_id is None  # a newcomer: no usual place yet


def test_an_event_on_a_dossier_with_a_cep_in_progress_is_in_the_cep_context(
    services, actor, dossier, counsellor
):
    make_enrolment(dossier, counsellor)

    draft = services.events.draft(actor, dossier.id)

    assert draft.primary_context_id == ref_id(K.CONTEXT, "CEP")


def test_a_closed_cep_is_no_context(services, actor, dossier, counsellor):
    make_enrolment(
        dossier,
        counsellor,
        status=EnrolmentStatus.CLOSED,
        end_date=TODAY,
        exit_reason=ExitReason.ACTION_PLAN_COMPLETED,
    )

    assert services.events.draft(actor, dossier.id).primary_context_id is None


def test_the_usual_reception_place_is_that_of_the_counsellors_last_event(
    services, actor, dossier, counsellor, colleague
):
    make_event(dossier, counsellor, reception_place="Siège", in_progress=False)
    make_event(dossier, counsellor, reception_place="Antenne", in_progress=False)
    make_event(dossier, colleague, reception_place="Permanence", in_progress=False)

    draft = services.events.draft(actor, dossier.id)

    assert draft.reception_place_id == ref_id(K.RECEPTION_PLACE, "Antenne")


def test_the_proposal_event_is_prefilled_the_same_way(services, actor, dossier, counsellor):
    make_event(dossier, counsellor, reception_place="Antenne", in_progress=False)
    offer = make_offer(dossier.structure, counsellor)

    event = services.proposals.draft(actor, dossier.id, offer.id).event

    assert event.reception_place_id == ref_id(K.RECEPTION_PLACE, "Antenne")
    assert event.primary_context_id == ref_id(K.CONTEXT, "CEP")  # an offer of the CEP
    plain = services.events.draft(actor, dossier.id)
    assert replace(event, primary_context_id=None) == plain


def test_a_dossier_of_another_structure_is_not_found(services, actor, other_structure):
    with pytest.raises(NotFound):
        services.events.draft(actor, make_dossier(other_structure).id)
