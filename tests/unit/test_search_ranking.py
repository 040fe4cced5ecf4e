"""The search seam (cep_tui.db.search), on small data: what matches (every typed word starts
a word of the row, whatever the accents, case, ligatures), in which order (every typed word
a whole word first, then name order), narrowed by several words, always paged, and safe
for any typed text. On both engines the key tables behind it stay equal to the rows they
index, whoever writes. Speed is `make bench`'s business, never asserted here."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cep_tui.db import search, search_keys
from cep_tui.db.models import Dossier, Offer
from cep_tui.services.views import CatalogueKind
from cep_tui.text import fold, indexed_text
from tests.conftest import SQLITE
from tests.factories import YESTERDAY, make_dossier, make_offer, offer_input

HOSTILE = (
    '"',
    '"leca"',
    "'leca'",
    "leca*",
    "*",
    "(leca)",
    "(",
    ")",
    "-leca",
    "-",
    "--",
    "leca -ange",
    "leca NEAR ange",
    "NEAR(leca ange)",
    "leca AND ange",
    "leca OR ange",
    "NOT leca",
    "^leca",
    "leca:ange",
    "{leca}",
    "%",
    "_",
    "\\",
    "leca%",
    "l_ca",
    "Robert'); DROP TABLE dossier;--",
    "😀",
    "leca 😀",
    "\x00leca",
    "a" * 10_000,
    "leca " * 2_000,
    "é" * 10_000,
)


def names(page) -> list[str]:
    return [f"{row.last_name} {row.first_name}" for row in page.items]


PEOPLE = [
    ("Lecardonnel", "Anna"),
    ("Leca", "Zoé"),
    ("Martin", "Leca"),
    ("LECA", "Ange"),
    ("Leca", "Angela"),
    ("Œuvray", "Jean-Noël"),
    ("Dell'Ova", "Lætitia"),
]


@pytest.fixture
def people(structure, counsellor, other_structure):
    for last, first in PEOPLE:
        make_dossier(structure, last_name=last, first_name=first, referent=counsellor)
    make_dossier(other_structure, last_name="Leca", first_name="Voisine")


def oracle(text: str) -> list[str]:
    """The search, written plainly: the people whose words, or runs of up to four words
    joined ("dellova"), each typed word begins, those where every typed word is a whole
    word or run first, then in name order."""
    words = search.typed_words(text)
    ranked = []
    for last, first in PEOPLE:
        row = fold(f"{last} {first}").split()
        runs = ["".join(row[i:j]) for i in range(len(row)) for j in range(i + 2, i + 5)]
        keys = row + [run for run in runs if len(run) <= search.MAX_WORD_LENGTH]
        if all(any(k.startswith(w) for k in keys) for w in words):
            tier = 0 if words and all(w in keys for w in words) else 1
            ranked.append((tier, " ".join(row), f"{last} {first}"))
    return [name for *_, name in sorted(ranked)]


def found(services, actor, text, **paging) -> list[str]:
    return names(services.dossiers.search(actor, text, **paging))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Whole word first (in name order), then the words it begins.
        ("leca", ["LECA Ange", "Leca Angela", "Leca Zoé", "Martin Leca", "Lecardonnel Anna"]),
        ("lec", ["LECA Ange", "Leca Angela", "Leca Zoé", "Lecardonnel Anna", "Martin Leca"]),
        ("l", ["Dell'Ova Lætitia", "LECA Ange", "Leca Angela", "Leca Zoé", "Lecardonnel Anna",
               "Martin Leca"]),
        # Several words narrow, in any order; every one whole ranks first.
        ("leca ange", ["LECA Ange", "Leca Angela"]),
        ("ange leca", ["LECA Ange", "Leca Angela"]),
        ("leca an", ["LECA Ange", "Leca Angela", "Lecardonnel Anna"]),
        ("leca z", ["Leca Zoé"]),
        ("le an", ["LECA Ange", "Leca Angela", "Lecardonnel Anna"]),
        ("lec lecardonnel", ["Lecardonnel Anna"]),  # "lec" adds nothing to "lecardonnel"
        # Accents, case, ligatures.
        ("LÉCA", ["LECA Ange", "Leca Angela", "Leca Zoé", "Martin Leca", "Lecardonnel Anna"]),
        ("oeuvray", ["Œuvray Jean-Noël"]),
        ("Œuv", ["Œuvray Jean-Noël"]),
        ("OEUV jean noel", ["Œuvray Jean-Noël"]),
        ("jean-noël", ["Œuvray Jean-Noël"]),
        ("laetitia", ["Dell'Ova Lætitia"]),
        ("dell ova", ["Dell'Ova Lætitia"]),
        # Words typed joined, without their apostrophe, hyphen or space (issue 11).
        ("dellova", ["Dell'Ova Lætitia"]),
        ("dellov", ["Dell'Ova Lætitia"]),
        ("jeannoel", ["Œuvray Jean-Noël"]),
        ("oeuvray jeannoel", ["Œuvray Jean-Noël"]),
        ("jeannoel oeuv", ["Œuvray Jean-Noël"]),
        ("lecaz", ["Leca Zoé"]),  # the last name runs on into the first name
        ("lecaange", ["LECA Ange", "Leca Angela"]),
        ("lecaan", ["LECA Ange", "Leca Angela"]),
        ("dellovalaetitia", ["Dell'Ova Lætitia"]),
        ("ovadell", []),  # joined in their order only
        ("dell'ova", ["Dell'Ova Lætitia"]),
        ("ova", ["Dell'Ova Lætitia"]),
        # A word's beginning, never its middle; every word must match.
        ("ardonnel", []),
        ("leca voisine", []),  # another structure's
        ("leca xavier", []),
    ],
)  # fmt: skip
def test_dossiers_found_and_ranked(services, actor, people, text, expected):
    assert found(services, actor, text) == expected == oracle(text)


def test_a_birth_date_narrows_and_keeps_the_ranking(services, actor, structure, people):
    make_dossier(structure, last_name="Leca", first_name="Née", birth_date=dt.date(2005, 2, 1))
    make_dossier(structure, last_name="Lecanu", first_name="Née", birth_date=dt.date(2005, 2, 1))
    assert found(services, actor, "lec 01/02/2005") == ["Leca Née", "Lecanu Née"]
    assert found(services, actor, "01/02/2005 lecanu") == ["Lecanu Née"]
    assert found(services, actor, "01/02/2005") == ["Leca Née", "Lecanu Née"]


def test_a_number_prefix_narrows_the_words(services, actor, structure):
    make_dossier(structure, number="7000001", last_name="Leca", first_name="Sept")
    make_dossier(structure, number="8000001", last_name="Leca", first_name="Huit")
    assert found(services, actor, "leca 7") == ["Leca Sept"]
    assert found(services, actor, "800 leca") == ["Leca Huit"]
    assert found(services, actor, "7000001") == ["Leca Sept"]


@pytest.mark.parametrize("dense", [False, True])
@pytest.mark.parametrize("text", ["le an", "leca ange", "l a"])
def test_dense_words_find_the_same_rows(services, actor, people, monkeypatch, dense, text):
    """Where every typed word is frequent, the page is read in the first one's order:
    the same rows, every one of them."""
    before = found(services, actor, text)
    if dense:
        monkeypatch.setattr(search, "DENSE", 1)
    assert sorted(found(services, actor, text)) == sorted(before)


@pytest.mark.parametrize("text", ["leca", "l", "le an", ""])
def test_pages_follow_each_other_without_gap_or_repeat(services, actor, people, text):
    whole = [row.id for row in services.dossiers.search(actor, text, limit=100).items]
    paged, offset = [], 0
    while True:
        page = services.dossiers.search(actor, text, offset=offset, limit=2)
        paged += [row.id for row in page.items]
        if not page.has_more:
            break
        offset += 2
    assert paged == whole


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_is_only_words(services, actor, people, text):
    """Quotes, dashes, parentheses, operators of FTS or LIKE, SQL, emoji, 10,000
    characters: only the folded words count, and nothing breaks."""
    words = search.typed_words(text)
    assert all(w.isascii() and w.isalnum() and len(w) <= search.MAX_WORD_LENGTH for w in words)
    assert found(services, actor, text) == oracle(text)
    assert services.offers.search_catalogue(actor, text, CatalogueKind.INTERNAL) is not None
    assert services.offers.list(actor, text) is not None
    assert Dossier.select().count() == 8  # nothing dropped


def test_quotes_and_operators_are_ignored(services, actor, people):
    expected = found(services, actor, "leca ange")
    for text in ['"leca" "ange"', "(leca) (ange)", "leca* ange*", "-leca -ange", "leca, ange!"]:
        assert found(services, actor, text) == expected, text


def test_typed_words():
    assert search.typed_words("Lefèvre-Cœur  LEF lef") == ["lefevre", "coeur"]
    assert search.typed_words("a b c d e f g h i j") == list("abcdefgh")
    assert search.typed_words("x" * 100) == ["x" * search.MAX_WORD_LENGTH]
    assert search.typed_words("«»—…") == []
    assert search.typed_words(None) == []


# -- offers -------------------------------------------------------------------------------
@pytest.fixture
def offers(structure, counsellor, other_structure, outsider):
    made = {
        name: make_offer(structure, counsellor, name=name, measure=None, partner=partner)
        for name, partner in [
            ("Chantier Main-d'Œuvre", "Œuvres sociales"),
            ("Atelier CV", "Pôle emploi"),
            ("Atelier entretien d'embauche", ""),
            ("Ateliers numériques", ""),
            ("Garantie Jeunes", ""),
        ]
    }
    made["old"] = make_offer(structure, counsellor, name="Atelier ancien", end_date=YESTERDAY)
    make_offer(other_structure, outsider, name="Atelier voisin")
    return made


def catalogue(services, actor, text, **paging) -> list[str]:
    page = services.offers.search_catalogue(actor, text, CatalogueKind.INTERNAL, **paging)
    return [item.name for item in page.items]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oeuvre", ["Chantier Main-d'Œuvre"]),  # the name; "Œuvres" is only its beginning
        ("oeuvres", ["Chantier Main-d'Œuvre"]),  # the partner
        ("main d oeuvre", ["Chantier Main-d'Œuvre"]),
        ("atelier", ["Atelier CV", "Atelier entretien d'embauche", "Ateliers numériques"]),
        ("ateliers", ["Ateliers numériques"]),
        ("at", ["Atelier CV", "Atelier entretien d'embauche", "Ateliers numériques"]),
        ("atelier emb", ["Atelier entretien d'embauche"]),
        ("pole", ["Atelier CV"]),
        ("NUMÉRIQUE", ["Ateliers numériques"]),
        ("", ["Atelier CV", "Atelier entretien d'embauche", "Ateliers numériques",
              "Chantier Main-d'Œuvre", "Garantie Jeunes"]),
        ("voisin", []),
        ("ancien", []),  # ended yesterday: not offered any more
    ],
)  # fmt: skip
def test_catalogue_found_and_ranked(services, actor, offers, text, expected):
    assert catalogue(services, actor, text) == expected


def test_whole_word_first_among_offers(services, actor, structure, counsellor, offers):
    make_offer(structure, counsellor, name="Zumba", measure=None, partner="Cv Express")
    # "cv" is a whole word of both; "Atelier CV" first by name.
    assert catalogue(services, actor, "cv") == ["Atelier CV", "Zumba"]
    make_offer(structure, counsellor, name="Aaa", measure=None, partner="Cvthèque")
    assert catalogue(services, actor, "cv") == ["Atelier CV", "Zumba", "Aaa"]


def test_offers_screen_filters_and_search(services, actor, offers, ref):
    def listed(text="", **filters):
        return [o.name for o in services.offers.list(actor, text, **filters).items]

    assert listed("atelier") == [
        "Atelier ancien",
        "Atelier CV",
        "Atelier entretien d'embauche",
        "Ateliers numériques",
    ]
    assert listed("atelier", current_only=False) == ["Atelier ancien"]
    assert listed("atel", current_only=True) == [
        "Atelier CV",
        "Atelier entretien d'embauche",
        "Ateliers numériques",
    ]
    assert listed("cv", state_id=ref(search_kind("OFFER_STATE"), "Permanente")) == ["Atelier CV"]


def search_kind(name: str):
    from cep_tui.vocabulary import ReferenceKind

    return ReferenceKind[name]


@pytest.mark.parametrize("text", ["atelier", "a", ""])
def test_offer_pages_follow_each_other(services, actor, offers, text):
    whole = catalogue(services, actor, text, limit=100)
    paged, offset = [], 0
    while True:
        page = services.offers.search_catalogue(
            actor, text, CatalogueKind.INTERNAL, offset=offset, limit=2
        )
        paged += [item.name for item in page.items]
        if not page.has_more:
            break
        offset += 2
    assert paged == whole


def test_a_renamed_offer_is_found_by_its_new_name_only(services, actor, counsellor, offers):
    offer = offers["Garantie Jeunes"]
    services.offers.modify(actor, offer.id, offer_input(counsellor.id, name="Parcours Avenir"))
    assert catalogue(services, actor, "parcours") == ["Parcours Avenir"]
    assert catalogue(services, actor, "garantie") == []


# -- the key tables ----------------------------------------------------------------------
def key_table(searchable: search.Searchable) -> list[tuple]:
    return sorted(
        searchable.model._meta.database.execute_sql(
            f'SELECT * FROM "{searchable.key_table}"'
        ).fetchall()
    )


def expected_keys(searchable: search.Searchable) -> list[tuple]:
    model = searchable.model
    return sorted(
        entry
        for row in model.select(model.id, model.structure, model.search_text)
        for entry in search.key_entries(
            row.structure_id, row.id, row.search_text, joined_words=searchable.joined_words
        )
    )


def test_key_tables_follow_every_write(
    db, services, actor, counsellor, structure, other_structure, people, ref
):
    """Inserts (factories), service writes, raw updates (of the text, of the structure)
    and deletes, a rolled-back write: the triggers keep the key tables what key_entries()
    computes, in the writers' transactions."""
    make_offer(structure, counsellor, name="Atelier Œnologie", partner="Lou Louna")
    make_offer(structure, counsellor, name="Atelier Emploi", theme="Emploi")
    assert key_table(search.DOSSIERS) == expected_keys(search.DOSSIERS)
    assert key_table(search.OFFERS) == expected_keys(search.OFFERS)

    offer = Offer.get(Offer.name == "Atelier Œnologie")
    services.offers.modify(actor, offer.id, offer_input(counsellor.id, name="Atelier cuisine"))
    Dossier.update(search_text=" renamed person").where(Dossier.last_name == "Martin").execute()
    Dossier.update(search_text='hostile "text\\').where(Dossier.last_name == "Leca").execute()
    Dossier.update(structure=other_structure).where(Dossier.last_name == "LECA").execute()
    Dossier.update(first_name="Sans effet").execute()  # the text unchanged
    Dossier.delete().where(Dossier.last_name == "Lecardonnel").execute()
    with db.atomic() as transaction:
        Dossier.update(search_text=" rolled back").execute()
        transaction.rollback()
    assert key_table(search.DOSSIERS) == expected_keys(search.DOSSIERS)
    assert key_table(search.OFFERS) == expected_keys(search.OFFERS)
    assert [row.first_name for row in services.dossiers.search(actor, "renamed").items] == [
        "Sans effet"
    ]


