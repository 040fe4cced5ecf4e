"""Fixtures shared by every test folder: a fresh migrated database per test, on each
engine, a clock frozen at 29/11/2026 10:00, the services, one structure with counsellors
of various rights, a neighbouring structure, and a justified dossier of a young person
aged 20. Rows are created with tests.factories (no service, no audit record).

Engines: the tests of unit/ and reliability/ that use the database run twice, on SQLite
(`[sqlite]`, a copy of a migrated template file per test) and on a real PostgreSQL server
that this session starts itself (`[postgresql]`, see tests/pg_server.py). A test that is
SQLite by nature (PRAGMA integrity_check, VACUUM INTO, WAL, the v1 SQLite fixture) is
marked `sqlite_only`. Without the server binaries the PostgreSQL half is left out and
tests/test_engines.py reports it as one skip (a failure under CEP_TUI_REQUIRE_POSTGRES=1,
as in CI)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from peewee import Database

from cep_tui.clock import FixedClock
from cep_tui.db.connection import SQLITE_PRAGMAS, open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import Counsellor, Dossier, Structure
from cep_tui.services import Services
from cep_tui.services.views import Actor
from cep_tui.vocabulary import Right
from tests import pg_server
from tests.factories import (
    ALL_RIGHTS,
    NOW,
    make_counsellor,
    make_dossier,
    make_structure,
    ref_id,
)

# Every SQLite connection the tests open returns the rows of a query without ORDER BY in
# reverse order: a test or a screen that relies on an order no query states fails here at
# once, on every run, instead of one day on PostgreSQL when its heap order differs (CI went
# red that way once). The app itself never sets it.
SQLITE_PRAGMAS["reverse_unordered_selects"] = 1

SQLITE, POSTGRESQL = "sqlite", "postgresql"
# The folders whose database tests run on both engines (ui/ and snapshots/ work on the
# demonstration data in SQLite).
BOTH_ENGINES = ("unit", "reliability")
PG_BIN, PG_MISSING = pg_server.find_binaries()

# Property tests check properties, never speed: no deadline per example, and no "too slow"
# health check, which a loaded machine (a parallel run, a second suite) would trip. Their
# function-scoped fixtures (a database per test) are meant to be shared by the examples.
settings.register_profile(
    "cep-tui",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("cep-tui")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "sqlite_only: SQLite by nature (PRAGMA, VACUUM INTO, WAL, SQLite files): "
        "never run on PostgreSQL",
    )
    config.addinivalue_line(
        "markers",
        "postgresql_only: about PostgreSQL alone; left out (deselected) without the server, "
        "the one skip of tests/test_engines.py saying why",
    )


def pytest_collection_modifyitems(config, items):
    if PG_BIN is not None:
        return
    kept = [item for item in items if item.get_closest_marker("postgresql_only") is None]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


def pytest_generate_tests(metafunc):
    """Every test that needs `engine` (through `db`) runs on each engine available."""
    if "engine" not in metafunc.fixturenames:
        return
    engines = [SQLITE]
    folder = metafunc.definition.path.relative_to(Path(__file__).parent).parts[0]
    if metafunc.definition.get_closest_marker("postgresql_only") is not None:
        engines = [POSTGRESQL]  # (deselected without the server)
    elif (
        folder in BOTH_ENGINES
        and PG_BIN is not None
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    ):
        engines.append(POSTGRESQL)
    metafunc.parametrize("engine", engines, indirect=True)


@pytest.fixture
def engine(request) -> str:
    """ "sqlite" or "postgresql": the engine of this run of the test."""
    return getattr(request, "param", SQLITE)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pg_server.PostgresServer]:
    """The session's PostgreSQL server, started at the first test that needs it and
    stopped at the end of the session, whatever happened."""
    if PG_BIN is None:
        pytest.skip(f"PostgreSQL non disponible : {PG_MISSING}")
    server = pg_server.PostgresServer(PG_BIN)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_server) -> Iterator[pg_server.TestDatabase]:
    """The one database the PostgreSQL tests share, migrated once; each test starts from
    it as migrated (`reset()`, through a connection of its own kept for the session)."""
    test_database = pg_server.TestDatabase(postgres_server)
    try:
        yield test_database
    finally:
        test_database.close()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory) -> Path:
    """A database migrated once per session; each test works on its own copy."""
    path = tmp_path_factory.mktemp("template") / "t.db"
    database = open_database(f"sqlite:///{path}")
    migrate(database)
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


@pytest.fixture
def db_url(engine, request, tmp_path) -> str:
    """The URL of this test's database, fresh and at the current schema version: for
    other processes, the command line, a reopening. Ask for `db` too (the PostgreSQL
    database is emptied when `db` opens it)."""
    if engine == POSTGRESQL:
        return request.getfixturevalue("postgres_template").url
    shutil.copy(request.getfixturevalue("migrated_template"), tmp_path / "t.db")
    return f"sqlite:///{tmp_path}/t.db"


@pytest.fixture
def db(engine, db_url, request) -> Iterator[Database]:
    """This test's database, open in this thread, the models bound to it."""
    if engine == POSTGRESQL:
        request.getfixturevalue("postgres_template").reset()
    database = open_database(db_url)
    migrate(database)  # nothing to do on a fresh copy: asserted by test_migrations
    yield database
    database.close()


