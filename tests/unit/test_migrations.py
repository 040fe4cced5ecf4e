"""Schema versions: a fresh database reaches CURRENT_VERSION; migrating again does nothing.
On both engines."""

from __future__ import annotations

import pytest
from peewee import IntegrityError

from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION, migrate, schema_version
from cep_tui.db.models import ALL_MODELS, DispositifType, ReferenceValue
from tests.conftest import POSTGRESQL
from tests.factories import TODAY, make_enrolment, make_event


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
