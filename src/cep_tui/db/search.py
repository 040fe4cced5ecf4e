"""The search seam: how typed words find dossiers and offers, and in which order.

Rows store `search_text`: their folded words, each preceded by a space
(cep_tui.text.indexed_text). A row matches when every typed word starts one of its words,
whatever the accents, case or ligatures ("oeuvre" finds "Œuvre"). Results come best first:
the rows where every typed word is a whole word ("leca" finds LECA before LECARDONNEL),
then the others, each in name order (the folded search text: last name then first name for
a dossier, the name for an offer).

On SQLite a key table per searchable model serves this from one index. For each row it
holds every prefix of its words, the whole words flagged (`partial` = 0, the others 1; one
entry per key and row, the whole word winning), and the empty key (every row, to list them
all in name order), each with the row's sort key:

    PRIMARY KEY (structure_id, key, partial, sort_key, row_id)    -- WITHOUT ROWID

so that a typed word is one range of that index, already in the order of the results: the
first page costs a page of index entries however many rows match ("m" matches a quarter of
100,000 dossiers). Further typed words filter the entries of the most selective one, by
seeks in the same index; the rows themselves are read for the page alone. Triggers
keep the key tables in step with every write, in the writer's transaction (services, bulk
demonstration inserts, tests' factories alike).

On PostgreSQL the same results and order come from conditions: a LIKE per word on
`search_text`, served by a trigram index (pg_trgm, GIN: it finds the rows holding the
typed word's trigrams, " le" and "lef" for "lef"), then the same ranking expression, the
names compared byte by byte (COLLATE "C") as SQLite compares them whatever the database's
own collation; a number prefix is a LIKE served by a `text_pattern_ops` index. Those
indexes come with the schema (`install`) or with the upgrade that brought them; should
the server refuse pg_trgm (the contrib package missing, or a role that may not create
it), the search stays the same, unindexed.

Typed text never reaches SQL as syntax: fold() leaves only [0-9a-z] words, and they are
passed as parameters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from peewee import (
    OP,
    SQL,
    Case,
    Database,
    DatabaseError,
    Expression,
    Field,
    ModelSelect,
    Node,
    NodeList,
    Table,
    fn,
)

from cep_tui.db.connection import database_proxy, is_sqlite
from cep_tui.db.models import BaseModel, Dossier, Offer
from cep_tui.text import search_words

MAX_WORDS = 8
# Prefixes of up to MAX_WORD_LENGTH letters are keys. No name is that long; a longer typed
# word is cut (a prefix of it finds a few more rows, never fewer).
MAX_WORD_LENGTH = 64
SORT_KEY_LENGTH = 40
# A typed word with at least this many key entries is "dense": when several such words
# are typed, rows come in the order of the first one's key, read until the page is full.
DENSE = 2000

KEY_COLUMNS = ("structure_id", "key", "partial", "sort_key", "row_id")


@dataclass(frozen=True)
class Searchable:
    """A model searched by its `search_text`, and the name of its SQLite key table."""

    model: type[BaseModel]
    key_table: str

    @property
    def keys(self) -> Table:
        return Table(self.key_table, KEY_COLUMNS)

    @property
    def table(self) -> str:
        return self.model._meta.table_name


DOSSIERS = Searchable(Dossier, "dossier_search_key")
OFFERS = Searchable(Offer, "offer_search_key")
SEARCHABLES: tuple[Searchable, ...] = (DOSSIERS, OFFERS)


def typed_words(text: str | None) -> list[str]:
    """The folded words that count: at most MAX_WORDS, each cut to MAX_WORD_LENGTH, none
    repeated, none that merely begins another typed word (it would add no condition)."""
    words: list[str] = []
    for word in search_words(text or "")[:MAX_WORDS]:
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return [w for w in words if not any(o != w and o.startswith(w) for o in words)]


# -- portable conditions ------------------------------------------------------------------
def words_condition(column: Field, text: str, max_words: int = MAX_WORDS) -> Expression | None:
    """A condition true where every typed word starts a word of `column`; None if no word."""
    condition = None
    for word in typed_words(text)[:max_words]:
        clause = _starts_a_word(column, word)
        condition = clause if condition is None else condition & clause
    return condition


def prefix_condition(column: Field, prefix: str) -> Expression:
    """`column` starts with `prefix` (folded characters or digits): an index range on
    SQLite, whose LIKE ignores the index of a case-sensitive column; on PostgreSQL a
    case-sensitive LIKE, which a `text_pattern_ops` index serves."""
    if is_sqlite():
        if prefix:
            return (column >= prefix) & (column < _next_prefix(prefix))
        return column.startswith(prefix)
    return _like(column, _escape_like(prefix) + "%")


def _starts_a_word(column: Field, word: str) -> Expression:
    # fold() leaves only [0-9a-z]: no LIKE wildcard can reach the pattern.
    return _like(column, f"% {word}%")


def _is_a_word(column: Field, word: str) -> Expression:
    return _like(column.concat(" "), f"% {word} %")


def _like(column: Node, pattern: str) -> Expression:
    """A LIKE: on SQLite peewee's `**` (its `%` would be GLOB); on PostgreSQL LIKE proper
    (`**` would be ILIKE), case-sensitive, which folded text, lowercase already, allows."""
    if is_sqlite():
        return column**pattern
    return Expression(column, OP.LIKE, pattern)


def _escape_like(text: str) -> str:
    """`text` matched literally by a PostgreSQL LIKE (whose escape character is \\)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_order(column: Field) -> Node:
    """The names in SQLite's order, code point by code point: on PostgreSQL, COLLATE "C",
    or a database created with another collation would sort them its own way."""
    return column if is_sqlite() else NodeList((column, SQL('COLLATE "C"')))


