"""The audit records about one young person: those of their dossier, and of its dispositifs,
plan lines, events and proposals, deleted ones included (a deleted row's records name the
dossier in their state: `"dossier": id`). Read for the copy of the data (who changed the
dossier) and by the retention (whose records lose their personal values)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from peewee import Expression

from cep_tui.db.models import ActionPlanItem, AuditRecord, Enrolment, Event, Proposal

# The entities whose rows belong to one dossier, and how to find the ids of a dossier's.
_CHILDREN = {
    "enrolment": lambda d: Enrolment.select(Enrolment.id).where(Enrolment.dossier == d),
    "event": lambda d: Event.select(Event.id).where(Event.dossier == d),
    "proposal": lambda d: Proposal.select(Proposal.id).where(Proposal.dossier == d),
    "action_plan_item": lambda d: (
        ActionPlanItem.select(ActionPlanItem.id).join(Enrolment).where(Enrolment.dossier == d)
    ),
}
# Entities whose rows can be deleted while their records stay (the others never are).
_DELETABLE = {"enrolment": Enrolment, "action_plan_item": ActionPlanItem}


def _of_living_rows(dossier_id: int) -> Expression:
    condition = (AuditRecord.entity == "dossier") & (AuditRecord.entity_id == dossier_id)
    for entity, ids in _CHILDREN.items():
        condition |= (AuditRecord.entity == entity) & AuditRecord.entity_id.in_(ids(dossier_id))
    return condition


def dossier_of_state(record: AuditRecord) -> int | None:
    """The dossier a record's state names (`"dossier": id`), if any."""
    for state in (record.before, record.after):
        if not state:
            continue
        try:
            value = json.loads(state).get("dossier")
        except (ValueError, AttributeError):
            continue
        if isinstance(value, int):
            return value
    return None


def orphan_records() -> Iterable[AuditRecord]:
    """The records of deleted dispositifs and plan lines (their rows are gone)."""
    for entity, model in _DELETABLE.items():
        yield from AuditRecord.select().where(
            (AuditRecord.entity == entity) & AuditRecord.entity_id.not_in(model.select(model.id))
        )


class OrphanIndex:
    """The records of deleted rows, by the dossier their state names: read once, for the
    many dossiers of a retention run."""

    def __init__(self) -> None:
        self.by_dossier: dict[int, list[int]] = {}
        for record in orphan_records():
            dossier_id = dossier_of_state(record)
            if dossier_id is not None:
                self.by_dossier.setdefault(dossier_id, []).append(record.id)

    def record_ids(self, dossier_id: int) -> list[int]:
        return self.by_dossier.get(dossier_id, [])


def dossier_records(dossier_id: int, orphans: OrphanIndex | None = None) -> list[AuditRecord]:
    """Every audit record about the dossier, oldest first."""
    orphans = orphans or OrphanIndex()
    condition = _of_living_rows(dossier_id)
    extra = orphans.record_ids(dossier_id)
    if extra:
        condition |= AuditRecord.id.in_(extra)
    return list(AuditRecord.select().where(condition).order_by(AuditRecord.at, AuditRecord.id))
