"""Schema versions, recorded in `schema_version`; `migrate` runs on every start.

A new database is built from the models as they are today and stamped CURRENT_VERSION. An
existing one is brought up by the steps of UPGRADES, each written against the schema of the
version before it; tests/reliability/test_upgrades.py proves that an upgraded version-1
database ends with exactly the schema of a new one."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from cep_tui.db import audit_chain, invariants, local_lists, models, search_keys
from cep_tui.db.connection import is_sqlite
from cep_tui.db.reference_seed import seed_reference_data
from cep_tui.services.errors import DomainError
from cep_tui.vocabulary import EducationLevel, Residence, sql_in


def _create_current_schema(db: Database) -> None:
    db.create_tables([m for m in models.ALL_MODELS if m is not models.SchemaVersion])
    search_keys.install(db)
    invariants.install(db)
    local_lists.install(db)
    audit_chain.install(db)
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


def _v3_indexed_search(db: Database) -> None:
    """Search at a large structure's size: the dossier indexes of the search by birth date
    and of "my recent dossiers"; no more index on `search_text`, which no LIKE '% word%'
    can use and which only misled SQLite's planner into full scans in its order; and on
    SQLite the search key tables, their triggers, and their entries for the rows already
    there (cep_tui.db.search; should the key tables change, a later step drops them and
    calls `search_keys.install_sqlite` again)."""
    for sql in (
        'DROP INDEX IF EXISTS "dossier_search_text"',
        'DROP INDEX IF EXISTS "offer_search_text"',
        'CREATE INDEX "dossier_structure_id_birth_date" ON "dossier" '
        '("structure_id", "birth_date")',
        'CREATE INDEX "dossier_referent_id_updated_at" ON "dossier" ("referent_id", "updated_at")',
    ):
        db.execute_sql(sql)
    search_keys.install_sqlite(db)


def _v4_postgresql_search_indexes(db: Database) -> None:
    """PostgreSQL: the pattern index of dossier numbers. (This step also brought trigram
    indexes of the searched texts and an index of the offers' name order, which step 5
    replaced by key tables: they are no longer built here, only dropped there if an
    earlier run of this step built them.) Nothing on SQLite."""
    if is_sqlite(db):
        return
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "dossier_number_pattern" ON "dossier" '
        '("number" text_pattern_ops)'
    )


def _v5_search_keys(db: Database) -> None:
    """PostgreSQL: the search key tables of SQLite, kept by PL/pgSQL triggers, and the
    keys of the rows already there (cep_tui.db.search_keys.install_postgresql); the indexes
    they replace are dropped. (The pg_trgm extension, if step 4 created it, is left: other
    objects of the database may use it.) SQLite: the key tables' triggers of step 3 are
    replaced by today's, whose deletes seek each entry instead of reading the whole key
    table for every row updated or deleted (0.6 s a row on a large structure's data);
    their entries stay as they are."""
    if is_sqlite(db):
        search_keys.replace_sqlite_triggers(db)
        return
    for index in ("dossier_search_trigram", "offer_search_trigram", "offer_search_order"):
        db.execute_sql(f'DROP INDEX IF EXISTS "{index}"')
    search_keys.install_postgresql(db)


def _v6_action_plan(db: Database) -> None:
    """The « Plan d'action » of a CEP: a new table (its lines, each with a target date and
    a state), built from the model (nothing else refers to it)."""
    db.create_tables([models.ActionPlanItem])


def _v7_anonymisation(db: Database) -> None:
    """The dossiers anonymised by the retention: a new table (the dossier table keeps its
    shape; SQLite could only add a column by rebuilding it and its search triggers)."""
    db.create_tables([models.Anonymisation])


def _rebuild_sqlite_table(db: Database, model: type[models.BaseModel], added: dict) -> None:
    """Give a SQLite table the columns its model has gained, in the model's own DDL (ALTER
    TABLE ADD COLUMN would append them after the foreign keys, unlike a new database):
    new table, copy (`added` maps each new column to the SQL of its value), drop, rename,
    then the table's indexes and triggers as they were. Foreign keys are off (`migrate`)."""
    table = model._meta.table_name
    kept = [
        row[0]
        for row in db.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND tbl_name = ? AND sql IS NOT NULL ORDER BY type, name",
            (table,),
        )
    ]
    old_columns = [row[1] for row in db.execute_sql(f'PRAGMA table_info("{table}")')]
    create, _ = db.get_sql_context().sql(model._schema._create_table(safe=False)).query()
    db.execute_sql(create.replace(f'"{table}"', f'"{table}_new"', 1))
    columns = ", ".join(f'"{c}"' for c in [*old_columns, *added])
    values = ", ".join([f'"{c}"' for c in old_columns] + list(added.values()))
    db.execute_sql(f'INSERT INTO "{table}_new" ({columns}) SELECT {values} FROM "{table}"')
    db.execute_sql(f'DROP TABLE "{table}"')
    db.execute_sql(f'ALTER TABLE "{table}_new" RENAME TO "{table}"')
    for sql in kept:
        db.execute_sql(sql)