def _next_prefix(prefix: str) -> str:
    """The smallest string after every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


# -- the ranked search --------------------------------------------------------------------
def ranked(
    query: ModelSelect,
    searchable: Searchable,
    structure_id: int,
    text: str,
    *,
    conditions: Sequence[Expression] = (),
    selective: bool = False,
    offset: int = 0,
    limit: int = 20,
) -> ModelSelect:
    """A page of `query` (a select of `searchable.model`, its columns and joins) narrowed
    to the rows of the structure that satisfy `conditions` and match `text`, best first.

    `selective`: the conditions alone narrow it to few rows (a birth date), so the words
    filter those rows instead of leading the search."""
    model = searchable.model
    offset = max(0, offset)
    words = typed_words(text)
    conditions = [model.structure == structure_id, *conditions]
    if selective or not is_sqlite():
        for word in words:
            conditions.append(_starts_a_word(model.search_text, word))
        order = [_name_order(model.search_text), model.id]
        if words:
            order.insert(0, _tier([_is_a_word(model.search_text, w) for w in words]))
        return query.where(*conditions).order_by(*order).offset(offset).limit(limit)

    keys = searchable.keys
    counts = {w: _key_count(searchable, structure_id, w) for w in words} if words[1:] else {}
    driver = min(words, key=lambda w: (counts.get(w, 0), -len(w))) if words else ""
    others = [w for w in words if w != driver]
    if not others or counts[driver] >= DENSE:
        # The index order: whole word first, then name order. (When every typed word is
        # dense, only the first one's exactness ranks, and the page fills at once.)
        rank = keys.partial
    else:
        rank = _tier([keys.partial == 0, *(_has_key(searchable, keys, w, True) for w in others)])
    matching = [
        keys.structure_id == structure_id,
        keys.key == driver,
        *(_has_key(searchable, keys, w, False) for w in others),
    ]
    if conditions[1:]:
        # The rows' own conditions are read along: the page is the first rows that pass.
        return (
            query.join_from(model, keys, on=(keys.row_id == model.id))
            .where(*conditions, *matching)
            .order_by(rank, keys.sort_key, keys.row_id)
            .offset(offset)
            .limit(limit)
        )
    # Words alone: the page is chosen in the key table, and only its rows are read.
    page = (
        keys.select(keys.row_id, keys.sort_key, rank.alias("rank"))
        .where(*matching)
        .order_by(SQL('"rank"'), keys.sort_key, keys.row_id)
        .limit(offset + limit)
        .alias("page")
    )
    return (
        query.join_from(model, page, on=(page.c.row_id == model.id))
        .where(*conditions)
        .order_by(page.c.rank, page.c.sort_key, page.c.row_id)
        .offset(offset)
        .limit(limit)
    )


def _has_key(searchable: Searchable, keys: Table, word: str, whole: bool) -> Expression:
    """The row of the `keys` entry at hand has `word` among its keys (as a whole word):
    one or two seeks in the same primary key."""
    other = searchable.keys.alias(f"k_{word}")
    partial = (other.partial == 0) if whole else other.partial.in_([0, 1])
    return fn.EXISTS(
        other.select(SQL("1")).where(
            (other.structure_id == keys.structure_id)
            & (other.key == word)
            & partial
            & (other.sort_key == keys.sort_key)
            & (other.row_id == keys.row_id)
        )
    )


def few(query: ModelSelect) -> bool:
    """Whether `query` has fewer than DENSE rows (counted up to DENSE, so cheap on an
    index): the test of conditions selective enough to lead a search."""
    return query.limit(DENSE).count() < DENSE


def _tier(whole_words: Sequence[Expression]) -> Expression:
    """0 where every typed word is a whole word of the row, else 1."""
    condition = whole_words[0]
    for clause in whole_words[1:]:
        condition = condition & clause
    return Case(None, [(condition, 0)], 1)


def _key_count(searchable: Searchable, structure_id: int, word: str) -> int:
    """How many rows `word` starts a word of, counted up to DENSE (a bounded index range)."""
    sql = (
        f'SELECT count(*) FROM (SELECT 1 FROM "{searchable.key_table}" '
        f'WHERE "structure_id" = ? AND "key" = ? LIMIT {DENSE})'
    )
    return database_proxy.execute_sql(sql, [structure_id, word]).fetchone()[0]


# -- the SQLite key tables ----------------------------------------------------------------
# Rows read at a time when the keys of existing rows are written in bulk.
FILL_CHUNK = 5000
_FOLDED = re.compile(r"[ 0-9a-z]*")


def key_entries(structure_id: int, row_id: int, search_text: str) -> Iterator[tuple]:
    """The key table rows of one row, as the triggers write them (tests hold the two
    to agreement): the empty key, the whole words, then their other prefixes."""
    sort_key = search_text.lstrip(" ")[:SORT_KEY_LENGTH]
    keys = {"": 1}
    if _FOLDED.fullmatch(search_text):
        words = [w for w in search_text.split(" ") if w]
        keys.update((w, 0) for w in words)
        for word in words:
            for length in range(1, min(len(word), MAX_WORD_LENGTH + 1)):
                keys.setdefault(word[:length], 1)
    for key, partial in keys.items():
        yield structure_id, key, partial, sort_key, row_id


def install(db: Database) -> None:
    """Create the key tables and their triggers, and write the keys of the rows already
    there (SQLite); the indexes of `install_postgresql` (PostgreSQL). Called when a
    database is created and by the upgrades that brought them, so that both give the same
    schema."""
    if not is_sqlite(db):
        install_postgresql(db)
        return
    for searchable in SEARCHABLES:
        db.execute_sql(_create_table(searchable))
        _fill(db, searchable)
        for trigger in _triggers(searchable):
            db.execute_sql(trigger)


# -- the PostgreSQL indexes ----------------------------------------------------------------
def install_postgresql(db: Database) -> None:
    """The trigram indexes of the searched texts (pg_trgm, created if need be: a trusted
    extension, which the database's owner may create), the pattern index of dossier
    numbers and the name order of offers; if the server refuses pg_trgm, the search goes
    on without its index. Idempotent; a no-op on SQLite."""
    if is_sqlite(db):
        return
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "dossier_number_pattern" ON "dossier" '
        '("number" text_pattern_ops)'
    )
    # The catalogue with nothing typed, in name order: read in the index's order.
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "offer_search_order" ON "offer" '
        '("structure_id", "search_text" COLLATE "C", "id")'
    )
    try:
        with db.atomic():  # a savepoint: a refusal leaves the caller's transaction usable
            db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return
    for searchable in SEARCHABLES:
        db.execute_sql(
            f'CREATE INDEX IF NOT EXISTS "{searchable.table}_search_trigram" '
            f'ON "{searchable.table}" USING gin ("search_text" gin_trgm_ops)'
        )


@contextmanager
def bulk_loading(db: Database) -> Iterator[None]:
    """For a bulk insert inside one write transaction (the demonstration data): the
    insert triggers are set aside, and the keys of the rows inserted meanwhile are written
    at the end, several times faster than row by row in SQL."""
    if not is_sqlite(db):
        yield
        return
    if not db.in_transaction():
        raise RuntimeError("bulk_loading() needs the caller's write transaction.")
    marks = {}
    for searchable in SEARCHABLES:
        (marks[searchable],) = db.execute_sql(
            f'SELECT coalesce(max("id"), 0) FROM "{searchable.table}"'
        ).fetchone()
        db.execute_sql(f'DROP TRIGGER "{searchable.key_table}_insert"')
    try:
        yield
        for searchable in SEARCHABLES:
            _fill(db, searchable, after_id=marks[searchable])
    finally:
        for searchable in SEARCHABLES:
            db.execute_sql(_triggers(searchable)[0])


def _fill(db: Database, searchable: Searchable, after_id: int = 0) -> None:
    """Write the keys of the rows whose id is above `after_id` (entries already there are
    left as they are)."""
    insert = (
        f'INSERT OR IGNORE INTO "{searchable.key_table}" ({", ".join(KEY_COLUMNS)}) '
        "VALUES (?, ?, ?, ?, ?)"
    )
    last = after_id
    while True:
        rows = db.execute_sql(
            f'SELECT "id", "structure_id", "search_text" FROM "{searchable.table}" '
            f'WHERE "id" > ? ORDER BY "id" LIMIT {FILL_CHUNK}',
            (last,),
        ).fetchall()
        if not rows:
            return
        db.connection().executemany(
            insert,
            (entry for row_id, sid, text in rows for entry in key_entries(sid, row_id, text)),
        )
        last = rows[-1][0]


def _create_table(searchable: Searchable) -> str:
    return (
        f'CREATE TABLE "{searchable.key_table}" ("structure_id" INTEGER NOT NULL, '
        '"key" TEXT NOT NULL, "partial" INTEGER NOT NULL, "sort_key" TEXT NOT NULL, '
        '"row_id" INTEGER NOT NULL, '
        'PRIMARY KEY ("structure_id", "key", "partial", "sort_key", "row_id")) WITHOUT ROWID'
    )


def _triggers(searchable: Searchable) -> list[str]:
    """The insert, delete and update triggers (the insert one first)."""
    keys, table = searchable.key_table, searchable.table
    insert = " ".join(s + ";" for s in _insert_keys(searchable, "NEW"))
    delete = _delete_keys(searchable, "OLD") + ";"
    return [
        f'CREATE TRIGGER "{keys}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
        f'CREATE TRIGGER "{keys}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
        f'CREATE TRIGGER "{keys}_update" AFTER UPDATE OF "search_text", "structure_id" '
        f'ON "{table}" WHEN OLD."search_text" IS NOT NEW."search_text" '
        f'OR OLD."structure_id" IS NOT NEW."structure_id" BEGIN {delete} {insert} END',
    ]


def _key_selects(row: str) -> tuple[str, str, str]:
    """The SELECTs of the entries of a trigger's row (NEW or OLD), as key_entries: the
    empty key, the whole words, their other prefixes. The words are split with json_each
    on a JSON array built from the text, which is safe only on folded text (anything else
    gets the empty key alone)."""
    text = f'{row}."search_text"'
    head = f'{row}."structure_id"'
    tail = f"substr(ltrim({text}, ' '), 1, {SORT_KEY_LENGTH}), {row}.\"id\""
    words = f"""json_each('["' || replace({text}, ' ', '","') || '"]') AS w"""
    folded = f"{text} NOT GLOB '*[^ 0-9a-z]*'"
    lengths = ",".join(str(n) for n in range(1, MAX_WORD_LENGTH + 1))
    return (
        f"SELECT {head}, '', 1, {tail}",
        f"SELECT {head}, w.value, 0, {tail} FROM {words} WHERE {folded} AND w.value <> ''",
        f"SELECT {head}, substr(w.value, 1, n.value), 1, {tail} "
        f"FROM {words}, json_each('[{lengths}]') AS n "
        f"WHERE {folded} AND n.value < length(w.value)",
    )


def _insert_keys(searchable: Searchable, row: str) -> list[str]:
    keys = searchable.key_table
    into = f'INSERT OR IGNORE INTO "{keys}" ({", ".join(KEY_COLUMNS)}) '
    empty, whole, prefixes = _key_selects(row)
    # A prefix that is also a whole word of the row is kept once, as the whole word.
    not_whole = (
        f' AND NOT EXISTS (SELECT 1 FROM "{keys}" AS x '
        f'WHERE x.structure_id = {row}."structure_id" AND x.key = substr(w.value, 1, n.value) '
        f'AND x.partial = 0 AND x.row_id = {row}."id" '
        f"AND x.sort_key = substr(ltrim({row}.\"search_text\", ' '), 1, {SORT_KEY_LENGTH}))"
    )
    return [into + empty, into + whole, into + prefixes + not_whole]


def _delete_keys(searchable: Searchable, row: str) -> str:
    empty, whole, prefixes = _key_selects(row)
    return (
        f'DELETE FROM "{searchable.key_table}" WHERE ({", ".join(KEY_COLUMNS)}) IN '
        f"({empty} UNION ALL {whole} UNION ALL {prefixes})"
    )
