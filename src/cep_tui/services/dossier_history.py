"""The « Historique » of a dossier (issue 13, point 2): who changed what, when, with the
values before and after, for a counsellor who may consult the dossier (its structure, the
right « Consulter un dossier »). Read from the audit journal (services/dossier_audit.py);
the fields of each change are those whose value differs (technical ones left out)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from cep_tui.db.models import Counsellor
from cep_tui.services.base import ServiceBase
from cep_tui.services.dossier_audit import dossier_records
from cep_tui.services.views import Actor
from cep_tui.vocabulary import Right

# Fields that say nothing to a counsellor (ids, versions, search keys, timestamps).
HIDDEN = frozenset(
    {"id", "version", "search_text", "created_at", "updated_at", "created_by", "updated_by"}
)


@dataclass(frozen=True)
class Change:
    field: str
    before: object
    after: object


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    counsellor_name: str
    action: str
    entity: str
    changes: tuple[Change, ...]
    erased: bool  # the retention replaced its personal values


def _state(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def changes_of(before: str | None, after: str | None) -> tuple[Change, ...]:
    old, new = _state(before), _state(after)
    return tuple(
        Change(key, old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys())
        if key not in HIDDEN and old.get(key) != new.get(key)
    )


class DossierHistoryService(ServiceBase):
    def history(self, actor: Actor, dossier_id: int) -> tuple[HistoryEntry, ...]:
        """Every change of the dossier and of what hangs on it, newest first."""
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        self.dossier_of(counsellor, dossier_id)  # its structure's, else « introuvable »
        records = dossier_records(dossier_id)
        names = {
            c.id: f"{c.first_name} {c.last_name.upper()}"
            for c in Counsellor.select().where(
                Counsellor.id.in_({r.counsellor_id for r in records})
            )
        }
        return tuple(
            HistoryEntry(
                at=r.at,
                counsellor_name=names.get(r.counsellor_id, ""),
                action=r.action,
                entity=r.entity,
                changes=changes_of(r.before, r.after),
                erased=r.erased_at is not None,
            )
            for r in reversed(records)
        )
