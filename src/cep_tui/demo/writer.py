"""Rows in bulk: the columns each table is written with, the writer that inserts them
(explicit ids, executemany on SQLite, insert_many elsewhere), and the count of what it wrote.

Demo generation is not a counsellor's action: nothing here writes an audit record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import Database, fn

from cep_tui.db.connection import is_sqlite
from cep_tui.db.models import (
    Appointment,
    BaseModel,
    Counsellor,
    Dossier,
    Enrolment,
    Event,
    EventAction,
    Offer,
    PhasePeriod,
    Proposal,
    Request,
    Structure,
)

# Dossiers generated, then written, per batch; also the row chunk of insert_many.
BATCH = 500


@dataclass(frozen=True)
class DemoSummary:
    """How many rows `populate` wrote, table by table."""

    structures: int
    counsellors: int
    dossiers: int
    offers: int
    enrolments: int
    phase_periods: int
    events: int
    event_actions: int
    proposals: int
    requests: int
    appointments: int


# Columns written, in order (every column: the bulk path knows no Python-side default).


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


STRUCTURE_FIELDS = _columns("id code name demonstration")
COUNSELLOR_FIELDS = _columns(
    "id login first_name last_name structure right_view_dossier "
    "right_edit_dossier right_events right_propose_cep right_manage_offers "
    "right_administer active right_view_indicators"
)
DOSSIER_FIELDS = _columns(
    "id structure number last_name first_name birth_date sex address "
    "postal_code city phone email complementary_info situation status "
    "referent search_text created_at updated_at updated_by version "
    "education_level qpv zrr"
)
OFFER_FIELDS = _columns(
    "id structure origin theme service_act regional_service_act offer_type "
    "contract name start_date end_date state referent national_measure "
    "partner public prerequisites places contact search_text created_at "
    "updated_at updated_by version"
)
ENROLMENT_FIELDS = _columns(
    "id dossier dispositif status phase referrer initial_interview_date "
    "entry_date solicitation_reason prescriber_name referent_name "
    "project_type end_date exit_reason created_at created_by updated_at "
    "updated_by version"
)
PHASE_FIELDS = _columns("id enrolment phase start_date end_date")
EVENT_FIELDS = _columns(
    "id dossier event_date primary_context secondary_context tertiary_context "
    "direction nature reception_place function intervenant comment walk_in "
    "in_progress closed_at created_by created_at"
)
ACTION_FIELDS = _columns("id event kind description at counsellor")
PROPOSAL_FIELDS = _columns("id dossier offer event counsellor proposed_on comment created_at")
REQUEST_FIELDS = _columns("id dossier requested_on subject status counsellor")
APPOINTMENT_FIELDS = _columns("id dossier starts_at subject place status counsellor")

TABLE_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {
    Structure: STRUCTURE_FIELDS,
    Counsellor: COUNSELLOR_FIELDS,
    Dossier: DOSSIER_FIELDS,
    Offer: OFFER_FIELDS,
    Enrolment: ENROLMENT_FIELDS,
    PhasePeriod: PHASE_FIELDS,
    Event: EVENT_FIELDS,
    EventAction: ACTION_FIELDS,
    Proposal: PROPOSAL_FIELDS,
    Request: REQUEST_FIELDS,
    Appointment: APPOINTMENT_FIELDS,
}


class BulkWriter:
    """Inserts tuples of values in bulk: executemany on SQLite, insert_many elsewhere.

    Ids are given explicitly (so that rows can point at each other before they exist);
    on PostgreSQL the id sequences are moved past them at the end.
    """

    def __init__(self, db: Database):
        self.db = db
        self.sqlite = is_sqlite(db)
        self.counts: dict[type[BaseModel], int] = {model: 0 for model in TABLE_FIELDS}
        self._sql: dict[type[BaseModel], str] = {}
        self._next: dict[type[BaseModel], int] = {}
        self._sequences = self.sqlite and bool(
            db.execute_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
            ).fetchone()
        )

    def first_id(self, model: type[BaseModel], count: int) -> int:
        """Reserve `count` ids and return the first."""
        if model not in self._next:
            self._next[model] = self._last_id(model) + 1
        first = self._next[model]
        self._next[model] += count
        return first

    def _last_id(self, model: type[BaseModel]) -> int:
        """The highest id the table has given, counting deleted rows (AUTOINCREMENT on
        SQLite; on PostgreSQL the sequence, which never gives an id twice)."""
        last = model.select(fn.MAX(model.id)).scalar() or 0
        if self._sequences:
            row = self.db.execute_sql(
                "SELECT seq FROM sqlite_sequence WHERE name = ?", (model._meta.table_name,)
            ).fetchone()
            last = max(last, row[0] if row else 0)
        elif not self.sqlite:
            (given,) = self.db.execute_sql(
                "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id'))",
                (f'"{model._meta.table_name}"',),
            ).fetchone()
            last = max(last, given or 0)
        return last

    def insert(self, model: type[BaseModel], rows: Sequence[tuple]) -> None:
        if not rows:
            return
        self.counts[model] += len(rows)
        names = TABLE_FIELDS[model]
        if self.sqlite:
            sql = self._sql.get(model)
            if sql is None:
                columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in names)
                marks = ", ".join("?" for _ in names)
                sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
                self._sql[model] = sql
            self.db.connection().executemany(sql, rows)
            return
        fields = [model._meta.fields[n] for n in names]
        for start in range(0, len(rows), BATCH):
            model.insert_many(rows[start : start + BATCH], fields=fields).execute()

    def finish(self) -> None:
        if self.sqlite:
            return
        for model, count in self.counts.items():
            if count:
                table = model._meta.table_name
                self.db.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                    f'(SELECT MAX(id) FROM "{table}"))'
                )

    def summary(self) -> DemoSummary:
        c = self.counts
        return DemoSummary(
            structures=c[Structure],
            counsellors=c[Counsellor],
            dossiers=c[Dossier],
            offers=c[Offer],
            enrolments=c[Enrolment],
            phase_periods=c[PhasePeriod],
            events=c[Event],
            event_actions=c[EventAction],
            proposals=c[Proposal],
            requests=c[Request],
            appointments=c[Appointment],
        )