@pytest.fixture
def new_database_url(engine, request, tmp_path) -> Iterator[Callable[[], str]]:
    """new_database_url() -> the URL of a new, empty database (no schema) on the engine;
    the PostgreSQL ones are dropped after the test."""
    sqlite_files: list[Path] = []
    pg_databases: list[str] = []

    def make() -> str:
        if engine == POSTGRESQL:
            server = request.getfixturevalue("postgres_server")
            pg_databases.append(server.create_database())
            return server.url(pg_databases[-1])
        sqlite_files.append(tmp_path / f"new-{len(sqlite_files) + 1}.db")
        return f"sqlite:///{sqlite_files[-1]}"

    yield make
    for name in pg_databases:
        request.getfixturevalue("postgres_server").drop_database(name)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def services(db, clock) -> Services:
    return Services(clock)


@pytest.fixture
def ref(db) -> Callable[..., int]:
    """`ref(ReferenceKind.NATURE, "Atelier")` or `ref(kind, code="CEP")`: a value's id."""
    return ref_id


@pytest.fixture
def structure(db) -> Structure:
    return make_structure("ML1", "Mission Locale de Test")


@pytest.fixture
def other_structure(db) -> Structure:
    return make_structure("ML2", "Mission Locale Voisine")


@pytest.fixture
def counsellor(structure) -> Counsellor:
    """Alice MARTIN, every right."""
    return make_counsellor(structure, "alice", first_name="Alice", last_name="Martin")


@pytest.fixture
def actor(services, counsellor) -> Actor:
    return services.counsellors.sign_in(counsellor.login)


@pytest.fixture
def colleague(structure) -> Counsellor:
    """Bruno DURAND, every right, same structure as Alice."""
    return make_counsellor(structure, "bruno", first_name="Bruno", last_name="Durand")


@pytest.fixture
def colleague_actor(services, colleague) -> Actor:
    return services.counsellors.sign_in(colleague.login)


@pytest.fixture
def reader(structure) -> Counsellor:
    """Claire PETIT, who may only consult dossiers."""
    return make_counsellor(
        structure,
        "claire",
        rights={Right.VIEW_DOSSIER},
        first_name="Claire",
        last_name="Petit",
    )


@pytest.fixture
def reader_actor(services, reader) -> Actor:
    return services.counsellors.sign_in(reader.login)


@pytest.fixture
def outsider(other_structure) -> Counsellor:
    """Zoé ROUX, every right, but in the neighbouring structure."""
    return make_counsellor(other_structure, "zoe", first_name="Zoé", last_name="Roux")


@pytest.fixture
def outsider_actor(services, outsider) -> Actor:
    return services.counsellors.sign_in(outsider.login)


@pytest.fixture
def actor_with(services, structure) -> Callable[..., Actor]:
    """Sign in a new counsellor of the structure holding exactly `rights`."""

    def sign_in(rights=ALL_RIGHTS, **names) -> Actor:
        return services.counsellors.sign_in(
            make_counsellor(structure, rights=frozenset(rights), **names).login
        )

    return sign_in


@pytest.fixture
def dossier(structure, counsellor) -> Dossier:
    """LEFÈVRE Œdipe, justified, aged 20, Alice's dossier."""
    return make_dossier(structure, referent=counsellor)
