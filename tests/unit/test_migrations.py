"""Schema versions: a fresh database reaches CURRENT_VERSION; migrating again does nothing.
On both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import IntegrityError

from cep_tui.db import migrations, search, search_keys
from cep_tui.db.connection import open_database
from cep_tui.db.invariants import OVERLAP_CONSTRAINT
from cep_tui.db.migrations import CURRENT_VERSION, UPGRADES, migrate, schema_version
from cep_tui.db.models import (
    ALL_MODELS,
    DispositifType,
    Enrolment,
    ReferenceValue,
    SchemaVersion,
)
from cep_tui.vocabulary import Right
from tests.conftest import POSTGRESQL, SQLITE
from tests.factories import (
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
def test_a_sqlite_file_is_created_in_its_existing_folder(tmp_path):
    """(A missing folder is refused, nothing created: tests/reliability/test_demo_when_asked.)"""
    (tmp_path / "sub" / "dir").mkdir(parents=True)
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
    make_enrolment(
        dossier,
        counsellor,
        entry_date=dt.date(2025, 1, 6),
        status="cloture",
        end_date=dt.date(2025, 6, 1),
        exit_reason="deces",
    )
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
        db.execute_sql(
            f'DROP FUNCTION "{search_keys.ENTRIES_FUNCTION}"(integer, integer, text, integer)'
        )
        for sql in V4_POSTGRESQL_SEARCH:
            db.execute_sql(sql)
    # What later versions added (each upgraded again by its own step).
    db.execute_sql('DROP TABLE "action_plan_item"')  # version 6
    db.execute_sql('DROP TABLE "anonymisation"')  # version 7
    _undo_version_8(db, engine)  # version 8
    SchemaVersion.update(version=4).execute()


def _undo_version_8(db, engine) -> None:
    """What version 8 added: the dossier's profile, the indicators right, the overlap
    invariant (each added again by its own step)."""
    if engine == POSTGRESQL:
        db.execute_sql(f'ALTER TABLE "enrolment" DROP CONSTRAINT "{OVERLAP_CONSTRAINT}"')
    else:
        for event in ("insert", "update"):
            db.execute_sql(f'DROP TRIGGER "enrolment_no_overlap_{event}"')
    for column in ("education_level", "qpv", "zrr"):
        db.execute_sql(f'ALTER TABLE "dossier" DROP COLUMN "{column}"')
    db.execute_sql('ALTER TABLE "counsellor" DROP COLUMN "right_view_indicators"')


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


def _new_schema(url: str, engine) -> dict[str, list[tuple]]:
    """The schema of a new database made at `url`."""
    fresh = open_database(url)
    try:
        migrate(fresh)
        return _schema(fresh, engine)
    finally:
        fresh.close()


def _keys_are_those_of_the_rows(db) -> None:
    """Each key table holds exactly the keys of its model's rows (search.key_entries)."""
    for searchable in search.SEARCHABLES:
        model = searchable.model
        stored = db.execute_sql(f'SELECT * FROM "{searchable.key_table}"').fetchall()
        assert sorted(stored) == sorted(
            entry
            for row in model.select()
            for entry in search.key_entries(
                row.structure_id, row.id, row.search_text, joined_words=searchable.joined_words
            )
        )


def test_a_version_4_database_upgrades_to_the_schema_of_a_new_one(new_database_url, engine):
    """Version 5 (PostgreSQL: key tables instead of trigram indexes): a database of
    version 4 holding rows ends with the schema of a new database, and keys for its rows."""
    expected = _new_schema(new_database_url(), engine)

    db = open_database(new_database_url())
    try:
        migrate(db)
        structure = make_structure()
        counsellor = make_counsellor(structure, "alice")
        for name in ("Lefèvre", "Œuvray", "Dell'Ova", "Leca"):
            make_dossier(structure, last_name=name)
        make_offer(structure, counsellor, name="Chantier Main-d'Œuvre")
        _back_to_version_4(db, engine)
        assert schema_version(db) == 4

        assert migrate(db) == CURRENT_VERSION - 4
        assert _schema(db, engine) == expected
        _keys_are_those_of_the_rows(db)
    finally:
        db.close()


