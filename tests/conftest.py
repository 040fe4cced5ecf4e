"""Fixtures shared by every test folder: a fresh migrated SQLite file database per test,
a clock frozen at 29/11/2026 10:00, the services, one structure with counsellors of
various rights, a neighbouring structure, and a justified dossier of a young person
aged 20. Rows are created with tests.factories (no service, no audit record)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from peewee import Database

from cep_tui.clock import FixedClock
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import Counsellor, Dossier, Structure
from cep_tui.services import Services
from cep_tui.services.views import Actor
from cep_tui.vocabulary import Right
from tests.factories import (
    ALL_RIGHTS,
    NOW,
    make_counsellor,
    make_dossier,
    make_structure,
    ref_id,
)


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
def db(tmp_path, migrated_template) -> Iterator[Database]:
    """A fresh SQLite file database of this test, at the current schema version."""
    shutil.copy(migrated_template, tmp_path / "t.db")
    database = open_database(f"sqlite:///{tmp_path}/t.db")
    migrate(database)  # nothing to do on the copy: asserted by test_migrations
    yield database
    database.close()


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
