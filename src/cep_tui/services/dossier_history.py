"""The « Historique » of a dossier (issue 13, point 2): who changed what, when, with the
values before and after, for a counsellor who may consult the dossier (its structure, the
right « Consulter un dossier »). Read from the audit journal (services/dossier_audit.py);
the fields of each change are those whose value differs (technical ones left out), each
with its form's label and its values as the screens show them (services/history_values.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from cep_tui.services.base import ServiceBase
from cep_tui.services.dossier_audit import dossier_records
from cep_tui.services.history_values import Names, form_order, label_of, shown
from cep_tui.services.views import Actor
from cep_tui.vocabulary import Right


@dataclass(frozen=True)
class Change:
    field: str
    before: object  # as the audit holds it
    after: object
    label: str = ""  # the field's label in its form
    before_text: str = ""  # the values as the screens show them
    after_text: str = ""


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    counsellor_name: str
    action: str
    entity: str
    changes: tuple[Change, ...]
    erased: bool  # the retention replaced its personal values


@dataclass(frozen=True)
class History:
    entries: tuple[HistoryEntry, ...]  # newest first, `limit` at most
    total: int  # how many the dossier has


def _state(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def raw_changes(before: str | None, after: str | None) -> list[tuple[str, object, object]]:
    """The fields whose value differs, by name: (field, before, after)."""
    old, new = _state(before), _state(after)
    return [
        (key, old.get(key), new.get(key))
        for key in sorted(old.keys() | new.keys(), key=form_order)
        if shown(key) and old.get(key) != new.get(key)
    ]


class DossierHistoryService(ServiceBase):
    def history(self, actor: Actor, dossier_id: int, limit: int | None = None) -> History:
        """Every change of the dossier and of what hangs on it, newest first (the `limit`
        most recent)."""
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        self.dossier_of(counsellor, dossier_id)  # its structure's, else « introuvable »
        records = dossier_records(dossier_id)
        recent = list(reversed(records))[:limit]
        diffs = {r.id: raw_changes(r.before, r.after) for r in recent}
        names = Names(
            [
                (field, value)
                for diff in diffs.values()
                for field, *values in diff
                for value in values
            ]
            + [("counsellor", r.counsellor_id) for r in recent]
        )
        entries = tuple(
            HistoryEntry(
                at=r.at,
                counsellor_name=names.value_text(r.entity, "counsellor", r.counsellor_id),
                action=r.action,
                entity=r.entity,
                changes=tuple(
                    Change(
                        field,
                        before,
                        after,
                        label_of(field),
                        names.value_text(r.entity, field, before),
                        names.value_text(r.entity, field, after),
                    )
                    for field, before, after in diffs[r.id]
                ),
                erased=r.erased_at is not None,
            )
            for r in recent
        )
        return History(entries, len(records))
