"""The audit journal cannot be rewritten (issue 13, point 2).

- Append-only: the database refuses UPDATE and DELETE on `audit_record` (triggers on both
  engines, `install`), with one exception, the retention's erasure of personal values
  (cep_tui.services.retention): it may set `erased_at` and replace `before`/`after`, and
  nothing else; the record keeps its hashes.
- Tamper-evident: each record carries `content_hash`, the SHA-256 of a canonical
  serialisation of its own fields (every column but the id and the hashes, so that columns
  added later are covered), and `chain_hash` = SHA-256(previous record's chain_hash of the
  same structure + content_hash). `verify` recomputes both: a record altered behind the
  triggers' back has a content that no longer matches; a record deleted or inserted breaks
  the chain at the next one. An erased record's content is not checked (its values were
  replaced on purpose), its chain link is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from peewee import Database

from cep_tui.db.connection import is_sqlite
from cep_tui.db.models import AuditRecord

GENESIS = ""
REFUSAL = "audit_record_append_only"
HASH_FIELDS = ("content_hash", "chain_hash", "erased_at")
# The PostgreSQL advisory lock class of a structure's chain (two keys: class, structure).
CHAIN_LOCK = 0x41554454  # "AUDT"


def _value(value):
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical(fields: dict) -> str:
    """The record's own fields (foreign keys as ids), whatever columns it has."""
    kept = {
        name: _value(value) for name, value in fields.items() if name not in ("id", *HASH_FIELDS)
    }
    return json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)


def content_hash(fields: dict) -> str:
    return hashlib.sha256(canonical(fields).encode()).hexdigest()


def chain_hash(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}:{content}".encode()).hexdigest()


def last_chain_hash(db: Database, structure_id: int) -> str:
    """The chain's end for a structure, read under a lock that queues the structure's
    writers at this point until their transaction ends (PostgreSQL; SQLite has one writer
    at a time), so that two writes never extend the chain from the same record."""
    if not is_sqlite(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (CHAIN_LOCK, structure_id))
    row = (
        AuditRecord.select(AuditRecord.chain_hash)
        .where(AuditRecord.structure == structure_id)
        .order_by(AuditRecord.id.desc())
        .first()
    )
    return row.chain_hash or GENESIS if row else GENESIS


def sealed(db: Database, fields: dict) -> dict:
    """`fields` of a new record with its hashes."""
    content = content_hash(fields)
    previous = last_chain_hash(db, fields["structure"])
    return {**fields, "content_hash": content, "chain_hash": chain_hash(previous, content)}


def seal_existing(db: Database) -> None:
    """Hash the records written before the chain (migration), structure by structure."""
    ends: dict[int, str] = {}
    for record in AuditRecord.select().order_by(AuditRecord.id).iterator():
        fields = dict(record.__data__)
        content = content_hash(fields)
        chained = chain_hash(ends.get(record.structure_id, GENESIS), content)
        ends[record.structure_id] = chained
        AuditRecord.update(content_hash=content, chain_hash=chained).where(
            AuditRecord.id == record.id
        ).execute()


@dataclass(frozen=True)
class Break:
    record_id: int
    structure_id: int
    kind: str  # "altered" or "chain"

    @property
    def message(self) -> str:
        if self.kind == "altered":
            return (
                f"Enregistrement n° {self.record_id} (structure {self.structure_id}) modifié : "
                "son contenu ne correspond plus à son empreinte."
            )
        return (
            f"Chaîne rompue avant l'enregistrement n° {self.record_id} (structure "
            f"{self.structure_id}) : un enregistrement a été supprimé ou inséré avant lui, "
            "ou son empreinte a été changée."
        )


def verify() -> Iterator[Break]:
    """Every break of every structure's chain, in the journal's order."""
    ends: dict[int, str] = {}
    for record in AuditRecord.select().order_by(AuditRecord.id).iterator():
        fields = dict(record.__data__)
        structure = record.structure_id
        if record.erased_at is None and record.content_hash != content_hash(fields):
            yield Break(record.id, structure, "altered")
        expected = chain_hash(ends.get(structure, GENESIS), record.content_hash or "")
        if record.chain_hash != expected:
            yield Break(record.id, structure, "chain")
        ends[structure] = record.chain_hash or ""


# -- the database's refusal --------------------------------------------------------------
def _unchanged_sqlite(columns: list[str]) -> str:
    return " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns)


def install(db: Database) -> None:
    """Triggers refusing UPDATE (but the erasure) and DELETE on the audit table."""
    columns = [c.name for c in db.get_columns("audit_record")]
    fixed = [c for c in columns if c not in ("before", "after", "erased_at")]
    if is_sqlite(db):
        db.execute_sql('DROP TRIGGER IF EXISTS "audit_record_no_update"')
        db.execute_sql('DROP TRIGGER IF EXISTS "audit_record_no_delete"')
        db.execute_sql(
            'CREATE TRIGGER "audit_record_no_update" BEFORE UPDATE ON "audit_record" '
            f'WHEN NOT (NEW."erased_at" IS NOT NULL AND {_unchanged_sqlite(fixed)}) '
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )
        db.execute_sql(
            'CREATE TRIGGER "audit_record_no_delete" BEFORE DELETE ON "audit_record" '
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        )
        return
    unchanged = " AND ".join(f'NEW."{c}" IS NOT DISTINCT FROM OLD."{c}"' for c in fixed)
    db.execute_sql(
        'CREATE OR REPLACE FUNCTION "audit_record_append_only"() RETURNS trigger '
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'UPDATE' AND NEW.\"erased_at\" IS NOT NULL AND {unchanged} "
        "THEN RETURN NEW; END IF; "
        f"RAISE EXCEPTION '{REFUSAL}'; END $$"
    )
    db.execute_sql('DROP TRIGGER IF EXISTS "audit_record_append_only" ON "audit_record"')
    db.execute_sql(
        'CREATE TRIGGER "audit_record_append_only" BEFORE UPDATE OR DELETE ON "audit_record" '
        'FOR EACH ROW EXECUTE FUNCTION "audit_record_append_only"()'
    )


def uninstall(db: Database) -> None:
    """For a migration that must rewrite past records (before `install` again)."""
    if is_sqlite(db):
        db.execute_sql('DROP TRIGGER IF EXISTS "audit_record_no_update"')
        db.execute_sql('DROP TRIGGER IF EXISTS "audit_record_no_delete"')
    else:
        db.execute_sql('DROP TRIGGER IF EXISTS "audit_record_append_only" ON "audit_record"')