def _v8_profile_and_indicators(db: Database) -> None:
    """The CEP indicators (issue 15): the dossier's profile (niveau de formation, résidant
    QPV, résidant ZRR: « inconnu » for the dossiers already there), the right « Consulter
    les indicateurs de la structure » (given to the structure's administrators, who may
    grant it to others), and the rule that a young person's CEPs do not overlap in time
    (cep_tui.db.invariants; refused, with the dossiers to correct, if they already do)."""
    if is_sqlite(db):
        _rebuild_sqlite_table(
            db,
            models.Dossier,
            {"education_level": "'inconnu'", "qpv": "'inconnu'", "zrr": "'inconnu'"},
        )
        _rebuild_sqlite_table(db, models.Counsellor, {"right_view_indicators": "right_administer"})
    else:
        for column, values in (
            ("education_level", EducationLevel),
            ("qpv", Residence),
            ("zrr", Residence),
        ):
            db.execute_sql(
                f'ALTER TABLE "dossier" ADD COLUMN "{column}" TEXT NOT NULL DEFAULT \'inconnu\' '
                f"CHECK ({column} IN ({sql_in(values)}))"
            )
        db.execute_sql(
            'ALTER TABLE "counsellor" ADD COLUMN "right_view_indicators" BOOLEAN NOT NULL '
            "DEFAULT FALSE"
        )
        db.execute_sql('UPDATE "counsellor" SET "right_view_indicators" = "right_administer"')
    invariants.install(db)


def _v9_indicator_indexes(db: Database) -> None:
    """The CEP indicators at a large Mission Locale's size (issue 15): the index of the
    proposals by offer and day, holding the dossier, so that phase 1 of a period reads
    the index alone (models.Proposal); it replaces the index of the offer alone."""
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "proposal_offer_id_proposed_on_dossier_id" ON "proposal" '
        '("offer_id", "proposed_on", "dossier_id")'
    )
    db.execute_sql('DROP INDEX IF EXISTS "proposal_offer_id"')


def _v10_logins_per_structure(db: Database) -> None:
    """Counsellor logins are unique within a structure, no longer across the database
    (issue 13): a structure could take a login another would need, and the refusal told
    it that the login existed elsewhere. Same index DDL on both engines."""
    db.execute_sql('DROP INDEX IF EXISTS "counsellor_login"')
    db.execute_sql(
        'CREATE UNIQUE INDEX IF NOT EXISTS "counsellor_structure_id_login" ON "counsellor" '
        '("structure_id", "login")'
    )


def _v11_joined_search_keys(db: Database) -> None:
    """Search keys for names typed without their apostrophes, hyphens or spaces
    (« oconnor » finds O'Connor, « jeanpierre » Jean-Pierre): each row's runs of
    consecutive words, joined, become keys (cep_tui.db.search.joined_runs). Only the key
    tables, their triggers and function are rebuilt; the rows' texts stay as they are."""
    search_keys.rebuild(db)


def _v12_deployment_identity(db: Database) -> None:
    """The SSH deployment (issue 12): a structure may be a demonstration one (the only
    place where `--as` opens the app as anyone), and an audit record keeps the operating
    system's account beside the counsellor (NULL for the records already there)."""
    if is_sqlite(db):
        _rebuild_sqlite_table(db, models.Structure, {"demonstration": "0"})
        _rebuild_sqlite_table(db, models.AuditRecord, {"os_account": "NULL"})
        return
    # IF NOT EXISTS: the step may run again on a base a test set back to an older version.
    db.execute_sql(
        'ALTER TABLE "structure" ADD COLUMN IF NOT EXISTS "demonstration" BOOLEAN NOT NULL '
        "DEFAULT FALSE"
    )
    db.execute_sql('ALTER TABLE "audit_record" ADD COLUMN IF NOT EXISTS "os_account" TEXT')


