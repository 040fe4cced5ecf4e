"""Schema versions: a fresh database reaches CURRENT_VERSION; migrating again does nothing.
On both engines."""

from __future__ import annotations

import pytest
from peewee import IntegrityError

from cep_tui.db import search
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION, migrate, schema_version
from cep_tui.db.models import ALL_MODELS, DispositifType, ReferenceValue, SchemaVersion
from tests.conftest import POSTGRESQL, SQLITE
from tests.factories import (
    TODAY,
    make_counsellor,
    make_dossier,
    make_enrolment,
    make_event,
    make_offer,
    make_structure,
)


def test_fresh_database_is_migrated_to_the_current_version(new_database_url):
    db = open_database(new_database_url())
    try:
        assert schema_version(db) == 0

        assert migrate(db) == CURRENT_VERSION
        assert schema_version(db) == CURRENT_VERSION
        assert all(db.table_exists(model._meta.table_name) for model in ALL_MODELS)
        seeded = (ReferenceValue.select().count(), DispositifType.select().count())

        assert migrate(db) == 0
        assert schema_version(db) == CURRENT_VERSION
        assert (ReferenceValue.select().count(), DispositifType.select().count()) == seeded
    finally:
        db.close()


@pytest.mark.sqlite_only
def test_a_sqlite_file_is_created_with_its_folders(tmp_path):
    url = f"sqlite:///{tmp_path}/sub/dir/t.db"
    db = open_database(url)
    migrate(db)
    db.close()

    db = open_database(url)
    try:
        assert migrate(db) == 0
        assert schema_version(db) == CURRENT_VERSION
    finally:
        db.close()


def test_each_test_database_is_at_the_current_version(db):
    assert schema_version(db) == CURRENT_VERSION
    assert migrate(db) == 0


def test_partial_unique_indexes_exist(db, engine):
    if engine == POSTGRESQL:
        query = "SELECT indexname, indexdef FROM pg_indexes"
    else:
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    sql = {
        name: text.replace('"', "")
        for name, text in db.execute_sql(query)
        if text.upper().startswith("CREATE UNIQUE INDEX")
    }
    enrolment = [s for s in sql.values() if "ON enrolment" in s or "ON public.enrolment" in s]
    event = [s for s in sql.values() if "ON event " in s or "ON public.event " in s]
    assert any("WHERE" in s and "en_cours" in s for s in enrolment), enrolment
    assert any("WHERE" in s and "in_progress" in s for s in event), event


def test_the_partial_unique_indexes_hold_without_the_services(db, structure, counsellor, dossier):
    """The last line of defence, on each engine: a second CEP or event in progress for the
    same young person is refused by the database itself."""
    make_enrolment(dossier, counsellor)
    with pytest.raises(IntegrityError), db.atomic():
        make_enrolment(dossier, counsellor)
    make_event(dossier, counsellor)
    with pytest.raises(IntegrityError), db.atomic():
        make_event(dossier, counsellor)
    make_enrolment(dossier, counsellor, status="cloture", end_date=TODAY, exit_reason="deces")
    make_event(dossier, counsellor, in_progress=False)


# -- version 4 to 5: the PostgreSQL search key tables --------------------------------------
V4_POSTGRESQL_SEARCH = (
    # What version 4 had instead of the key tables (cep_tui.db.search, then).
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    'CREATE INDEX "dossier_search_trigram" ON "dossier" USING gin ("search_text" gin_trgm_ops)',
    'CREATE INDEX "offer_search_trigram" ON "offer" USING gin ("search_text" gin_trgm_ops)',
    'CREATE INDEX "offer_search_order" ON "offer" '
    '("structure_id", "search_text" COLLATE "C", "id")',
)


def _back_to_version_4(db, engine) -> None:
    """A new database made as version 4 made them: on PostgreSQL, no key tables (nor their
    triggers and functions) but trigram indexes; on SQLite, the same schema (version 5
    changes nothing there)."""
    if engine == POSTGRESQL:
        for searchable in search.SEARCHABLES:
            keys, table = searchable.key_table, searchable.table
            for event in ("insert", "update", "delete", "truncate"):
                db.execute_sql(f'DROP TRIGGER "{keys}_{event}" ON "{table}"')
            db.execute_sql(f'DROP TABLE "{keys}"')
            for function in ("insert", "change", "truncate"):
                db.execute_sql(f'DROP FUNCTION "{keys}_{function}"()')
        db.execute_sql(f'DROP FUNCTION "{search.ENTRIES_FUNCTION}"(integer, integer, text)')
        for sql in V4_POSTGRESQL_SEARCH:
            db.execute_sql(sql)
    # What later versions added (each upgraded again by its own step).
    db.execute_sql('DROP TABLE "action_plan_item"')  # version 6
    db.execute_sql('DROP TABLE "anonymisation"')  # version 7
    SchemaVersion.update(version=4).execute()


def _schema(db, engine) -> dict[str, list[tuple]]:
    if engine == SQLITE:
        rows = db.execute_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        )
        return {"objects": sorted(rows)}
    extension_members = (
        "SELECT objid FROM pg_depend WHERE deptype = 'e' AND classid = 'pg_proc'::regclass"
    )
    queries = {
        "columns": "SELECT table_name, column_name, data_type, collation_name, is_nullable, "
        "column_default FROM information_schema.columns WHERE table_schema = 'public'",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
        "constraints": "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE connamespace = 'public'::regnamespace",
        "triggers": "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) "
        "FROM pg_trigger WHERE NOT tgisinternal",
        "functions": "SELECT proname, pg_get_functiondef(oid) FROM pg_proc "
        f"WHERE pronamespace = 'public'::regnamespace AND oid NOT IN ({extension_members})",
    }
    return {name: sorted(db.execute_sql(sql)) for name, sql in queries.items()}


def test_a_version_4_database_upgrades_to_the_schema_of_a_new_one(new_database_url, engine):
    """Version 5 (PostgreSQL: key tables instead of trigram indexes): a database of
    version 4 holding rows ends with the schema of a new database, and keys for its rows."""
    fresh = open_database(new_database_url())
    try:
        migrate(fresh)
        expected = _schema(fresh, engine)
    finally:
        fresh.close()

    db = open_database(new_database_url())
    try:
        migrate(db)
        _back_to_version_4(db, engine)
        structure = make_structure()
        counsellor = make_counsellor(structure, "alice")
        for name in ("Lefèvre", "Œuvray", "Dell'Ova", "Leca"):
            make_dossier(structure, last_name=name)
        make_offer(structure, counsellor, name="Chantier Main-d'Œuvre")
        assert schema_version(db) == 4

        assert migrate(db) == CURRENT_VERSION - 4
        assert _schema(db, engine) == expected
        for searchable in search.SEARCHABLES:
            model = searchable.model
            stored = db.execute_sql(f'SELECT * FROM "{searchable.key_table}"').fetchall()
            assert sorted(stored) == sorted(
                entry
                for row in model.select()
                for entry in search.key_entries(row.structure_id, row.id, row.search_text)
            )
    finally:
        db.close()
