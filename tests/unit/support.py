"""Helpers of the unit tests (not fixtures): the `World` every write service acts on, and
a transaction that is always rolled back."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from cep_tui.db.models import Counsellor, Dossier, Structure
from tests.factories import (
    make_counsellor,
    make_dossier,
    make_enrolment,
    make_event,
    make_offer,
)


@dataclass(frozen=True)
class World:
    """Rows made without services (so the audit journal starts empty):

    - `fresh_dossier`: justified, no dispositif, no event;
    - `followed_dossier`: a CEP in phase 2 since 01/10/2026 and an event in progress;
    - `offer`: an offer of the structure attached to the Mesure nationale CEP;
    - `colleague_id`: another active counsellor of the structure (administration).
    """

    counsellor: Counsellor
    fresh_dossier: Dossier
    followed_dossier: Dossier
    enrolment_id: int
    event_id: int
    offer_id: int
    colleague_id: int


def build_world(structure: Structure, counsellor: Counsellor, fresh_dossier: Dossier) -> World:
    followed = make_dossier(structure, last_name="Dupont", first_name="Léa", referent=counsellor)
    enrolment = make_enrolment(followed, counsellor)
    event = make_event(followed, counsellor, primary="CEP")
    offer = make_offer(structure, counsellor)
    colleague = make_counsellor(structure, first_name="Bastien", last_name="Collègue")
    return World(
        counsellor=counsellor,
        fresh_dossier=fresh_dossier,
        followed_dossier=followed,
        enrolment_id=enrolment.id,
        event_id=event.id,
        offer_id=offer.id,
        colleague_id=colleague.id,
    )


@contextmanager
def rolled_back(db):
    """Run a block in a transaction that is always rolled back, so that the examples of a
    property-based test never see each other's writes."""
    with db.atomic() as transaction:
        yield
        transaction.rollback()
