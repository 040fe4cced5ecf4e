"""The search seam's PostgreSQL implementation: its indexes come with the schema, and the
planner can serve every typed word and a number prefix from them. (Its results are those
of SQLite: tests/unit/test_search.py and the searches of the other suites run on both
engines.)"""

from __future__ import annotations

import pytest

from cep_tui.clock import FixedClock
from cep_tui.db import search
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import Dossier, Offer
from cep_tui.services import Services
from cep_tui.services.views import CatalogueKind
from tests.factories import NOW, make_counsellor, make_dossier, make_offer, make_structure

pytestmark = pytest.mark.postgresql_only


@pytest.fixture
def pg_db(postgres_template):
    postgres_template.reset()
    database = open_database(postgres_template.url)
    yield database
    database.close()


def plan(db, query) -> str:
    sql, params = query.sql()
    return "\n".join(row[0] for row in db.execute_sql("EXPLAIN " + sql, params))


def test_the_search_indexes_come_with_the_schema(pg_db):
    indexes = {name for (name,) in pg_db.execute_sql("SELECT indexname FROM pg_indexes")}
    assert {
        "dossier_search_trigram",
        "offer_search_trigram",
        "dossier_number_pattern",
        "offer_search_order",
    } <= indexes
    assert pg_db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone()


def test_typed_words_and_number_prefixes_are_read_from_the_indexes(pg_db):
    structure = make_structure()
    for n in range(30):
        make_dossier(structure, number=f"{n:07d}", last_name=f"Nom{n}", first_name="Camille")
    pg_db.execute_sql("ANALYZE")
    pg_db.execute_sql("SET enable_seqscan = off")  # a few rows: the planner would scan them
    try:
        # The word conditions of the seam, alone: the trigram index serves them.
        words = Dossier.select().where(search.words_condition(Dossier.search_text, "Cœur lef"))
        assert "dossier_search_trigram" in plan(pg_db, words)
        offers = Offer.select().where(search.words_condition(Offer.search_text, "form"))
        assert "offer_search_trigram" in plan(pg_db, offers)
        number = Dossier.select().where(search.prefix_condition(Dossier.number, "00001"))
        assert "dossier_number_pattern" in plan(pg_db, number)
    finally:
        pg_db.execute_sql("RESET enable_seqscan")


@pytest.fixture
def spaces_ignored_db(postgres_server):
    """A database whose collation ignores spaces when comparing (ICU, French, "shifted"
    punctuation), as some server defaults do."""
    name = "collation_francaise"
    with postgres_server.admin() as admin:
        admin.execute_sql(
            f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
            "LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR-u-ka-shifted' LOCALE 'C.UTF-8'"
        )
    database = open_database(postgres_server.url(name))
    migrate(database)
    yield database
    database.close()
    postgres_server.drop_database(name)


def test_names_sort_as_on_sqlite_whatever_the_collation(spaces_ignored_db):
    """Byte order (COLLATE "C"): "leca zoe" before "lecardonnel anne", the space first, as
    SQLite sorts them, where the database's collation would put them the other way."""
    (ignored,) = spaces_ignored_db.execute_sql("SELECT 'leca zoe' > 'lecardonnel anne'").fetchone()
    assert ignored  # the database's own collation skips the space
    structure = make_structure()
    counsellor = make_counsellor(structure, "alice")
    make_dossier(structure, last_name="Lecardonnel", first_name="Anne")
    make_dossier(structure, last_name="Leca", first_name="Zoé")
    make_offer(structure, counsellor, name="Lecture")
    make_offer(structure, counsellor, name="Lec tures")
    services = Services(FixedClock(NOW))
    actor = services.counsellors.sign_in("alice")

    assert [r.last_name for r in services.dossiers.search(actor, "lec").items] == [
        "Leca",
        "Lecardonnel",
    ]
    catalogue = services.offers.search_catalogue(actor, "", CatalogueKind.INTERNAL).items
    assert [o.name for o in catalogue] == ["Lec tures", "Lecture"]


@pytest.mark.parametrize("text", ["100%", "a_b", "\\\\", "'; DROP TABLE dossier; --", "%_%"])
def test_any_number_prefix_is_taken_literally(pg_db, text):
    structure = make_structure()
    make_dossier(structure, number="100X")
    query = Dossier.select().where(search.prefix_condition(Dossier.number, text))
    assert list(query) == []
