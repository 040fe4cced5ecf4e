"""The audit journal: one record per successful write, with the state before and after."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from peewee import Model
from playhouse.shortcuts import model_to_dict

from cep_tui.db.models import AuditRecord, Counsellor
from cep_tui.identity import session_os_account


def snapshot(row: Model | None) -> dict[str, Any] | None:
    """The stored fields of a row, foreign keys as ids."""
    return None if row is None else model_to_dict(row, recurse=False)


def _to_json(state: dict[str, Any] | None) -> str | None:
    if state is None:
        return None
    return json.dumps(state, default=str, ensure_ascii=False, sort_keys=True)


def record(
    counsellor: Counsellor,
    at: dt.datetime,
    action: str,
    entity: str,
    entity_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    AuditRecord.create(
        at=at,
        counsellor=counsellor.id,
        structure=counsellor.structure_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=_to_json(before),
        after=_to_json(after),
        os_account=session_os_account(),
    )


def erase_values(record: AuditRecord, keys: frozenset[str], token: str) -> None:
    """The one sanctioned change of a past record: the retention replaces the personal
    values (`keys`) of its before/after states by `token`; who, when, what, and which
    fields changed stay."""

    def erased(state: str | None) -> str | None:
        if not state:
            return state
        values = json.loads(state)
        for key in keys & values.keys():
            if values[key] not in ("", None):
                values[key] = token
        return _to_json(values)

    before, after = erased(record.before), erased(record.after)
    if (before, after) != (record.before, record.after):
        AuditRecord.update(before=before, after=after).where(AuditRecord.id == record.id).execute()
