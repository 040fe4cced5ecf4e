"""Supprimer: in phase 2 or 3 only, traced in the event in progress."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.db.models import Enrolment, PhasePeriod
from cep_tui.services.errors import NotFound, RuleViolation
from cep_tui.vocabulary import EnrolmentStatus
from tests.factories import cep_add_input, make_enrolment, make_event


@pytest.mark.parametrize(
    ("kwargs", "description"),
    [
        ({}, "CEP (phase 2, entré le 01/10/2026) supprimé"),
        ({"phase": 3}, "CEP (phase 3, entré le 01/10/2026) supprimé"),
        ({"phase_3_start": dt.date(2027, 1, 15)}, "CEP (phase 3, entré le 01/10/2026) supprimé"),
    ],
    ids=["phase 2", "direct phase 3", "phase 3 planned"],
)
def test_delete_in_progress_traced_in_the_event(
    services, actor, dossier, counsellor, kwargs, description
):
    enrolment = make_enrolment(dossier, counsellor, **kwargs)
    make_event(dossier, counsellor)

    assert services.cep.delete(actor, enrolment.id) is None

    assert services.cep.list(actor, dossier.id) == ()
    assert not PhasePeriod.select().where(PhasePeriod.enrolment == enrolment.id).exists()
    (action,) = services.events.in_progress(actor, dossier.id).actions
    assert (action.kind_label, action.description, action.counsellor_name) == (
        "Suppression de dispositif",
        description,
        "Alice MARTIN",
    )


def test_closed_cannot_be_deleted(services, actor, dossier, counsellor):
    closed = make_enrolment(
        dossier,
        counsellor,
        status=EnrolmentStatus.CLOSED,
        end_date=dt.date(2026, 11, 1),
        exit_reason="deces",
    )

    with pytest.raises(RuleViolation) as refusal:
        services.cep.delete(actor, closed.id)
    assert refusal.value.message == (
        "Seul un dispositif en phase 2 ou 3 peut être supprimé ; celui-ci est clôturé."
    )
    assert Enrolment.get_or_none(Enrolment.id == closed.id) is not None


def test_deleted_dispositif_is_gone(services, actor, dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor)
    services.cep.delete(actor, enrolment.id)

    for read_or_write in (
        lambda: services.cep.get(actor, enrolment.id),
        lambda: services.cep.delete(actor, enrolment.id),
        lambda: services.cep.close(actor, enrolment.id, "29/11/2026", "deces"),
    ):
        with pytest.raises(NotFound) as refusal:
            read_or_write()
        assert refusal.value.message == "Dispositif introuvable : il a peut-être été supprimé."


def test_a_new_cep_can_be_added_after_deletion(services, actor, dossier, counsellor):
    services.cep.delete(actor, make_enrolment(dossier, counsellor).id)

    assert services.cep.add(actor, dossier.id, cep_add_input()).in_progress


def test_the_confirmation_names_the_event_in_progress_where_it_is_traced(
    services, actor, dossier, counsellor
):
    make_enrolment(dossier, counsellor)
    make_event(dossier, counsellor, event_date=dt.date(2026, 11, 28))

    assert services.cep.deletion_trace(actor, dossier.id) == (
        "Cette suppression sera tracée dans l'évènement en cours (du 28/11/2026)."
    )


def test_without_an_event_in_progress_the_confirmation_names_the_history(
    services, actor, dossier, counsellor
):
    from cep_tui.services.dossier_audit import dossier_records

    enrolment = make_enrolment(dossier, counsellor)
    make_event(dossier, counsellor, in_progress=False)

    assert services.cep.deletion_trace(actor, dossier.id) == (
        "Aucun évènement n'est en cours : cette suppression sera tracée dans l'historique "
        "du dossier."
    )
    # And so it is: the audit record of the deletion is among the dossier's.
    services.cep.delete(actor, enrolment.id)
    actions = [record.action for record in dossier_records(dossier.id)]
    assert "Suppression du dispositif CEP" in actions
