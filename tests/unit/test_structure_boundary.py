"""A counsellor sees only the dossiers of their own structure: another structure's dossiers,
dispositifs, events and offers are never found, read nor written."""

from __future__ import annotations

import pytest

from cep_tui.services.dossiers import ComplementsInput, ContactInput
from cep_tui.services.errors import NotFound
from tests.factories import (
    cep_add_input,
    cep_modify_input,
    event_input,
    make_enrolment,
    make_event,
    make_offer,
    proposal_input,
)

DOSSIER_NOT_FOUND = "Dossier introuvable dans votre structure."
ENROLMENT_NOT_FOUND = "Dispositif introuvable : il a peut-être été supprimé."


@pytest.mark.parametrize("text", ["", "lefevre", "oedipe", "14/03/2006", "0", "lef 14/03/2006"])
def test_search_never_finds_another_structures_dossier(
    services, actor, outsider_actor, dossier, text
):
    assert services.dossiers.search(actor, "lefevre").items  # found at home
    assert services.dossiers.search(outsider_actor, text).items == ()


DOSSIER_CALLS = {
    "get": lambda s, a, d, o: s.dossiers.get(a, d),
    "synthesis": lambda s, a, d, o: s.dossiers.synthesis(a, d),
    "requests": lambda s, a, d, o: s.dossiers.requests(a, d),
    "appointments": lambda s, a, d, o: s.dossiers.appointments(a, d),
    "cep.list": lambda s, a, d, o: s.cep.list(a, d),
    "cep.in_progress": lambda s, a, d, o: s.cep.in_progress(a, d),
    "cep.check_can_add": lambda s, a, d, o: s.cep.check_can_add(a, d),
    "events.list": lambda s, a, d, o: s.events.list(a, d),
    "events.in_progress": lambda s, a, d, o: s.events.in_progress(a, d),
    "proposals.list_for_dossier": lambda s, a, d, o: s.proposals.list_for_dossier(a, d),
    "proposals.draft": lambda s, a, d, o: s.proposals.draft(a, d, o),
    "cep.add": lambda s, a, d, o: s.cep.add(a, d, cep_add_input()),
    "events.open": lambda s, a, d, o: s.events.open(a, d, event_input(a.id)),
    "proposals.propose": lambda s, a, d, o: s.proposals.propose(
        a, d, o, proposal_input(event_input(a.id))
    ),
    "update_contact": lambda s, a, d, o: s.dossiers.update_contact(a, d, ContactInput()),
    "update_complements": lambda s, a, d, o: s.dossiers.update_complements(
        a, d, ComplementsInput()
    ),
}


@pytest.mark.parametrize("call", DOSSIER_CALLS.values(), ids=list(DOSSIER_CALLS))
def test_another_structures_dossier_cannot_be_read_nor_written(
    services, outsider_actor, outsider, other_structure, dossier, call
):
    own_offer = make_offer(other_structure, outsider)

    with pytest.raises(NotFound) as refusal:
        call(services, outsider_actor, dossier.id, own_offer.id)
    assert refusal.value.message == DOSSIER_NOT_FOUND


ENROLMENT_CALLS = {
    "get": lambda s, a, e: s.cep.get(a, e),
    "pass_to_phase_3": lambda s, a, e: s.cep.pass_to_phase_3(a, e, "02/10/2026"),
    "modify": lambda s, a, e: s.cep.modify(a, e, cep_modify_input()),
    "close": lambda s, a, e: s.cep.close(a, e, "29/11/2026", "deces"),
    "delete": lambda s, a, e: s.cep.delete(a, e),
}


@pytest.mark.parametrize("call", ENROLMENT_CALLS.values(), ids=list(ENROLMENT_CALLS))
def test_another_structures_dispositif_is_not_found(
    services, outsider_actor, dossier, counsellor, call
):
    enrolment = make_enrolment(dossier, counsellor)

    with pytest.raises(NotFound) as refusal:
        call(services, outsider_actor, enrolment.id)
    assert refusal.value.message == ENROLMENT_NOT_FOUND


def test_another_structures_event_cannot_be_closed(
    services, outsider_actor, actor, dossier, counsellor
):
    event = make_event(dossier, counsellor)

    with pytest.raises(NotFound) as refusal:
        services.events.close(outsider_actor, event.id)
    # The refusal of a missing event (no oracle: tests/unit/test_no_oracles.py).
    assert refusal.value.message == "Évènement introuvable."
    assert services.events.in_progress(actor, dossier.id).id == event.id


def test_another_structures_offer_is_neither_listed_nor_counted(
    services, actor, outsider_actor, counsellor, structure, dossier
):
    offer = make_offer(structure, counsellor)
    make_event(dossier, counsellor)
    services.proposals.propose(actor, dossier.id, offer.id, proposal_input())

    assert services.offers.list(outsider_actor).items == ()
    assert services.proposals.list_for_offer(outsider_actor, offer.id).items == ()
    with pytest.raises(NotFound) as refusal:
        services.offers.get(outsider_actor, offer.id)
    assert refusal.value.message == "Offre introuvable dans votre structure."


def test_intervenant_choices_are_the_structures_active_counsellors(
    services, actor, counsellor, colleague, outsider
):
    names = [c.display_name for c in services.references.counsellors(actor)]
    assert names == ["Bruno DURAND", "Alice MARTIN"]
