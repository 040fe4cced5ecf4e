"""The search seam's PostgreSQL implementation: its key tables, their triggers and the
function that cuts a text into keys come with the schema; the function computes exactly
what key_entries() computes, for any text; typed words and number prefixes are read from
indexes; and the same data gives the same results, in the same order, as on SQLite, for
any typed text. (tests/unit/test_search.py, test_search_ranking.py and the searches of
the other suites run on both engines besides.)"""

from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cep_tui.clock import FixedClock
from cep_tui.db import search, search_keys
from cep_tui.db.connection import database_proxy, open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import Dossier, Offer
from cep_tui.services import Services
from cep_tui.services.views import CatalogueKind
from cep_tui.text import fold, indexed_text
from tests.conftest import POSTGRESQL, SQLITE
from tests.factories import (
    NOW,
    YESTERDAY,
    make_counsellor,
    make_dossier,
    make_offer,
    make_structure,
)
from tests.unit.test_search_ranking import HOSTILE

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


def test_the_search_objects_come_with_the_schema(pg_db):
    indexes = {name for (name,) in pg_db.execute_sql("SELECT indexname FROM pg_indexes")}
    assert {"dossier_search_key_pkey", "offer_search_key_pkey", "dossier_number_pattern"} <= (
        indexes
    )
    # The trigram indexes of version 4 are gone: the key tables serve every typed word.
    assert not {"dossier_search_trigram", "offer_search_trigram", "offer_search_order"} & indexes
    triggers = {
        name
        for (name,) in pg_db.execute_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    }
    assert {
        f"{searchable.key_table}_{event}"
        for searchable in search.SEARCHABLES
        for event in ("insert", "update", "delete", "truncate")
    } <= triggers


def test_typed_words_and_number_prefixes_are_read_from_the_indexes(pg_db):
    structure = make_structure()
    for n in range(30):
        make_dossier(structure, number=f"{n:07d}", last_name=f"Nom{n}", first_name="Camille")
    pg_db.execute_sql("ANALYZE")
    # A few rows: the planner would scan them, read the index through a bitmap and sort,
    # as its estimates of the day suggest. Pinned to the plans a large table gets, so that
    # what is checked is the property (the page can be read from the index, in its order),
    # never the planner's mood: with sorting discouraged, a sort still shows if no index
    # can give the order.
    for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
        pg_db.execute_sql(f"SET {setting} = off")
    try:
        # One word: the page is the head of one range of the key table's primary key,
        # read in its order (a Limit straight over the index scan: no sort of the range).
        one = search.ranked(Dossier.select(Dossier.id), search.DOSSIERS, structure.id, "nom")
        lines = plan(pg_db, one).splitlines()
        (scan,) = [i for i, line in enumerate(lines) if "dossier_search_key_pkey" in line]
        assert "Limit" in lines[scan - 1] and "key = 'nom'" in lines[scan + 1], lines
        two = search.ranked(Offer.select(Offer.id), search.OFFERS, structure.id, "atel cv")
        assert "offer_search_key_pkey" in plan(pg_db, two)
        number = Dossier.select().where(search.prefix_condition(Dossier.number, "00001"))
        assert "dossier_number_pattern" in plan(pg_db, number)
    finally:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            pg_db.execute_sql(f"RESET {setting}")


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
    # The order of several words (sorted candidates) is byte order too.
    assert [r.last_name for r in services.dossiers.search(actor, "lec a").items] == ["Lecardonnel"]
    assert [r.last_name for r in services.dossiers.search(actor, "le z").items] == ["Leca"]


@pytest.mark.parametrize("text", ["100%", "a_b", "\\\\", "'; DROP TABLE dossier; --", "%_%"])
def test_any_number_prefix_is_taken_literally(pg_db, text):
    structure = make_structure()
    make_dossier(structure, number="100X")
    query = Dossier.select().where(search.prefix_condition(Dossier.number, text))
    assert list(query) == []


# -- the keys of a text -------------------------------------------------------------------
# Folded texts (words of letters and digits, some longer than MAX_WORD_LENGTH, spaces
# doubled or leading or trailing), the folded text of any name, and any text at all (which
# a direct write could store: it gets the empty key alone).
FOLDED_WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", max_size=80), max_size=8
).map(" ".join)
ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=90,
)
NAMES = st.text(alphabet="aAeÉéèœŒæÆßñÑ -'’.lLoOcCuU0😀", max_size=60)
TEXTS = st.one_of(
    FOLDED_WORDS,
    FOLDED_WORDS.map(lambda t: " " + t),
    NAMES.map(indexed_text),
    ANY_TEXT,
    st.sampled_from(["", " ", "  ", " a", "a ", " œuvre", " x" * 40, " " + "y" * 200]),
)


