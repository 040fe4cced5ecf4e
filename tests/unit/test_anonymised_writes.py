"""Issue 17: an anonymised dossier is never written to again — a rule of the service layer,
not of the dossier screen alone. Every write service that touches a dossier refuses, with
the one French message, and changes nothing (no row, no audit record). Both engines."""

from __future__ import annotations

import pytest

from cep_tui.db.models import ActionPlanItem, Enrolment, Event
from cep_tui.services.action_plan import ActionPlanInput
from cep_tui.services.base import DOSSIER_ANONYMISED
from cep_tui.services.cep import CepModifyInput
from cep_tui.services.dossiers import ComplementsInput, ContactInput, ProfileInput
from cep_tui.services.errors import RuleViolation
from cep_tui.services.proposals import ProposalInput
from tests.factories import cep_add_input, event_input, make_offer
from tests.unit.test_retention import former  # noqa: F401 (the fixture)


@pytest.fixture
def anonymised(services, actor, former):  # noqa: F811
    """Marie-Ange SANTUCCI's dossier, anonymised by the retention: (its id, its closed
    CEP, its closed event, its action plan line)."""
    assert services.retention.apply(actor).count == 1
    enrolment = Enrolment.get(Enrolment.dossier == former.id)
    event = Event.get(Event.dossier == former.id)
    item = ActionPlanItem.get(ActionPlanItem.enrolment == enrolment.id)
    return former.id, enrolment, event, item


WRITES = {
    "coordonnées": lambda s, a, w: s.dossiers.update_contact(a, w[0], ContactInput("1 rue")),
    "compléments": lambda s, a, w: s.dossiers.update_complements(a, w[0], ComplementsInput("x")),
    "profil": lambda s, a, w: s.dossiers.update_profile(a, w[0], ProfileInput()),
    "ouvrir un évènement": lambda s, a, w: s.events.open(a, w[0], event_input(a.id)),
    "clôturer l'évènement": lambda s, a, w: s.events.close(a, w[2].id),
    "vérifier l'ajout du CEP": lambda s, a, w: s.cep.check_can_add(a, w[0]),
    "ajouter le CEP": lambda s, a, w: s.cep.add(a, w[0], cep_add_input()),
    "modifier le CEP": lambda s, a, w: s.cep.modify(a, w[1].id, CepModifyInput()),
    "passer en phase 3": lambda s, a, w: s.cep.pass_to_phase_3(a, w[1].id, "01/11/2026"),
    "clôturer le CEP": lambda s, a, w: s.cep.close(a, w[1].id, "01/11/2026", "deces"),
    "supprimer le CEP": lambda s, a, w: s.cep.delete(a, w[1].id),
    "ajouter une action": lambda s, a, w: s.action_plan.add(
        a, w[1].id, ActionPlanInput("Nouvelle action", "01/12/2026")
    ),
    "modifier une action": lambda s, a, w: s.action_plan.modify(
        a, w[3].id, ActionPlanInput("Autre", "01/12/2026")
    ),
    "supprimer une action": lambda s, a, w: s.action_plan.delete(a, w[3].id),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_to_an_anonymised_dossier_is_refused(
    services, actor, anonymised, audit_count, write
):
    before = audit_count(), Enrolment.select().count(), Event.select().count()
    with pytest.raises(RuleViolation) as refused:
        write(services, actor, anonymised)
    assert refused.value.message == DOSSIER_ANONYMISED
    assert (audit_count(), Enrolment.select().count(), Event.select().count()) == before


def test_proposing_an_offer_to_an_anonymised_dossier_is_refused(
    services, actor, anonymised, structure, counsellor, audit_count
):
    offer = make_offer(structure, counsellor)
    before = audit_count()
    with pytest.raises(RuleViolation, match="anonymisé"):
        services.proposals.propose(
            actor, anonymised[0], offer.id, ProposalInput(proposed_on="29/11/2026")
        )
    assert audit_count() == before


def test_it_can_still_be_read(services, actor, anonymised):
    dossier = services.dossiers.get(actor, anonymised[0])
    assert dossier.anonymised
    assert len(services.cep.list(actor, anonymised[0])) == 1
    assert services.events.list(actor, anonymised[0]).items