# -- version 7 to 8: the dossier's profile, the indicators right, no overlapping CEPs -------
def test_a_version_7_database_gains_the_profile_and_the_right(new_database_url, engine):
    expected = _new_schema(new_database_url(), engine)
    db = open_database(new_database_url())
    try:
        migrate(db)
        structure = make_structure()
        make_counsellor(structure, "alice")
        make_counsellor(structure, "bruno", rights={Right.VIEW_DOSSIER})
        make_dossier(structure)
        _undo_version_8(db, engine)
        SchemaVersion.update(version=7).execute()

        assert migrate(db) == CURRENT_VERSION - 7
        assert _schema(db, engine) == expected
        (row,) = db.execute_sql('SELECT education_level, qpv, zrr FROM "dossier"').fetchall()
        assert row == ("inconnu", "inconnu", "inconnu")
        rights = dict(db.execute_sql('SELECT login, right_view_indicators FROM "counsellor"'))
        assert {login: bool(held) for login, held in rights.items()} == {
            "alice": True,
            "bruno": False,
        }
    finally:
        db.close()


def test_overlapping_ceps_stop_the_upgrade_naming_the_dossiers(new_database_url, engine):
    db = open_database(new_database_url())
    try:
        migrate(db)
        structure = make_structure()
        alice = make_counsellor(structure, "alice")
        dossier = make_dossier(structure, number="0000042")
        _undo_version_8(db, engine)
        SchemaVersion.update(version=7).execute()
        make_enrolment(
            dossier,
            alice,
            entry_date=dt.date(2026, 1, 5),
            status="cloture",
            end_date=dt.date(2026, 6, 1),
            exit_reason="deces",
        )
        make_enrolment(dossier, alice, entry_date=dt.date(2024, 3, 1))

        with pytest.raises(RuntimeError, match="0000042"):
            migrate(db)
        assert schema_version(db) == 7
    finally:
        db.close()


def test_the_database_refuses_overlapping_dispositifs(db, structure, counsellor, dossier):
    """The last line of defence, on each engine: a second CEP whose dates meet the first
    one's is refused by the database itself, on insert and on update; one entering the
    day after the other's end is accepted; other dispositifs have their own periods."""
    first = make_enrolment(
        dossier,
        counsellor,
        entry_date=dt.date(2026, 1, 5),
        status="cloture",
        end_date=dt.date(2026, 6, 1),
        exit_reason="deces",
    )
    for entry in (dt.date(2024, 3, 1), dt.date(2026, 6, 1), dt.date(2026, 1, 5)):
        with pytest.raises(IntegrityError), db.atomic():
            make_enrolment(dossier, counsellor, entry_date=entry, with_phases=False)
    make_enrolment(dossier, counsellor, dispositif="EMPLOI_AVENIR", entry_date=dt.date(2026, 2, 1))
    second = make_enrolment(dossier, counsellor, entry_date=dt.date(2026, 6, 2))
    with pytest.raises(IntegrityError), db.atomic():
        Enrolment.update(end_date=dt.date(2026, 6, 5)).where(Enrolment.id == first.id).execute()
    Enrolment.update(entry_date=dt.date(2026, 7, 1)).where(Enrolment.id == second.id).execute()


