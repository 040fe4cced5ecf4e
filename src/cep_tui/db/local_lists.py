"""The local reference lists (vocabulary.LOCAL_KINDS) belong to one structure each (issue
13, point 1): every structure has its own values, seen, counted and changed only there.

- A new structure starts with the default values of each local list: a trigger after the
  insert of a structure (structures are inserted in SQL by the information system, README)
  copies them, on each engine in its own way (`install`).
- `give_owners` (migration 10) gives each structure its own copy of every local value that
  was shared before, and points that structure's records at its copies: no record changes
  meaning (same label, same position, same state). The shared values then go.
"""

from __future__ import annotations

import json

from peewee import Database

from cep_tui.db.connection import is_sqlite
from cep_tui.db.reference_seed import REFERENCE_LISTS
from cep_tui.vocabulary import LOCAL_KINDS

TRIGGER = "structure_local_lists"
# The records' columns that hold a local value, and how to reach their structure.
# (table, column): each of these rows belongs to the structure of its dossier.
LOCAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event", "reception_place_id"),
    ("enrolment", "referrer_id"),
    ("enrolment", "solicitation_reason_id"),
    ("enrolment", "project_type_id"),
)
_STRUCTURE_OF_ROW = 'SELECT "structure_id" FROM "dossier" WHERE "id" = r."dossier_id"'


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _default_rows(new_id: str, true: str) -> str:
    return ", ".join(
        f"({_quote(kind.value)}, {_quote(label)}, {position}, {true}, {new_id})"
        for kind in sorted(LOCAL_KINDS)
        for position, label in enumerate(REFERENCE_LISTS[kind])
    )


def _insert_defaults(new_id: str, true: str) -> str:
    return (
        'INSERT INTO "reference_value" ("kind", "label", "position", "active", "structure_id") '
        f"VALUES {_default_rows(new_id, true)};"
    )


def install(db: Database) -> None:
    """The trigger that gives a new structure the default values of the local lists."""
    if is_sqlite(db):
        insert = _insert_defaults('NEW."id"', "1")
        db.execute_sql(f'DROP TRIGGER IF EXISTS "{TRIGGER}"')
        db.execute_sql(f'CREATE TRIGGER "{TRIGGER}" AFTER INSERT ON "structure" BEGIN {insert} END')
        return
    db.execute_sql(
        f'CREATE OR REPLACE FUNCTION "{TRIGGER}"() RETURNS trigger LANGUAGE plpgsql AS $$ '
        f"BEGIN {_insert_defaults('NEW.id', 'TRUE')} RETURN NULL; END $$"
    )
    db.execute_sql(f'DROP TRIGGER IF EXISTS "{TRIGGER}" ON "structure"')
    db.execute_sql(
        f'CREATE TRIGGER "{TRIGGER}" AFTER INSERT ON "structure" '
        f'FOR EACH ROW EXECUTE FUNCTION "{TRIGGER}"()'
    )


def give_owners(db: Database) -> None:
    """Each structure its own copy of every shared local value, its records repointed,
    the shared values deleted (nothing else refers to them then)."""
    kinds = ", ".join(_quote(k.value) for k in sorted(LOCAL_KINDS))
    shared = f'"structure_id" IS NULL AND "kind" IN ({kinds})'

    def shared_as(alias: str) -> str:
        return f'{alias}."structure_id" IS NULL AND {alias}."kind" IN ({kinds})'

    if not db.execute_sql(f'SELECT 1 FROM "reference_value" WHERE {shared} LIMIT 1').fetchone():
        return
    db.execute_sql(
        'INSERT INTO "reference_value" ("kind", "code", "label", "position", "active", '
        '"structure_id") SELECT v."kind", v."code", v."label", v."position", v."active", s."id" '
        f'FROM "reference_value" AS v CROSS JOIN "structure" AS s WHERE {shared_as("v")} '
        'AND NOT EXISTS (SELECT 1 FROM "reference_value" AS mine WHERE mine."structure_id" = '
        's."id" AND mine."kind" = v."kind" AND mine."label" = v."label")'
    )
    copies = {
        (old, structure): mine
        for old, structure, mine in db.execute_sql(
            'SELECT old."id", mine."structure_id", mine."id" FROM "reference_value" AS old '
            'JOIN "reference_value" AS mine ON mine."kind" = old."kind" '
            'AND mine."label" = old."label" AND mine."structure_id" IS NOT NULL '
            f"WHERE {shared_as('old')}"
        )
    }
    _translate_audit(db, copies)
    for table, column in LOCAL_COLUMNS:
        db.execute_sql(
            f'UPDATE "{table}" AS r SET "{column}" = (SELECT mine."id" FROM "reference_value" '
            'AS mine JOIN "reference_value" AS old ON old."kind" = mine."kind" '
            f'AND old."label" = mine."label" WHERE old."id" = r."{column}" '
            f'AND mine."structure_id" = ({_STRUCTURE_OF_ROW})) '
            f'WHERE r."{column}" IN (SELECT "id" FROM "reference_value" WHERE {shared})'
        )
    db.execute_sql(f'DELETE FROM "reference_value" WHERE {shared}')


def _translate_audit(db: Database, copies: dict[tuple[int, int], int]) -> None:
    """The audit records of events and dispositifs name the values they held by id: those
    ids follow the records to the structure's copies, so that the history still says
    what it said (and each row still matches its last audit record). Written as the
    audit writes them (cep_tui.services.audit)."""
    keys = {column.removesuffix("_id") for _, column in LOCAL_COLUMNS}

    def translated(state: str | None, structure: int) -> str | None:
        if not state:
            return state
        values = json.loads(state)
        for key in keys & values.keys():
            if (values[key], structure) in copies:
                values[key] = copies[values[key], structure]
        return json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)

    rows = db.execute_sql(
        'SELECT "id", "structure_id", "before", "after" FROM "audit_record" '
        "WHERE \"entity\" IN ('event', 'enrolment') ORDER BY \"id\""
    ).fetchall()
    mark = db.param
    for ident, structure, before, after in rows:
        new = (translated(before, structure), translated(after, structure))
        if new != (before, after):
            db.execute_sql(
                f'UPDATE "audit_record" SET "before" = {mark}, "after" = {mark} '
                f'WHERE "id" = {mark}',
                (*new, ident),
            )