def _v13_reference_owners(db: Database) -> None:
    """Reference lists have an owner (issue 13): a structure for the local lists' values
    (vocabulary.LOCAL_KINDS), none for the national ones'. Labels are unique per owner.
    Each structure gets its own copy of every local value shared until now, its records
    point at its copies (cep_tui.db.local_lists.give_owners: no record changes meaning),
    and a new structure is given the default local values by a trigger."""
    table = models.ReferenceValue._meta.table_name
    has_owner = "structure_id" in {c.name for c in db.get_columns(table)}
    if not has_owner:
        if is_sqlite(db):
            _rebuild_sqlite_table(db, models.ReferenceValue, {"structure_id": "NULL"})
        else:
            db.execute_sql(
                f'ALTER TABLE "{table}" ADD COLUMN "structure_id" INTEGER '
                'REFERENCES "structure" ("id") ON DELETE CASCADE'
            )
        db.execute_sql(
            f'CREATE INDEX IF NOT EXISTS "{table}_structure_id" ON "{table}" ("structure_id")'
        )
    db.execute_sql(f'DROP INDEX IF EXISTS "{table}_kind_label"')
    for index in models.ReferenceValue._meta.fields_to_index():
        if getattr(index, "_name", "") in (
            "reference_value_national_label",
            "reference_value_local_label",
        ):
            sql, params = db.get_sql_context().sql(index.safe(True)).query()
            db.execute_sql(sql, params)
    audit_chain.uninstall(db)  # give_owners translates ids in records (step 14 seals)
    local_lists.give_owners(db)
    local_lists.install(db)


def _v14_audit_chain(db: Database) -> None:
    """The audit journal is append-only and chained (issue 13, cep_tui.db.audit_chain):
    three columns (the record's content hash, its chain hash, the moment the retention
    erased its values), the records already there hashed in order, structure by
    structure, then the triggers that refuse UPDATE (but the erasure) and DELETE."""
    audit_chain.uninstall(db)
    columns = {c.name for c in db.get_columns("audit_record")}
    if "chain_hash" not in columns:
        if is_sqlite(db):
            _rebuild_sqlite_table(
                db,
                models.AuditRecord,
                {"content_hash": "NULL", "chain_hash": "NULL", "erased_at": "NULL"},
            )
        else:
            for column, kind in (
                ("content_hash", "TEXT"),
                ("chain_hash", "TEXT"),
                ("erased_at", "TIMESTAMP"),
            ):
                db.execute_sql(f'ALTER TABLE "audit_record" ADD COLUMN "{column}" {kind}')
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "audit_record_structure_id_id" ON "audit_record" '
        '("structure_id", "id")'
    )
    audit_chain.seal_existing(db)
    audit_chain.install(db)


def _v15_access_journal(db: Database) -> None:
    """The access journal (issue 13): a new table, built from the model."""
    db.create_tables([models.AccessRecord])


# UPGRADES[n] brings version n + 1 to n + 2. Later steps use playhouse.migrate
# (schema_migrator(db)), or rebuild SQLite tables as step 2 does; foreign keys are off
# during the steps on SQLite (see `migrate`).
UPGRADES: tuple[Callable[[Database], None], ...] = (
    _v2_enrolment_ids_never_reused,
    _v3_indexed_search,
    _v4_postgresql_search_indexes,
    _v5_search_keys,
    _v6_action_plan,
    _v7_anonymisation,
    _v8_profile_and_indicators,
    _v9_indicator_indexes,
    _v10_logins_per_structure,
    _v11_joined_search_keys,
    _v12_deployment_identity,
    _v13_reference_owners,
    _v14_audit_chain,
    _v15_access_journal,
)
CURRENT_VERSION = 1 + len(UPGRADES)
# The key of PostgreSQL's advisory lock held while the schema is brought up to date.
MIGRATION_LOCK = 0x4345505455  # "CEPTU"


class NewerSchemaError(DomainError):
    """The database was brought to a schema this program does not know: running on it
    would write rows the newer program does not expect (and `migrate` would count a
    negative number of steps). Refused, by the app and by `cep-tui migrate`."""

    def __init__(self, version: int):
        super().__init__(
            "Cette base a été mise à jour par une version plus récente de cep-tui "
            f"(schéma {version}, ce programme connaît le {CURRENT_VERSION}) : "
            "installez cette version pour l'ouvrir."
        )
        self.version = version


def refuse_newer(version: int) -> None:
    if version > CURRENT_VERSION:
        raise NewerSchemaError(version)


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
    On PostgreSQL, whose DDL is transactional too, a transaction-level advisory lock plays
    that part (concurrent CREATE TABLE IF NOT EXISTS would otherwise collide).
    """
    # Up to date (every start but the first after an upgrade): a read, no write lock, so
    # that a start never waits for a colleague's write (nor fails on a read-only file).
    version = schema_version(db)
    refuse_newer(version)
    if version == CURRENT_VERSION:
        return 0
    sqlite = is_sqlite(db)
    if sqlite:
        if db.in_transaction():
            raise RuntimeError("migrate() must run outside any transaction.")
        db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        with db.atomic("IMMEDIATE") if sqlite else db.atomic():
            if not sqlite:
                db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                # A step may rewrite a large table: no statement bound (cep_tui.db.postgresql)
                # for the upgrade, whose lock above still waits at most lock_timeout.
                db.execute_sql("SET LOCAL statement_timeout = 0")
            db.create_tables([models.SchemaVersion])
            start = schema_version(db)
            refuse_newer(start)  # brought up by a newer program while this one waited
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