# Folded texts (some words longer than MAX_WORD_LENGTH, spaces doubled), names folded,
# and text that is not folded (a direct write: the empty key alone).
ANY_SEARCH_TEXT = st.one_of(
    st.lists(st.text(alphabet="abcz019", max_size=70), max_size=6).map(" ".join),
    st.text(alphabet="aàeéœæ -'z0😀", max_size=40).map(indexed_text),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
)


@settings(max_examples=60)
@given(first=ANY_SEARCH_TEXT, second=ANY_SEARCH_TEXT)
def test_the_triggers_write_the_keys_of_any_text(db, structure, first, second):
    """Whatever a row's text: inserted, updated to another, deleted, its keys are those
    of key_entries() (on PostgreSQL, from the SQL function the triggers call)."""
    template = make_dossier(structure)
    row = Dossier.get_by_id(template.id)
    row.id, row.number, row.search_text = None, f"H{template.id}", first
    row.save(force_insert=True)
    assert key_table(search.DOSSIERS) == expected_keys(search.DOSSIERS)
    Dossier.update(search_text=second).where(Dossier.id == row.id).execute()
    assert key_table(search.DOSSIERS) == expected_keys(search.DOSSIERS)
    Dossier.delete().execute()
    assert key_table(search.DOSSIERS) == []