@settings(max_examples=300)
@given(text=TEXTS, joined=st.integers(min_value=1, max_value=5))
def test_the_sql_function_cuts_a_text_as_key_entries_does(pg_db, text, joined):
    rows = pg_db.execute_sql(
        f'SELECT * FROM "{search_keys.ENTRIES_FUNCTION}"(%s, %s, %s, %s)', (3, 7, text, joined)
    ).fetchall()
    assert sorted(rows) == sorted(search.key_entries(3, 7, text, joined_words=joined, sqlite=False))


def test_long_whole_words_are_keys_on_sqlite_only():
    """No typed word is longer than MAX_WORD_LENGTH: a longer whole word is never looked
    for, and PostgreSQL leaves it out (its index entries are limited in size)."""
    word = "a" * (search.MAX_WORD_LENGTH + 1)
    sqlite_keys = {key for _, key, *_ in search.key_entries(1, 1, f" {word}", sqlite=True)}
    pg_keys = {key for _, key, *_ in search.key_entries(1, 1, f" {word}", sqlite=False)}
    assert sqlite_keys - pg_keys == {word}
    assert word[: search.MAX_WORD_LENGTH] in pg_keys


# -- the same answers as SQLite -----------------------------------------------------------
LAST_NAMES = [
    "Lefèvre",
    "LEFEBVRE",
    "Œuvray",
    "Sacré-Cœur",
    "Dell'Ova",
    "Leca",
    "Lecardonnel",
    "Martin",
    "MARTINEZ",
    "Ma",
    "Mà",
    "O'Neil",
    "N'Diaye",
    "Ba",
    "Bâ",
    "Straße",
    "Ñúñez",
    "d'Artagnan",
    "Van der Berg",
    "Da Silva",
    "Ben Saïd",
    "Æbelø",
    "Lé",
    "Bernardin de Saint-Pierre Montmorency-Laval",
    "100% Dupont_",
    "Back\\slash (Quote's)",
]
FIRST_NAMES = [
    "Zoé",
    "Ange",
    "Angela",
    "Ängel",
    "Jean-Noël",
    "Lætitia",
    "Marie-Antoinette Joséphine Éléonore",
    "Ma",
    "Maël",
    "Œdipe",
    "Léa",
    "Lea",
    "A" * 70,
    "Ève",
]
OFFER_NAMES = [
    "Atelier CV",
    "Atelier entretien d'embauche",
    "Ateliers numériques",
    "Chantier Main-d'Œuvre",
    "Garantie Jeunes",
    "Œnologie & cuisine",
    "Permis B – financement",
    "Mobilité (vélo)",
    "Job dating 100% alternance",
    "Formation_pro",
    "Atelier \\ antislash",
    "Lec tures",
    "Lecture",
]
PARTNERS = ["", "Pôle emploi", "Œuvres sociales", "Mission Locale", "CCI", "Cv Express"]
BIRTH_DATES = [dt.date(2006, 3, 14), dt.date(2005, 2, 1), dt.date(2004, 7, 1)]


def _load_the_same_data() -> None:
    """The same rows, in the same order (so with the same ids), on each engine."""
    rng = random.Random(2016)
    structure, neighbour = make_structure("ML1"), make_structure("ML2")
    counsellor = make_counsellor(structure, "alice")
    other = make_counsellor(neighbour, "bob")
    for n in range(160):
        make_dossier(
            structure,
            number=f"{n:07d}",
            last_name=rng.choice(LAST_NAMES),
            first_name=rng.choice(FIRST_NAMES),
            birth_date=rng.choice(BIRTH_DATES),
            referent=counsellor,
        )
    for n in range(10):
        make_dossier(neighbour, number=f"9{n:06d}", last_name=rng.choice(LAST_NAMES))
    for n in range(40):
        make_offer(
            structure,
            counsellor,
            name=rng.choice(OFFER_NAMES),
            partner=rng.choice(PARTNERS),
            measure=None,
            end_date=YESTERDAY if n % 7 == 0 else None,
            start_date=dt.date(2016, 4, 18),
        )
    make_offer(neighbour, other, name="Atelier voisin", measure=None)


