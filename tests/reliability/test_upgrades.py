"""Drill 7b: a database of the first released schema (version 1), holding data, opened by
the current code. The upgrade loses nothing, the application works on the result, and an
upgrade that fails half-way leaves the database exactly as it was.

`fixtures/schema_v1.sql` is frozen: a dump of a version-1 database written by the services
of version 1 (one structure, two counsellors, five young people, an offer; CEPs in phase 2,
in phase 3, closed and deleted, the deleted one holding the highest id; events open and
closed with their actions; a proposal; a contact change). Every future schema version is
tested against it; never regenerate it. These are SQLite by nature (the fixture is a
SQLite database: PostgreSQL support came with version 2), marked `sqlite_only`; only the
start of several counsellors on a new database runs on both engines."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from cep_tui.clock import FixedClock
from cep_tui.db import migrations, models
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION, migrate, schema_version
from cep_tui.db.models import AuditRecord, Dossier
from cep_tui.services import Services
from tests.factories import NOW, cep_add_input, cep_modify_input, make_dossier, make_structure
from tests.reliability.checks import problems
from tests.reliability.support import SPAWN, processes, run_cli
from tests.reliability.worker import starter

STARTERS = 4
FIXTURE = Path(__file__).parent / "fixtures" / "schema_v1.sql"


def load_fixture(path: Path) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.executescript(FIXTURE.read_text(encoding="utf-8"))
    finally:
        connection.close()


def schema(path: Path) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return sorted(
            connection.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        )
    finally:
        connection.close()


# The columns and audit keys that hold a local list's value (issue 13: the local values
# became each structure's own copies, so their ids moved; their meaning did not).
LOCAL_VALUE_COLUMNS = {
    "event": ("reception_place_id",),
    "enrolment": ("referrer_id", "solicitation_reason_id", "project_type_id"),
}
LOCAL_VALUE_KEYS = {"reception_place", "referrer", "solicitation_reason", "project_type"}


def _meaning(connection, table: str, names: list[str], row: tuple) -> tuple:
    """The row with each local value's id replaced by its (kind, label, active)."""

    def value(ident):
        found = connection.execute(
            'SELECT "kind", "label", "active" FROM "reference_value" WHERE "id" = ?', (ident,)
        ).fetchone()
        return found or ident

    row = list(row)
    for column in LOCAL_VALUE_COLUMNS.get(table, ()):
        if column in names and row[names.index(column)] is not None:
            row[names.index(column)] = value(row[names.index(column)])
    if table == "audit_record":
        for column in ("before", "after"):
            state = row[names.index(column)]
            if state:
                values = json.loads(state)
                for key in LOCAL_VALUE_KEYS & values.keys():
                    if values[key] is not None:
                        values[key] = value(values[key])
                row[names.index(column)] = json.dumps(values, sort_keys=True)
    return tuple(row)