def test_bulk_loading_writes_the_keys(db, engine, structure, counsellor):
    """SQLite sets its insert triggers aside and writes the keys at the end; PostgreSQL's
    write them statement by statement. Either way, the keys are right after."""
    from cep_tui.db.connection import write_transaction

    with write_transaction(), search_keys.bulk_loading(db):
        made = [make_dossier(structure, last_name=f"Nom{i}", first_name="Un") for i in range(30)]
        rows = [
            {**made[0].__data__, "number": f"M{i}", "search_text": f" lot {i}"} for i in range(5)
        ]
        for row in rows:
            del row["id"]
        Dossier.insert_many(rows).execute()  # one statement, several rows
        if engine == SQLITE:
            assert key_table(search.DOSSIERS) == []
    assert key_table(search.DOSSIERS) == expected_keys(search.DOSSIERS)
    # The insert trigger is back.
    make_dossier(structure, last_name="Après")
    assert key_table(search.DOSSIERS) == expected_keys(search.DOSSIERS)


def test_a_row_s_old_keys_are_deleted_by_seeks(db, engine):
    """The triggers delete the entries of a row updated or deleted each by its whole
    primary key (one seek an entry), never by reading the key table along: the plan of
    their DELETE, for a row of the key table's first structure."""
    old = {"structure_id": "1", "id": "5", "search_text": "' leca ange'"}
    if engine == SQLITE:
        sql = search_keys._delete_keys(search.DOSSIERS, "OLD")
        for column, value in old.items():
            sql = sql.replace(f'OLD."{column}"', value)
        plan = " / ".join(row[3] for row in db.execute_sql(f"EXPLAIN QUERY PLAN {sql}"))
        seek = "structure_id=? AND key=? AND partial=? AND sort_key=? AND row_id=?"
        assert f"SEARCH dossier_search_key USING PRIMARY KEY ({seek})" in plan, plan
        return
    (function,) = [s for s in search_keys._pg_triggers(search.DOSSIERS) if "DELETE FROM" in s]
    sql = function[function.index("DELETE FROM") : function.index(";")]
    for number, column in enumerate(old, start=1):
        sql = sql.replace(f'OLD."{column}"', f"${number}")
    with db.atomic():
        # A few rows: the planner would scan them, or read the index through a bitmap;
        # either is its choice of the day. Plain index scans only, so that the plan is the
        # same run after run (what is checked, the seek by the whole key, is not a choice).
        db.execute_sql("SET LOCAL enable_seqscan = off")
        db.execute_sql("SET LOCAL enable_bitmapscan = off")
        db.execute_sql("SET LOCAL plan_cache_mode = force_generic_plan")  # as in a trigger
        db.execute_sql(f"PREPARE old_keys (integer, integer, text) AS {sql}")
        try:
            plan = "\n".join(
                row[0] for row in db.execute_sql("EXPLAIN EXECUTE old_keys (1, 5, ' leca ange')")
            )
        finally:
            db.execute_sql("DEALLOCATE old_keys")
    # The key table is reached through its primary key index, whatever the scan node
    # (Index Scan, Index Only Scan or Bitmap Index Scan are all seeks), and every column of
    # the primary key is a condition of it (on a table this small the planner checks some
    # of them as a filter; on a large one, as the bounds of each seek).
    assert re.search(r"(Index|Index Only|Bitmap Index) Scan using dossier_search_key_pkey", plan), (
        plan
    )
    assert "Seq Scan" not in plan, plan
    conditions = " ".join(
        line for line in plan.splitlines() if "Cond:" in line or "Filter:" in line
    )
    for column in ("structure_id", "key", "partial", "sort_key", "row_id"):
        assert f"({column} = " in conditions, plan