def _queries() -> list[str]:
    words = sorted(
        {
            w
            for name in LAST_NAMES + FIRST_NAMES + OFFER_NAMES + PARTNERS
            for w in fold(name).split()
        }
    )
    queries = {w[:n] for w in words for n in (1, 2, 3)} | set(words)
    rng = random.Random(5)
    for _ in range(80):
        queries.add(f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)[: rng.randint(1, 2)]}")
    for _ in range(20):
        queries.add(" ".join(rng.choice(words)[: rng.randint(1, 4)] for _ in range(3)))
    queries |= {"", "0000 le", "00001", "14/03/2006 l", "01/02/2005", "a" * 70, "A" * 64}
    return sorted(queries) + [t for t in HOSTILE if len(t) < 1000]


def _answers(services, actor, text: str) -> tuple:
    def dossiers(**paging):
        page = services.dossiers.search(actor, text, **paging)
        return [(r.number, r.last_name, r.first_name) for r in page.items], page.has_more

    def catalogue(**paging):
        page = services.offers.search_catalogue(actor, text, CatalogueKind.INTERNAL, **paging)
        return [(item.id, item.name) for item in page.items], page.has_more

    offers = services.offers.list(actor, text, limit=10)
    return (
        dossiers(limit=10),
        dossiers(offset=10, limit=10),
        catalogue(limit=5),
        catalogue(offset=5, limit=5),
        ([o.id for o in offers.items], offers.has_more),
    )


@pytest.fixture
def both_engines(postgres_template, migrated_template, tmp_path):
    """The same data in a SQLite database and a PostgreSQL one, each with its services
    and signed-in counsellor: {engine: (database, services, actor)}."""
    postgres_template.reset()
    shutil.copy(migrated_template, tmp_path / "t.db")
    engines = {}
    for engine, url in (
        (SQLITE, f"sqlite:///{tmp_path}/t.db"),
        (POSTGRESQL, postgres_template.url),
    ):
        database = open_database(url)  # binds the models to it
        _load_the_same_data()
        services = Services(FixedClock(NOW))
        engines[engine] = (database, services, services.counsellors.sign_in("alice"))
    yield engines
    for database, _, _ in engines.values():
        database.close()


def _on_each_engine(engines, text: str) -> dict[str, tuple]:
    answers = {}
    for engine, (database, services, actor) in engines.items():
        database_proxy.initialize(database)
        answers[engine] = _answers(services, actor, text)
    return answers


@pytest.mark.parametrize("dense", [search.DENSE, 3])
def test_the_same_data_gives_the_same_answers_on_both_engines(both_engines, monkeypatch, dense):
    """Every prefix of every word of the data, names then first names' beginnings, three
    words, numbers, dates, hostile text: the same rows in the same order, page by page, on
    SQLite and PostgreSQL (with every word dense too, whose order is another)."""
    monkeypatch.setattr(search, "DENSE", dense)
    differences = []
    for text in _queries():
        answers = _on_each_engine(both_engines, text)
        if answers[SQLITE] != answers[POSTGRESQL]:
            differences.append((text, answers))
    assert differences == []


@settings(max_examples=150)
@given(
    text=st.lists(
        st.one_of(
            st.sampled_from(LAST_NAMES + FIRST_NAMES + OFFER_NAMES).map(
                lambda name: name[: len(name) // 2 + 1]
            ),
            st.text(alphabet="abcdelmnorstuvéœÆ'%_\\()\"- ", max_size=6),
        ),
        min_size=1,
        max_size=4,
    ).map(" ".join)
)
def test_any_typed_text_gets_the_same_answers_on_both_engines(both_engines, text):
    answers = _on_each_engine(both_engines, text)
    assert answers[SQLITE] == answers[POSTGRESQL]


def test_a_truncated_table_leaves_no_keys(pg_db):
    structure = make_structure()
    counsellor = make_counsellor(structure, "alice")
    make_offer(structure, counsellor, name="Atelier CV")
    make_dossier(structure, last_name="Leca")
    pg_db.execute_sql('TRUNCATE "offer" CASCADE')
    assert pg_db.execute_sql('SELECT count(*) FROM "offer_search_key"').fetchone() == (0,)
    assert pg_db.execute_sql('SELECT count(*) FROM "dossier_search_key"').fetchone()[0] > 0