def contents(path: Path, columns: dict[str, list[str]] | None = None) -> dict:
    """Every row of every table, as a multiset of tuples (of the given columns); the local
    reference values by what they say, and the rows that hold them likewise; the local
    values themselves as each structure's list (kind, label, position, active)."""
    connection = sqlite3.connect(path)
    try:
        tables = columns or {
            name: [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')]
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        found = {}
        for table, names in tables.items():
            rows = connection.execute(
                'SELECT {} FROM "{}"'.format(", ".join(f'"{n}"' for n in names), table)
            )
            if table == "reference_value":
                found[table] = (names, _reference_lists(connection))
            else:
                found[table] = (
                    names,
                    Counter(_meaning(connection, table, names, row) for row in rows),
                )
        return found
    finally:
        connection.close()


def _reference_lists(connection) -> Counter:
    """The national values once; the local ones once per structure (shared before)."""
    owner = {c[1] for c in connection.execute('PRAGMA table_info("reference_value")')}
    structures = [s for (s,) in connection.execute('SELECT "id" FROM "structure"')]
    rows = connection.execute(
        'SELECT "kind", "code", "label", "position", "active"{} FROM "reference_value"'.format(
            ', "structure_id"' if "structure_id" in owner else ""
        )
    ).fetchall()
    lists: Counter = Counter()
    for row in rows:
        kind, rest, structure = row[0], row[:5], (row[5] if len(row) > 5 else None)
        if kind in {"reception_place", "referrer", "solicitation_reason", "project_type"}:
            for each in [structure] if structure is not None else structures:
                lists[(*rest, each)] += 1
        else:
            lists[rest] += 1
    return lists


@pytest.fixture
def v1_file(tmp_path) -> Path:
    path = tmp_path / "v1.db"
    load_fixture(path)
    return path


@pytest.mark.sqlite_only
def test_an_upgraded_database_has_exactly_the_schema_of_a_new_one(tmp_path, v1_file):
    """New databases are built from today's models, old ones by the upgrade steps: a
    schema change needs both a model change and a step, and they must agree."""
    db = open_database(f"sqlite:///{v1_file}")
    migrate(db)
    db.close()
    fresh = tmp_path / "fresh.db"
    db = open_database(f"sqlite:///{fresh}")
    migrate(db)
    db.close()

    assert schema(v1_file) == schema(fresh)


@pytest.mark.sqlite_only
def test_a_v1_database_upgrades_without_losing_anything(v1_file):
    before = contents(v1_file)
    assert sum(len(rows) for _, rows in before.values()) > 100  # the fixture holds data

    db = open_database(f"sqlite:///{v1_file}")
    try:
        assert schema_version(db) == 1
        assert migrate(db) == CURRENT_VERSION - 1
        assert schema_version(db) == CURRENT_VERSION

        after = contents(v1_file, {table: names for table, (names, _) in before.items()})
        for table, (_, rows) in before.items():
            if table != "schema_version":
                assert after[table][1] == rows, table
        assert problems() == []
        _the_application_works_on_it()
        assert migrate(db) == 0
    finally:
        db.close()


def _the_application_works_on_it() -> None:
    services = Services(FixedClock(NOW))
    alice = services.counsellors.sign_in("v1.alice")
    dossier = {d.number: d.id for d in Dossier.select()}

    in_phase_2 = services.cep.in_progress(alice, dossier["V1-1"])
    assert (in_phase_2.phase, in_phase_2.version, in_phase_2.prescriber_name) == (
        2,
        2,
        "Mme Prescriptrice",
    )
    in_phase_3 = services.cep.in_progress(alice, dossier["V1-2"])
    assert [(p.phase, str(p.start_date), str(p.end_date)) for p in in_phase_3.phases] == [
        (2, "2026-10-01", "2026-10-14"),
        (3, "2026-10-15", "None"),
    ]
    (closed,) = services.cep.list(alice, dossier["V1-3"])
    assert not closed.in_progress and str(closed.end_date) == "2026-11-20"
    (event,) = services.events.list(alice, dossier["V1-1"]).items
    assert len(event.actions) == 3  # the proposal, the addition, the modification
    assert len(services.proposals.list_for_dossier(alice, dossier["V1-5"]).items) == 1

    # The deleted dispositif held the highest id: a new one never gets it again.
    deleted_id = max(
        r.entity_id for r in AuditRecord.select().where(AuditRecord.entity == "enrolment")
    )
    added = services.cep.add(alice, dossier["V1-4"], cep_add_input())
    assert added.id > deleted_id
    modified = services.cep.modify(alice, in_phase_2.id, cep_modify_input(), in_phase_2.version)
    assert modified.version == 3


@pytest.mark.sqlite_only
def test_a_failed_upgrade_leaves_the_database_as_it_was(v1_file, monkeypatch):
    before = (schema(v1_file), contents(v1_file))

    def broken_step(db):
        raise RuntimeError("panne au milieu de la mise à jour")

    monkeypatch.setattr(migrations, "UPGRADES", (*migrations.UPGRADES, broken_step))
    db = open_database(f"sqlite:///{v1_file}")
    try:
        with pytest.raises(RuntimeError, match="panne"):
            migrate(db)
        assert schema_version(db) == 1
        assert list(db.execute_sql("PRAGMA foreign_keys")) == [(1,)]
    finally:
        db.close()
    assert (schema(v1_file), contents(v1_file)) == before


def test_a_step_that_fails_half_way_is_undone_whole(db, monkeypatch):
    """On each engine the schema changes of a step and its data are one transaction."""

    def half_then_broken(db):
        db.execute_sql("CREATE TABLE half_done (id INTEGER PRIMARY KEY)")
        Dossier.update(last_name="À moitié").execute()
        raise RuntimeError("panne au milieu de la mise à jour")

    make_dossier(make_structure())
    models.SchemaVersion.update(version=CURRENT_VERSION - 1).execute()
    monkeypatch.setattr(migrations, "UPGRADES", (*migrations.UPGRADES[:-1], half_then_broken))

    with pytest.raises(RuntimeError, match="panne"):
        migrate(db)
    assert schema_version(db) == CURRENT_VERSION - 1
    assert not db.table_exists("half_done")
    assert [d.last_name for d in Dossier.select()] == ["Lefèvre"]


def _start_at_once(url: str) -> list[tuple]:
    barrier, results = SPAWN.Barrier(STARTERS), SPAWN.Queue()
    with processes([(starter, (url, barrier, results))] * STARTERS):
        return [results.get(timeout=60) for _ in range(STARTERS)]


def _upgraded_once(url: str, outcomes: list[tuple], steps: int) -> None:
    assert [o for o in outcomes if o[0] != "ok"] == []
    assert sorted(n for _, n in outcomes) == [0] * (STARTERS - 1) + [steps]
    db = open_database(url)
    try:
        assert schema_version(db) == CURRENT_VERSION
        assert problems() == []
    finally:
        db.close()


def test_counsellors_starting_at_once_on_a_new_database_create_it_once(new_database_url):
    url = new_database_url()
    _upgraded_once(url, _start_at_once(url), CURRENT_VERSION)


@pytest.mark.sqlite_only
def test_counsellors_starting_at_once_on_a_v1_database_upgrade_it_once(v1_file):
    url = f"sqlite:///{v1_file}"
    _upgraded_once(url, _start_at_once(url), CURRENT_VERSION - 1)


def test_the_migrate_command_creates_the_schema_and_nothing_else(new_database_url, tmp_path):
    url = new_database_url()

    done = run_cli("--database", url, "migrate", home=tmp_path)
    again = run_cli("--database", url, "migrate", home=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Schéma de la base créé (version {CURRENT_VERSION})."
    assert again.stdout.strip() == f"Schéma de la base déjà à jour (version {CURRENT_VERSION})."
    db = open_database(url)
    try:
        assert schema_version(db) == CURRENT_VERSION
        assert not models.Structure.select().exists()
    finally:
        db.close()
