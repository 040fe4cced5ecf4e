"""The audit journal: one record per successful write (two when a proposal opens its event:
the event's, then the proposal's), by whom and when, and none for a refused write."""

from __future__ import annotations

import json

import pytest

from cep_tui.db.models import AuditRecord
from cep_tui.services.errors import DomainError
from tests.factories import NOW, cep_modify_input
from tests.unit.write_operations import WRITE_OPERATIONS


def journal() -> list[AuditRecord]:
    return list(AuditRecord.select().order_by(AuditRecord.id))


@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=str)
def test_each_successful_write_is_journaled_once(
    services, actor, counsellor, structure, world, operation
):
    operation.valid(services, actor, world)

    records = journal()
    assert [(r.entity, r.action) for r in records] == list(operation.journal)
    for record in records:
        assert (record.counsellor_id, record.structure_id, record.at) == (
            counsellor.id,
            structure.id,
            NOW,
        )
        assert record.entity_id is not None
        assert record.after is not None or record.action.startswith("Suppression")


@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=str)
def test_a_refused_write_is_not_journaled(services, actor, world, operation):
    with pytest.raises(DomainError):
        operation.refused(services, actor, world)

    assert journal() == []


def test_reads_are_not_journaled(services, actor, world):
    services.dossiers.search(actor, "")
    services.dossiers.synthesis(actor, world.followed_dossier.id)
    services.cep.list(actor, world.followed_dossier.id)
    services.events.list(actor, world.followed_dossier.id)
    services.offers.get(actor, world.offer_id)

    assert journal() == []


def test_a_proposal_that_opens_its_event_journals_the_event_then_the_proposal(
    services, actor, world
):
    operation = next(o for o in WRITE_OPERATIONS if o.name.endswith("(opens an event)"))

    proposal = operation.valid(services, actor, world)

    event_record, proposal_record = journal()
    assert (event_record.entity, event_record.entity_id) == ("event", proposal.event_id)
    assert (proposal_record.entity, proposal_record.entity_id) == ("proposal", proposal.id)


def test_states_before_and_after(services, actor, world, ref):
    services.cep.modify(actor, world.enrolment_id, cep_modify_input())
    services.cep.delete(actor, world.enrolment_id)

    modified, deleted = (r for r in journal() if r.entity == "enrolment")
    before, after = json.loads(modified.before), json.loads(modified.after)
    assert (before["prescriber_name"], after["prescriber_name"]) == ("", "Mme Prescriptrice")
    assert (before["version"], after["version"]) == (1, 2)
    assert [p["phase"] for p in after["phases"]] == [2]
    assert json.loads(deleted.before)["version"] == 2
    assert deleted.after is None
    assert deleted.entity_id == world.enrolment_id
