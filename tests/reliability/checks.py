"""What must hold in the database after any drill, whatever happened during it.

`problems()` returns every broken rule as one readable line (an empty list when
all is well), so that a failing drill shows all it found at once. It reads the database the
models are bound to (the last `open_database`), on either engine: SQLite's own checks
(integrity_check, foreign_key_check) run on SQLite only, PostgreSQL enforcing foreign keys
on every statement; the search key tables are checked on both (each engine's triggers keep
them).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections import Counter, defaultdict

from peewee import fn

from cep_tui.db import search
from cep_tui.db.connection import database_proxy, is_sqlite
from cep_tui.db.models import AuditRecord, Enrolment, Event, EventAction, PhasePeriod, Proposal
from cep_tui.services import audit
from cep_tui.services.cep import CepService
from cep_tui.vocabulary import ActionKind, EnrolmentStatus
from tests.reliability.worker import (
    ADDED,
    CLOSED,
    DELETED,
    EVENT_OPENED,
    MODIFIED,
    PHASE_3,
    PROPOSED,
    Key,
)

CREATION = {"enrolment": ADDED, "event": EVENT_OPENED, "proposal": PROPOSED}
ENROLMENT_ACTION_KINDS = {
    ADDED: ActionKind.DISPOSITIF_ADDED,
    PHASE_3: ActionKind.PHASE_3,
    MODIFIED: ActionKind.DISPOSITIF_MODIFIED,
    CLOSED: ActionKind.DISPOSITIF_CLOSED,
    DELETED: ActionKind.DISPOSITIF_DELETED,
}


def _json(state: dict | None):
    """A state as the audit journal stores it, read back."""
    return json.loads(audit._to_json(state)) if state is not None else None


def _loads(text: str | None):
    return json.loads(text) if text is not None else None


def audit_key(record: AuditRecord) -> Key:
    """The key a writer reports for the audit record of its committed operation."""
    version = None
    if record.entity == "enrolment" and record.after is not None:
        version = json.loads(record.after)["version"]
    return (record.entity, record.entity_id, record.action, version)


def audit_keys() -> Counter:
    return Counter(audit_key(r) for r in AuditRecord.select().order_by(AuditRecord.id))


def current_states() -> dict[tuple[str, int], dict]:
    """The state of every row the drills write, as the audit journal would record it."""
    states = {}
    for enrolment in Enrolment.select():
        states["enrolment", enrolment.id] = _json(CepService._state(enrolment))
    for event in Event.select():
        states["event", event.id] = _json(audit.snapshot(event))
    for proposal in Proposal.select():
        states["proposal", proposal.id] = _json(audit.snapshot(proposal))
    return states


def problems() -> list[str]:
    found: list[str] = []
    db = database_proxy.obj
    if is_sqlite(db):
        integrity = [row[0] for row in db.execute_sql("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            found.append(f"integrity_check: {integrity}")
        orphans = list(db.execute_sql("PRAGMA foreign_key_check"))
        if orphans:
            found.append(f"foreign_key_check: {orphans}")
    found += _search_keys_match_rows()
    found += _one_in_progress()
    found += _phase_histories()
    found += _audit_matches_rows()
    found += _event_actions()
    return found


def _search_keys_match_rows() -> list[str]:
    """The search key tables hold exactly the keys of the rows they index, as the engine's
    triggers write them (`key_entries` follows the engine in use)."""
    db = database_proxy.obj
    columns = ", ".join(f'"{column}"' for column in search.KEY_COLUMNS)
    found = []
    for searchable in search.SEARCHABLES:
        model = searchable.model
        expected = Counter(
            entry
            for row in model.select(model.id, model.structure, model.search_text)
            for entry in search.key_entries(
                row.structure_id, row.id, row.search_text, joined_words=searchable.joined_words
            )
        )
        stored = Counter(
            tuple(entry)
            for entry in db.execute_sql(
                f'SELECT {columns} FROM "{searchable.key_table}"'
            ).fetchall()
        )
        if stored != expected:
            found.append(
                f"{searchable.key_table}: {sum((stored - expected).values())} entries too "
                f"many, {sum((expected - stored).values())} missing"
            )
    return found


def _one_in_progress() -> list[str]:
    found = []
    for model, condition in (
        (Enrolment, Enrolment.status == EnrolmentStatus.IN_PROGRESS.value),
        (Event, Event.in_progress == True),  # noqa: E712
    ):
        rows = list(
            model.select(model.dossier, fn.COUNT(model.id))
            .where(condition)
            .group_by(model.dossier)
            .having(fn.COUNT(model.id) > 1)
            .tuples()
        )
        if rows:
            found.append(f"more than one {model._meta.table_name} in progress per dossier: {rows}")
    return found


def _phase_histories() -> list[str]:
    found = []
    phases: dict[int, dict[int, PhasePeriod]] = defaultdict(dict)
    for period in PhasePeriod.select():
        phases[period.enrolment_id][period.phase] = period
    for e in Enrolment.select():
        mine = phases.get(e.id, {})
        name = f"enrolment {e.id}"
        if not mine:
            found.append(f"{name} has no phase")
            continue
        if max(mine) != e.phase:
            found.append(f"{name} is in phase {e.phase} but its phases are {sorted(mine)}")
            continue
        first = mine[min(mine)]
        if first.start_date != e.entry_date:
            found.append(f"{name}: first phase starts {first.start_date}, entry {e.entry_date}")
        if 2 in mine and 3 in mine:
            eve = mine[3].start_date - dt.timedelta(days=1)
            if mine[2].end_date != eve:
                found.append(f"{name}: phase 2 ends {mine[2].end_date}, not the eve {eve}")
        current = mine[e.phase]
        if e.status == EnrolmentStatus.CLOSED.value:
            if e.end_date is None or e.exit_reason is None:
                found.append(f"{name} is closed without end date or exit reason")
            if current.end_date != e.end_date:
                found.append(f"{name}: closed {e.end_date}, phase ends {current.end_date}")
        elif current.end_date is not None or e.end_date is not None:
            found.append(f"{name} is in progress but has an end date")
    return found


def _audit_matches_rows() -> list[str]:
    """Each audited row has an unbroken chain of records: created once, each record's
    `before` is the previous one's `after`, the last `after` is the row as it is now (or
    a deletion, and the row is gone). Every row has its records."""
    found = []
    chains: dict[tuple[str, int], list[AuditRecord]] = defaultdict(list)
    for record in AuditRecord.select().order_by(AuditRecord.id):
        chains[record.entity, record.entity_id].append(record)
    states = current_states()
    for ident, records in chains.items():
        if ident[0] not in CREATION:
            continue
        name = f"{ident[0]} {ident[1]}"
        if records[0].action != CREATION[ident[0]] or records[0].before is not None:
            found.append(f"{name}: first audit record is {records[0].action!r}")
        for previous, record in itertools.pairwise(records):
            if record.action == CREATION[ident[0]] or previous.after is None:
                found.append(f"{name}: id given again after {previous.action!r}")
            elif _loads(record.before) != _loads(previous.after):
                found.append(f"{name}: audit record {record.id} does not follow {previous.id}")
        last = _loads(records[-1].after)
        if last is None and ident in states:
            found.append(f"{name}: deleted in the audit journal but still present")
        elif last is not None and _audited_part(states.get(ident), last) != last:
            found.append(
                f"{name}: row {states.get(ident)} differs from its last audit record {last}"
            )
    for ident in states.keys() - chains.keys():
        found.append(f"{ident[0]} {ident[1]} has no audit record")
    return found


def _audited_part(state: dict | None, audited: dict) -> dict | None:
    """The fields of `state` the audit record holds (a later schema may add columns)."""
    return None if state is None else {name: state.get(name) for name in audited}


def _event_actions() -> list[str]:
    """Every action is in an event of the dossier it concerns: a proposal's in the
    proposal's event; a dispositif's in an event of the dispositif's dossier, never more
    often than the audit journal says the operation was done there."""
    found = []
    actions: Counter = Counter()
    for action in EventAction.select(EventAction, Event).join(Event):
        actions[action.event.dossier_id, action.event_id, action.counsellor_id, action.kind] += 1
    proposed: Counter = Counter()
    for p in Proposal.select(Proposal, Event).join(Event):
        if p.event.dossier_id != p.dossier_id:
            found.append(f"proposal {p.id} is in event {p.event_id} of another dossier")
        proposed[p.dossier_id, p.event_id, p.counsellor_id, ActionKind.OFFER_PROPOSED.value] += 1
    recorded = Counter(
        {k: n for k, n in actions.items() if k[3] == ActionKind.OFFER_PROPOSED.value}
    )
    if recorded != proposed:
        found.append(f"offer proposals {dict(proposed)} but actions {dict(recorded)}")

    per_dossier: Counter = Counter()
    for (dossier_id, _event, counsellor_id, kind), n in actions.items():
        if kind != ActionKind.OFFER_PROPOSED.value:
            per_dossier[dossier_id, counsellor_id, kind] += n
    audited: Counter = Counter()
    for record in AuditRecord.select().where(AuditRecord.entity == "enrolment"):
        state = _loads(record.after) or _loads(record.before)
        kind = ENROLMENT_ACTION_KINDS[record.action].value
        audited[state["dossier"], record.counsellor_id, kind] += 1
    for key, n in per_dossier.items():
        if n > audited[key]:
            found.append(f"{n} actions {key} for {audited[key]} audited operations")
    return found
