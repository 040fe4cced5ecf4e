"""A write hands back the view of what it wrote, built from what its transaction holds
rather than read again: it is the very view a read gives the instant after."""

from __future__ import annotations

import dataclasses

from cep_tui.db.models import ReferenceValue
from cep_tui.services.views import OfferRow
from cep_tui.vocabulary import ReferenceKind
from tests.factories import (
    cep_add_input,
    cep_modify_input,
    event_input,
    offer_input,
    proposal_input,
)


def test_the_cep_views_a_write_hands_back_are_those_read_after(services, actor, world):
    dossier_id = world.fresh_dossier.id
    services.events.open(actor, dossier_id, event_input(world.counsellor.id))

    added = services.cep.add(actor, dossier_id, cep_add_input(prescriber_name="Mme Rossi"))
    assert added == services.cep.get(actor, added.id)
    modified = services.cep.modify(actor, added.id, cep_modify_input(project_type_id=None))
    assert modified == services.cep.get(actor, added.id)
    passed = services.cep.pass_to_phase_3(actor, added.id, "02/10/2026")
    assert passed == services.cep.get(actor, added.id)
    assert [p.phase for p in passed.phases] == [2, 3]
    closed = services.cep.close(actor, added.id, "29/11/2026", "plan_action_realise")
    assert closed == services.cep.get(actor, added.id)


def test_a_deactivated_value_the_cep_holds_shows_as_read(services, actor, world, ref):
    """Modified with the value it already holds, now deactivated: kept, and shown so."""
    referrer = ref(ReferenceKind.REFERRER, "Mission Locale")
    cep = services.cep.add(actor, world.fresh_dossier.id, cep_add_input())
    ReferenceValue.update(active=False).where(ReferenceValue.id == referrer).execute()

    modified = services.cep.modify(actor, cep.id, cep_modify_input(referrer_id=referrer))

    assert modified == services.cep.get(actor, cep.id)
    assert (modified.referrer.id, modified.referrer.active) == (referrer, False)


def test_the_event_views_a_write_hands_back_are_those_read_after(services, actor, world, colleague):
    dossier_id = world.fresh_dossier.id
    opened = services.events.open(
        actor, dossier_id, event_input(colleague.id, comment="Premier entretien")
    )
    assert opened == services.events.in_progress(actor, dossier_id)
    assert opened.intervenant_name == "Bruno DURAND"

    services.proposals.propose(actor, dossier_id, world.offer_id, proposal_input())
    closed = services.events.close(actor, opened.id)
    assert closed == services.events.list(actor, dossier_id).items[0]
    assert len(closed.actions) == 1


def test_the_offer_views_a_write_hands_back_are_those_read_after(services, actor, world):
    created = services.offers.create(actor, offer_input(world.counsellor.id, places="12"))
    assert created == services.offers.get(actor, created.id)

    services.proposals.propose(
        actor, world.followed_dossier.id, created.id, proposal_input(proposed_on="29/11/2026")
    )
    modified = services.offers.modify(
        actor, created.id, offer_input(world.counsellor.id, name="Autre nom", places="")
    )
    assert modified == services.offers.get(actor, created.id)
    assert modified.proposals_count == 1


def test_a_line_of_the_offers_screen_says_what_the_offer_says(services, actor, world):
    offer = services.offers.get(actor, world.offer_id)

    (row,) = services.offers.list(actor).items

    assert isinstance(row, OfferRow)
    assert dataclasses.asdict(row) == {
        "id": offer.id,
        "name": offer.name,
        "theme": dataclasses.asdict(offer.theme),
        "national_measure": dataclasses.asdict(offer.national_measure),
        "state": dataclasses.asdict(offer.state),
        "start_date": offer.start_date,
        "end_date": offer.end_date,
        "partner": offer.partner,
    }
    assert row.is_cep and offer.is_cep
