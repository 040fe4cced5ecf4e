"""Schema versions, recorded in `schema_version`; `migrate` runs on every start.

A new database is built from the models as they are today and stamped CURRENT_VERSION. An
existing one is brought up by the steps of UPGRADES, each written against the schema of the
version before it; tests/reliability/test_upgrades.py proves that an upgraded version-1
database ends with exactly the schema of a new one."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from cep_tui.db import models
from cep_tui.db.connection import is_sqlite
from cep_tui.db.reference_seed import seed_reference_data


def _create_current_schema(db: Database) -> None:
    db.create_tables([m for m in models.ALL_MODELS if m is not models.SchemaVersion])
    seed_reference_data()


def _v2_enrolment_ids_never_reused(db: Database) -> None:
    """SQLite gives the id of a deleted row to the next insert when it was the highest:
    a deleted dispositif's id would then name another young person's new CEP, so that a
    form still open on the deleted one (same id, same version 1) would save onto it, and
    the audit journal would mix the two. AUTOINCREMENT never gives an id twice (nor does
    a PostgreSQL sequence). Rebuilds the table the SQLite way (foreign keys are off, see
    `migrate`): new table, copy, drop, rename, indexes."""
    if not is_sqlite(db):
        return
    (sql,) = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'enrolment'"
    ).fetchone()
    if "AUTOINCREMENT" in sql.upper():
        return
    primary_key = '"id" INTEGER NOT NULL PRIMARY KEY'
    assert primary_key in sql, sql
    indexes = [
        row[0]
        for row in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'enrolment' "
            "AND sql IS NOT NULL"
        )
    ]
    new_sql = sql.replace(primary_key, f"{primary_key} AUTOINCREMENT", 1)
    db.execute_sql(new_sql.replace('"enrolment"', '"enrolment_new"', 1))
    db.execute_sql('INSERT INTO "enrolment_new" SELECT * FROM "enrolment"')
    db.execute_sql('DROP TABLE "enrolment"')
    db.execute_sql('ALTER TABLE "enrolment_new" RENAME TO "enrolment"')
    for index in indexes:
        db.execute_sql(index)
    # Nor the ids that deleted dispositifs held before this step (the audit journal knows).
    db.execute_sql("DELETE FROM sqlite_sequence WHERE name = 'enrolment'")
    db.execute_sql(
        "INSERT INTO sqlite_sequence (name, seq) SELECT 'enrolment', max("
        "(SELECT coalesce(max(id), 0) FROM enrolment), "
        "(SELECT coalesce(max(entity_id), 0) FROM audit_record WHERE entity = 'enrolment'))"
    )


# UPGRADES[n] brings version n + 1 to n + 2. Later steps use playhouse.migrate
# (schema_migrator(db)), or rebuild SQLite tables as step 2 does; foreign keys are off
# during the steps on SQLite (see `migrate`).
UPGRADES: tuple[Callable[[Database], None], ...] = (_v2_enrolment_ids_never_reused,)
CURRENT_VERSION = 1 + len(UPGRADES)


def schema_version(db: Database) -> int:
    if not db.table_exists(models.SchemaVersion._meta.table_name):
        return 0
    row = models.SchemaVersion.select().order_by(models.SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate(db: Database) -> int:
    """Bring the database up to CURRENT_VERSION; return the number of steps applied.

    On SQLite the steps run with foreign keys off (a table rebuild drops the old table,
    which would otherwise cascade to the rows that point at it; the pragma has no effect
    inside a transaction, hence before it), and are checked before the commit; the
    transaction takes the write lock at once, so that two counsellors starting the app
    together on a database to upgrade wait for each other instead of failing.
    """
    sqlite = is_sqlite(db)
    if sqlite:
        if db.in_transaction():
            raise RuntimeError("migrate() must run outside any transaction.")
        db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic("IMMEDIATE") if sqlite else db.atomic():
            db.create_tables([models.SchemaVersion])
            start = schema_version(db)
            if start == 0:
                _create_current_schema(db)
                _stamp(CURRENT_VERSION)
            else:
                for number, step in enumerate(UPGRADES[start - 1 :], start=start + 1):
                    step(db)
                    _stamp(number)
            if sqlite and start < CURRENT_VERSION:
                broken = list(db.execute_sql("PRAGMA foreign_key_check"))
                if broken:
                    raise RuntimeError(f"Mise à jour du schéma : clés étrangères rompues {broken}")
    finally:
        if sqlite:
            db.execute_sql("PRAGMA foreign_keys = ON")
    return CURRENT_VERSION - start


def _stamp(version: int) -> None:
    models.SchemaVersion.delete().execute()
    models.SchemaVersion.create(version=version)
