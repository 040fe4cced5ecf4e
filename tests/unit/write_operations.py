"""Every write service, as data: the rights it needs, what it journals, and one valid and
one refused call, so that rights, audit and account tests run over all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cep_tui.services import Services
from cep_tui.services.administration import CounsellorInput
from cep_tui.services.cep import CepAddInput, CepModifyInput
from cep_tui.services.dossiers import ComplementsInput, ContactInput, ProfileInput
from cep_tui.services.events import EventInput
from cep_tui.services.offer_form import OfferInput
from cep_tui.services.views import Actor
from cep_tui.vocabulary import ReferenceKind, Right
from tests.factories import (
    cep_add_input,
    cep_modify_input,
    event_input,
    offer_input,
    proposal_input,
    ref_id,
)
from tests.unit.support import World

Call = Callable[[Services, Actor, World], object]


@dataclass(frozen=True)
class WriteOperation:
    name: str
    rights: frozenset[Right]
    # (entity, action) of each audit record a success writes, in order.
    journal: tuple[tuple[str, str], ...]
    valid: Call
    refused: Call

    def __str__(self) -> str:
        return self.name


VIEW, EDIT, EVENTS, CEP, OFFERS, ADMIN = (
    Right.VIEW_DOSSIER,
    Right.EDIT_DOSSIER,
    Right.EVENTS,
    Right.PROPOSE_CEP,
    Right.MANAGE_OFFERS,
    Right.ADMINISTER,
)

WRITE_OPERATIONS: tuple[WriteOperation, ...] = (
    WriteOperation(
        "cep.add",
        frozenset({VIEW, CEP}),
        (("enrolment", "Ajout du dispositif CEP"),),
        lambda s, a, w: s.cep.add(a, w.fresh_dossier.id, cep_add_input()),
        lambda s, a, w: s.cep.add(a, w.fresh_dossier.id, CepAddInput()),
    ),
    WriteOperation(
        "cep.pass_to_phase_3",
        frozenset({VIEW, CEP}),
        (("enrolment", "Passage en phase 3"),),
        lambda s, a, w: s.cep.pass_to_phase_3(a, w.enrolment_id, "02/10/2026"),
        lambda s, a, w: s.cep.pass_to_phase_3(a, w.enrolment_id, "01/10/2026"),
    ),
    WriteOperation(
        "cep.modify",
        frozenset({VIEW, CEP}),
        (("enrolment", "Modification du dispositif CEP"),),
        lambda s, a, w: s.cep.modify(a, w.enrolment_id, cep_modify_input()),
        lambda s, a, w: s.cep.modify(a, w.enrolment_id, CepModifyInput()),
    ),
    WriteOperation(
        "cep.close",
        frozenset({VIEW, CEP}),
        (("enrolment", "Clôture du dispositif CEP"),),
        lambda s, a, w: s.cep.close(a, w.enrolment_id, "29/11/2026", "plan_action_realise"),
        lambda s, a, w: s.cep.close(a, w.enrolment_id, "30/11/2026", "plan_action_realise"),
    ),
    WriteOperation(
        "cep.delete",
        frozenset({VIEW, CEP}),
        (("enrolment", "Suppression du dispositif CEP"),),
        lambda s, a, w: s.cep.delete(a, w.enrolment_id),
        lambda s, a, w: s.cep.delete(a, w.enrolment_id, expected_version=99),
    ),
    WriteOperation(
        "events.open",
        frozenset({VIEW, EVENTS}),
        (("event", "Ouverture d'évènement"),),
        lambda s, a, w: s.events.open(a, w.fresh_dossier.id, event_input(w.counsellor.id)),
        lambda s, a, w: s.events.open(a, w.fresh_dossier.id, EventInput()),
    ),
    WriteOperation(
        "events.close",
        frozenset({VIEW, EVENTS}),
        (("event", "Clôture d'évènement"),),
        lambda s, a, w: s.events.close(a, w.event_id),
        lambda s, a, w: s.events.close(a, 999_999),
    ),
    WriteOperation(
        "proposals.propose (event in progress)",
        frozenset({VIEW, CEP}),
        (("proposal", "Proposition d'offre"),),
        lambda s, a, w: s.proposals.propose(a, w.followed_dossier.id, w.offer_id, proposal_input()),
        lambda s, a, w: s.proposals.propose(
            a, w.followed_dossier.id, w.offer_id, proposal_input(proposed_on="")
        ),
    ),
    WriteOperation(
        "proposals.propose (opens an event)",
        frozenset({VIEW, CEP, EVENTS}),
        (("event", "Ouverture d'évènement"), ("proposal", "Proposition d'offre")),
        lambda s, a, w: s.proposals.propose(
            a, w.fresh_dossier.id, w.offer_id, proposal_input(event_input(w.counsellor.id))
        ),
        lambda s, a, w: s.proposals.propose(a, w.fresh_dossier.id, w.offer_id, proposal_input()),
    ),
    WriteOperation(
        "offers.create",
        frozenset({OFFERS}),
        (("offer", "Création d'offre de service"),),
        lambda s, a, w: s.offers.create(a, offer_input(w.counsellor.id)),
        lambda s, a, w: s.offers.create(a, OfferInput()),
    ),
    WriteOperation(
        "offers.modify",
        frozenset({OFFERS}),
        (("offer", "Modification d'offre de service"),),
        lambda s, a, w: s.offers.modify(a, w.offer_id, offer_input(w.counsellor.id, name="Neuf")),
        lambda s, a, w: s.offers.modify(a, w.offer_id, offer_input(w.counsellor.id, name="")),
    ),
    WriteOperation(
        "dossiers.update_contact",
        frozenset({VIEW, EDIT}),
        (("dossier", "Modification des coordonnées"),),
        lambda s, a, w: s.dossiers.update_contact(
            a, w.fresh_dossier.id, ContactInput(city="Ajaccio", postal_code="20000")
        ),
        lambda s, a, w: s.dossiers.update_contact(
            a, w.fresh_dossier.id, ContactInput(postal_code="2A000")
        ),
    ),
    WriteOperation(
        "dossiers.update_complements",
        frozenset({VIEW, EDIT}),
        (("dossier", "Modification des compléments"),),
        lambda s, a, w: s.dossiers.update_complements(
            a, w.fresh_dossier.id, ComplementsInput(situation="En recherche d'emploi")
        ),
        lambda s, a, w: s.dossiers.update_complements(
            a, w.fresh_dossier.id, ComplementsInput(situation="x" * 2001)
        ),
    ),
    WriteOperation(
        "dossiers.update_profile",
        frozenset({VIEW, EDIT}),
        (("dossier", "Modification du profil"),),
        lambda s, a, w: s.dossiers.update_profile(
            a, w.fresh_dossier.id, ProfileInput(education_level="niveau3", qpv="oui")
        ),
        lambda s, a, w: s.dossiers.update_profile(
            a, w.fresh_dossier.id, ProfileInput(education_level="bac+12")
        ),
    ),
)

# The administration of the structure: reference lists and counsellors.
WRITE_OPERATIONS += (
    WriteOperation(
        "administration.add_reference",
        frozenset({ADMIN}),
        (("reference_value", "Ajout de valeur de référence"),),
        lambda s, a, w: s.administration.add_reference(a, ReferenceKind.RECEPTION_PLACE, "Visio"),
        lambda s, a, w: s.administration.add_reference(a, ReferenceKind.RECEPTION_PLACE, " "),
    ),
    WriteOperation(
        "administration.rename_reference",
        frozenset({ADMIN}),
        (("reference_value", "Renommage de valeur de référence"),),
        lambda s, a, w: s.administration.rename_reference(
            a, ref_id(ReferenceKind.RECEPTION_PLACE, "Antenne"), "Antenne Nord"
        ),
        lambda s, a, w: s.administration.rename_reference(
            a, ref_id(ReferenceKind.RECEPTION_PLACE, "Antenne"), "Siège"
        ),
    ),
    WriteOperation(
        "administration.set_reference_active",
        frozenset({ADMIN}),
        (("reference_value", "Désactivation de valeur de référence"),),
        lambda s, a, w: s.administration.set_reference_active(
            a, ref_id(ReferenceKind.RECEPTION_PLACE, "Siège"), False
        ),
        lambda s, a, w: s.administration.set_reference_active(
            a, ref_id(ReferenceKind.CONTEXT, code="CEP"), False
        ),
    ),
    WriteOperation(
        "administration.delete_reference",
        frozenset({ADMIN}),
        (("reference_value", "Suppression de valeur de référence"),),
        lambda s, a, w: s.administration.delete_reference(
            a, ref_id(ReferenceKind.RECEPTION_PLACE, "Hors les murs")
        ),
        lambda s, a, w: s.administration.delete_reference(
            a, ref_id(ReferenceKind.RECEPTION_PLACE, "Siège")
        ),
    ),
    WriteOperation(
        "administration.create_counsellor",
        frozenset({ADMIN}),
        (("counsellor", "Création de conseiller"),),
        lambda s, a, w: s.administration.create_counsellor(
            a, CounsellorInput("d.nouveau", "Denis", "Nouveau", frozenset({VIEW}))
        ),
        lambda s, a, w: s.administration.create_counsellor(a, CounsellorInput()),
    ),
    WriteOperation(
        "administration.set_counsellor_active",
        frozenset({ADMIN}),
        (("counsellor", "Désactivation de conseiller"),),
        lambda s, a, w: s.administration.set_counsellor_active(a, w.colleague_id, False),
        lambda s, a, w: s.administration.set_counsellor_active(a, w.colleague_id, True),
    ),
    WriteOperation(
        "administration.set_rights",
        frozenset({ADMIN}),
        (("counsellor", "Modification des droits"),),
        lambda s, a, w: s.administration.set_rights(a, w.colleague_id, {VIEW, OFFERS}),
        lambda s, a, w: s.administration.set_rights(a, w.colleague_id, {"tout"}),
    ),
)

RIGHT_CASES = tuple(
    (operation, right)
    for operation in WRITE_OPERATIONS
    for right in sorted(operation.rights, key=list(Right).index)
)
