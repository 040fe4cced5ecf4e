"""The « Historique » of a dossier (issue 13, point 2), on both engines: who changed what,
when, before and after, newest first; within the counsellor's rights and structure."""

from __future__ import annotations

import pytest

from cep_tui.services.dossiers import ContactInput
from cep_tui.services.errors import NotFound, PermissionDenied
from tests.factories import event_input


def test_the_history_says_who_changed_what_and_when(services, actor, dossier, counsellor, clock):
    services.events.open(actor, dossier.id, event_input(counsellor.id, comment="Premier"))
    services.dossiers.update_contact(actor, dossier.id, ContactInput(city="Ajaccio"))

    contact, event = services.dossier_history.history(actor, dossier.id)

    assert (contact.counsellor_name, contact.entity, contact.at) == (
        "Alice MARTIN",
        "dossier",
        clock.now(),
    )
    assert [(c.field, c.before, c.after) for c in contact.changes] == [("city", "", "Ajaccio")]
    assert event.action == "Ouverture d'évènement" and not event.erased
    assert ("comment", None, "Premier") in [(c.field, c.before, c.after) for c in event.changes]


def test_the_history_is_for_who_may_consult_the_dossier(
    services, actor, dossier, outsider_actor, actor_with
):
    services.dossiers.update_contact(actor, dossier.id, ContactInput(city="Bastia"))
    with pytest.raises(NotFound):
        services.dossier_history.history(outsider_actor, dossier.id)
    with pytest.raises(PermissionDenied):
        services.dossier_history.history(actor_with(frozenset()), dossier.id)
