"""Schema versions: a fresh database reaches CURRENT_VERSION; migrating again does nothing."""

from __future__ import annotations

from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION, migrate, schema_version
from cep_tui.db.models import ALL_MODELS, DispositifType, ReferenceValue


def test_fresh_database_is_migrated_to_the_current_version(tmp_path):
    db = open_database(f"sqlite:///{tmp_path}/fresh.db")
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


def test_migrated_database_survives_reopening(tmp_path):
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


def test_partial_unique_indexes_exist(db):
    sql = {
        name: text
        for name, text in db.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql LIKE '%UNIQUE%'"
        )
    }
    assert any('ON "enrolment"' in s and "WHERE" in s for s in sql.values())
    assert any('ON "event"' in s and "WHERE" in s for s in sql.values())