# -- version 8 to 9: the index of phase 1's proposals --------------------------------------
def test_a_version_8_database_gains_the_index_of_the_proposals(new_database_url, engine):
    """The proposals are indexed by (offer, day, dossier) instead of by offer alone (the
    step is found by name: other steps may come after it)."""
    expected = _new_schema(new_database_url(), engine)
    (step,) = [s for s in UPGRADES if s.__name__.endswith("_indicator_indexes")]
    db = open_database(new_database_url())
    try:
        migrate(db)
        db.execute_sql('DROP INDEX "proposal_offer_id_proposed_on_dossier_id"')
        db.execute_sql('CREATE INDEX "proposal_offer_id" ON "proposal" ("offer_id")')

        with db.atomic():
            step(db)
        assert _schema(db, engine) == expected
    finally:
        db.close()


@pytest.mark.postgresql_only
def test_the_owner_of_a_postgresql_database_creates_its_schema(postgres_server, engine):
    """As the README sets a server up: a role that is no superuser, owner of its database,
    migrates it; btree_gist (a trusted extension) comes with the schema, and with it the
    exclusion constraint of the CEPs' periods."""
    name = postgres_server.create_database("owned_by_app")
    with postgres_server.admin() as admin:
        admin.execute_sql("DROP ROLE IF EXISTS cep_app")
        admin.execute_sql("CREATE ROLE cep_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        admin.execute_sql(f'ALTER DATABASE "{name}" OWNER TO cep_app')
    url = postgres_server.url(name).replace("//postgres@", "//cep_app@")
    db = open_database(url)
    try:
        migrate(db)
        assert [row[0] for row in db.execute_sql("SELECT current_user")] == ["cep_app"]
        extensions = {row[0] for row in db.execute_sql("SELECT extname FROM pg_extension")}
        assert "btree_gist" in extensions
        constraints = {row[0] for row in db.execute_sql("SELECT conname FROM pg_constraint")}
        assert OVERLAP_CONSTRAINT in constraints
    finally:
        db.close()
        postgres_server.drop_database(name)
        with postgres_server.admin() as admin:
            admin.execute_sql("DROP ROLE IF EXISTS cep_app")


# -- the step of the joined search keys -----------------------------------------------------
def test_an_older_database_gains_the_joined_keys_of_its_rows(new_database_url, engine):
    """The step of the joined keys (« oconnor » finds O'Connor): the key tables, triggers
    and function are rebuilt, and every row already there gets its keys, joined ones
    included; the rows themselves are untouched."""
    expected = _new_schema(new_database_url(), engine)
    db = open_database(new_database_url())
    try:
        migrate(db)
        structure = make_structure()
        counsellor = make_counsellor(structure, "alice")
        make_dossier(structure, last_name="O'Connor", first_name="Jean-Pierre")
        make_offer(structure, counsellor, name="Aide-soignant")
        # Version 8's keys had no joined runs: here, none at all; on PostgreSQL its
        # function had three parameters.
        for searchable in search.SEARCHABLES:
            db.execute_sql(f'DELETE FROM "{searchable.key_table}"')
        if engine == POSTGRESQL:
            db.execute_sql(
                f'CREATE FUNCTION "{search_keys.ENTRIES_FUNCTION}"(integer, integer, text) '
                "RETURNS integer LANGUAGE sql AS 'SELECT 1'"
            )
        texts = sorted(db.execute_sql('SELECT id, search_text FROM "dossier"').fetchall())
        # The version before the step (found by name: steps may be renumbered at merge).
        before = 1 + migrations.UPGRADES.index(migrations._v11_joined_search_keys)
        SchemaVersion.update(version=before).execute()

        assert migrate(db) == CURRENT_VERSION - before
        assert _schema(db, engine) == expected
        assert sorted(db.execute_sql('SELECT id, search_text FROM "dossier"').fetchall()) == texts
        _keys_are_those_of_the_rows(db)
        keys = {key for (key,) in db.execute_sql('SELECT key FROM "dossier_search_key"')}
        assert {"oconnor", "jeanpierre", "oconnorjeanpierre"} <= keys
        assert "aidesoignant" in {
            key for (key,) in db.execute_sql('SELECT key FROM "offer_search_key"')
        }
    finally:
        db.close()