def test_the_demonstration_data_is_indexed(db, clock):
    from cep_tui import demo

    demo.populate(clock)
    assert key_table(search.DOSSIERS) == expected_keys(search.DOSSIERS)
    assert key_table(search.OFFERS) == expected_keys(search.OFFERS)


@pytest.mark.sqlite_only
@pytest.mark.parametrize("text", ["lec", "leca an"])
def test_a_page_of_words_costs_a_page(db, services, actor, people, text):
    """The query plan of typed words alone: the page is chosen by one range of the key
    table's primary key (read in its order: no sort over the matching entries; the
    other words are seeks in the same key), and only the page's rows are then read."""
    query = search.ranked(
        Dossier.select(Dossier.id), search.DOSSIERS, actor.structure_id, text, limit=21
    )
    sql, params = query.sql()
    plan = list(db.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params))
    details = " / ".join(row[3] for row in plan)
    (page,) = [row[0] for row in plan if row[3].startswith("MATERIALIZE")]
    inside = [row[3] for row in plan if row[1] == page]
    assert "SEARCH k USING PRIMARY KEY (structure_id=? AND key=?)" in inside, details
    if " " not in text:  # one word: the index order is the results' order
        assert not any("TEMP B-TREE" in row for row in inside), details
    assert "SEARCH t1 USING INTEGER PRIMARY KEY (rowid=?)" in details, details
