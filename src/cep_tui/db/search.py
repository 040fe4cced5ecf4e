"""The search seam: how typed words find dossiers and offers, and in which order.

Rows store `search_text`: their folded words, each preceded by a space
(cep_tui.text.indexed_text). A row matches when every typed word starts one of its words,
whatever the accents, case or ligatures ("oeuvre" finds "Œuvre"). Results come best first:
the rows where every typed word is a whole word ("leca" finds LECA before LECARDONNEL),
then the others, each in name order (the folded search text: last name then first name for
a dossier, the name for an offer).

On both engines a key table per searchable model serves this from one index. For each row
it holds every prefix of its words, the whole words flagged (`partial` = 0, the others 1;
one entry per key and row, the whole word winning), and the empty key (every row, to list
them all in name order), each with the row's sort key (the first SORT_KEY_LENGTH
characters of its folded text):

    PRIMARY KEY (structure_id, key, partial, sort_key, row_id)

(on SQLite a WITHOUT ROWID table; on PostgreSQL `key` and `sort_key` are in the "C"
collation, so that names compare byte by byte, as SQLite compares them, whatever the
database's own collation), so that a typed word is one range of that index, already in
the order of the results: the first page costs a page of index entries however many rows
match ("m" matches a quarter of 100,000 dossiers). Further typed words filter the entries
of the most selective one: from the entry's own sort key when it holds the row's whole
text (shorter than SORT_KEY_LENGTH: nearly every name), else by seeks in the same index;
the rows themselves are read for the page alone.

Triggers keep the key tables in step with every write, in the writer's transaction
(services, bulk demonstration inserts, tests' factories, direct updates alike): SQL
triggers on SQLite; on PostgreSQL PL/pgSQL ones around one SQL function,
`search_key_entries`, a statement-level trigger for inserts (a bulk insert gets its keys in
one statement) and row-level ones for updates and deletes. Neither engine folds text:
Python does (cep_tui.text.fold) before `search_text` is written, and the triggers only cut
it into words and prefixes, as key_entries() does (tests hold them to agreement); a text
that is not folded (a direct write) gets the empty key alone.

A name is also found typed without its apostrophes, hyphens or spaces ("oconnor" finds
O'Connor, "jeanpierre" Jean-Pierre): the runs of consecutive words of a row, joined, are
keys too (up to `Searchable.joined_words` words; a whole run ranks as a whole word). The
text keeps no trace of where a hyphen was, so a run may join any neighbouring words
("duponteric" finds DUPONT Eric), which harms nothing.

When conditions few rows satisfy narrow the search (a birth date, a rare number prefix
or list value), those rows are read instead, and the words filter them by LIKE conditions
on `search_text` (or, for a joined word, a seek of the row's key), with the same
ranking expression.

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
    """A model searched by its `search_text`, and the name of its key table."""

    model: type[BaseModel]
    key_table: str
    # The most consecutive words a key joins ("o connor" -> "oconnor"): a name typed
    # without its apostrophes, hyphens or spaces is one of its keys (see JOINED KEYS).
    joined_words: int = 1

    @property
    def keys(self) -> Table:
        """The key table, aliased "k" (the raw conditions of `_has_key` name it so)."""
        return Table(self.key_table, KEY_COLUMNS).alias("k")

    @property
    def table(self) -> str:
        return self.model._meta.table_name


# A dossier's text is its names: up to four words joined ("Le Gall-O'Connor" is found by
# "legalloconnor"; the last name runs on into the first name: "duponteric"). An offer's
# text is a list of fields, where only a compound word matters ("aidesoignant",
# "elearning"): two words, which already doubles its keys.
DOSSIERS = Searchable(Dossier, "dossier_search_key", joined_words=4)
OFFERS = Searchable(Offer, "offer_search_key", joined_words=2)
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
    if selective:
        for word in words:
            conditions.append(_row_has_key(searchable, word, whole=False))
        order = [_name_order(model.search_text), model.id]
        if words:
            order.insert(0, _tier([_row_has_key(searchable, w, whole=True) for w in words]))
        return query.where(*conditions).order_by(*order).offset(offset).limit(limit)

    keys = searchable.keys
    driver, count = _driver(searchable, structure_id, words)
    others = [w for w in words if w != driver]
    if not others or count >= DENSE:
        # The index order: whole word first, then name order. (When every typed word is
        # dense, only the first one's exactness ranks, and the page fills at once.)
        rank = keys.partial
    else:
        rank = _tier([keys.partial == 0, *(_has_key(searchable, w, True) for w in others)])
    matching = [
        keys.structure_id == structure_id,
        keys.key == driver,
        *(_has_key(searchable, w, False) for w in others),
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


def _driver(searchable: Searchable, structure_id: int, words: list[str]) -> tuple[str, int]:
    """The typed word whose key range leads the search (the empty key when none is
    typed), and its count of entries: the word with the fewest (the longer one, then the
    first typed, among equals), counted up to DENSE."""
    if not words[1:]:
        return (words[0] if words else ""), 0
    ordered = sorted(words, key=len, reverse=True)
    counts = _key_counts(searchable, structure_id, ordered)
    driver, fewest = ordered[0], counts[0]
    for word, count in zip(ordered[1:], counts[1:], strict=True):
        if count < fewest:
            driver, fewest = word, count
    return driver, fewest


def _key_counts(searchable: Searchable, structure_id: int, words: list[str]) -> list[int]:
    """How many rows each word starts a word of, in bounded ranges of the key table's
    index: the first word (the longest, usually the fewest) up to DENSE, each other only
    up to the fewest so far, which it can but equal or beat (a few hundred entries for
    "santoni ma", not DENSE for "ma"). One query a word on SQLite, in process; one query
    for them all on PostgreSQL, where each costs a round trip to the server (each count
    bounded by the counts before it, LATERAL)."""
    table, param = searchable.key_table, database_proxy.param

    def counted(bound: str) -> str:
        return (
            f'SELECT count(*) FROM (SELECT 1 FROM "{table}" '
            f'WHERE "structure_id" = {param} AND "key" = {param} LIMIT {bound}) AS entries'
        )

    if is_sqlite():
        counts: list[int] = []
        for word in words:
            sql = counted(str(min(counts, default=DENSE)))
            counts.append(database_proxy.execute_sql(sql, [structure_id, word]).fetchone()[0])
        return counts
    ranges = [f"({counted(str(DENSE))}) AS c0 (n)"]
    for i in range(1, len(words)):
        bound = f"least({', '.join(f'c{j}.n' for j in range(i))})"
        ranges.append(f"LATERAL ({counted(bound)}) AS c{i} (n)")
    columns = ", ".join(f"c{i}.n" for i in range(len(words)))
    sql = f"SELECT {columns} FROM {' CROSS JOIN '.join(ranges)}"
    params = [value for word in words for value in (structure_id, word)]
    return list(database_proxy.execute_sql(sql, params).fetchone())


def _has_key(searchable: Searchable, word: str, whole: bool) -> SQL:
    """The row of the key entry at hand ("k") has `word` among its keys (as a whole
    key). Read from the entry's sort key when it is the row's whole text (shorter than
    SORT_KEY_LENGTH, and folded: the rows of a typed word's key are), where a word's
    beginning (a whole word) follows a space; failing that (a longer text, or a joined
    key: "oconnor" is no word of "o connor"), one or two seeks in the same primary key.
    Raw SQL: built for every search, it costs a tenth of the same in peewee nodes."""
    param = database_proxy.param
    return SQL(
        f'CASE WHEN length("k"."sort_key") < {SORT_KEY_LENGTH} '
        f"AND (' ' || \"k\".\"sort_key\" || ' ') LIKE {param} THEN TRUE "
        f'ELSE EXISTS (SELECT 1 FROM "{searchable.key_table}" AS "o" '
        f'WHERE "o"."structure_id" = "k"."structure_id" AND "o"."key" = {param} '
        f'AND "o"."partial" {"= 0" if whole else "IN (0, 1)"} '
        f'AND "o"."sort_key" = "k"."sort_key" AND "o"."row_id" = "k"."row_id") END',
        [f"% {word} %" if whole else f"% {word}%", word],
    )


def _row_has_key(searchable: Searchable, word: str, whole: bool) -> Expression:
    """The row of `searchable.model` at hand has `word` among its keys (as a whole key):
    from its text when the word starts one of its words (or is one), else by a seek in its
    key table (a joined key). For the few rows of a selective search."""
    model, keys = searchable.model, searchable.keys
    if whole:
        in_text = _is_a_word(model.search_text, word)
    else:
        in_text = _starts_a_word(model.search_text, word)
    sort_key = fn.substr(fn.ltrim(model.search_text, " "), 1, SORT_KEY_LENGTH)
    entry = keys.select(SQL("1")).where(
        (keys.structure_id == model.structure)
        & (keys.key == word)
        & (keys.partial.in_([0] if whole else [0, 1]))
        & (keys.sort_key == _name_order(sort_key))
        & (keys.row_id == model.id)
    )
    return in_text | fn.EXISTS(entry)


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


# -- the key entries ----------------------------------------------------------------------
_FOLDED = re.compile(r"[ 0-9a-z]*")


def key_entries(
    structure_id: int,
    row_id: int,
    search_text: str,
    *,
    joined_words: int = 1,
    sqlite: bool | None = None,
) -> Iterator[tuple]:
    """The key table rows of one row, as the triggers of the engine (`sqlite`; None: the
    one the models are bound to) write them (tests hold the two to agreement): the empty
    key, the whole words and the whole joined runs of up to `joined_words` words, then
    their other prefixes. PostgreSQL leaves out the whole words longer than
    MAX_WORD_LENGTH, which no typed word can equal (and which could outgrow its index
    entries); SQLite keeps them. A joined key is never longer than MAX_WORD_LENGTH."""
    if sqlite is None:
        sqlite = is_sqlite()
    sort_key = search_text.lstrip(" ")[:SORT_KEY_LENGTH]
    keys = {"": 1}
    if _FOLDED.fullmatch(search_text):
        words = [w for w in search_text.split(" ") if w]
        runs = list(joined_runs(search_text, joined_words))
        keys.update((w, 0) for w in words if sqlite or len(w) <= MAX_WORD_LENGTH)
        keys.update((b + last, 0) for b, last in runs if len(b + last) <= MAX_WORD_LENGTH)
        for word in words:
            for length in range(1, min(len(word), MAX_WORD_LENGTH + 1)):
                keys.setdefault(word[:length], 1)
        for base, last in runs:
            for length in range(1, min(len(last), MAX_WORD_LENGTH + 1 - len(base))):
                keys.setdefault(base + last[:length], 1)
    for key, partial in keys.items():
        yield structure_id, key, partial, sort_key, row_id


def joined_runs(search_text: str, joined_words: int) -> Iterator[tuple[str, str]]:
    """JOINED KEYS. The runs of 2 to `joined_words` consecutive words of a folded text,
    each as (its words but the last, joined; its last word): "o connor jean" gives
    ("o", "connor"), ("oconnor", "jean"), ("connor", "jean"). The keys of a run are its
    joined text (a whole key: "oconnor" ranks as a whole word) and the prefixes that reach
    into its last word ("oconn"; the shorter ones are its words' own). Words are the
    pieces between single spaces: a run never spans an empty piece (a doubled space of a
    direct write), as the SQL of both engines splits the text on each space."""
    pieces = search_text.split(" ")
    for start, first in enumerate(pieces):
        base = first
        for last in pieces[start + 1 : start + joined_words]:
            if not base or not last:
                break
            yield base, last
            base += last


def install(db: Database) -> None:
    """The key tables, their triggers and the entries of the rows already there, on the
    engine of `db`, and on PostgreSQL the pattern index of dossier numbers. Called when a
    database is created; the upgrades that brought them call the engine's own
    (`install_sqlite`, `install_postgresql`), so that both give the same schema."""
    install_sqlite(db)
    install_postgresql(db)


@contextmanager
def bulk_loading(db: Database) -> Iterator[None]:
    """For a bulk insert inside one write transaction (the demonstration data). SQLite:
    the insert triggers are set aside, and the keys of the rows inserted meanwhile are
    written at the end, several times faster than row by row in SQL. PostgreSQL: nothing
    to do, its insert triggers run once per statement, and write the keys of a whole
    batch in one INSERT … SELECT."""
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


def rebuild(db: Database) -> None:
    """The key tables, their triggers and (PostgreSQL) their function made anew as this
    code writes them, with the entries of every row: for a schema upgrade that changes
    which keys a text has. The rows themselves are not touched. SQLite writes the entries
    in Python, in chunks (as `install_sqlite` does: twice as fast as its triggers' SQL);
    PostgreSQL in one INSERT … SELECT a table, before building its primary key."""
    for searchable in SEARCHABLES:
        keys, table = searchable.key_table, searchable.table
        for event in ("insert", "delete", "update", "truncate"):
            on = "" if is_sqlite(db) else f' ON "{table}"'
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{keys}_{event}"{on}')
        db.execute_sql(f'DROP TABLE IF EXISTS "{keys}"')
    if not is_sqlite(db):
        # Before joined keys (schema version 9), the function had no `joined_words`.
        db.execute_sql(f'DROP FUNCTION IF EXISTS "{ENTRIES_FUNCTION}"(integer, integer, text)')
    install(db)


# -- the SQLite key tables ----------------------------------------------------------------
# Rows read at a time when the keys of existing rows are written in bulk.
FILL_CHUNK = 5000


def install_sqlite(db: Database) -> None:
    """SQLite: create the key tables and their triggers, and write the keys of the rows
    already there. A no-op on PostgreSQL."""
    if not is_sqlite(db):
        return
    for searchable in SEARCHABLES:
        db.execute_sql(_create_table(searchable))
        _fill(db, searchable)
        for trigger in _triggers(searchable):
            db.execute_sql(trigger)


def replace_sqlite_triggers(db: Database) -> None:
    """SQLite: the key tables' triggers dropped and created again as `_triggers` writes
    them today (their entries are unchanged). A no-op on PostgreSQL."""
    if not is_sqlite(db):
        return
    for searchable in SEARCHABLES:
        for event in ("insert", "delete", "update"):
            db.execute_sql(f'DROP TRIGGER IF EXISTS "{searchable.key_table}_{event}"')
        for trigger in _triggers(searchable):
            db.execute_sql(trigger)


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
            (
                entry
                for row_id, sid, text in rows
                for entry in key_entries(
                    sid, row_id, text, joined_words=searchable.joined_words, sqlite=True
                )
            ),
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


def _key_selects(searchable: Searchable, row: str) -> tuple[str, str]:
    """The keys of a trigger's row (NEW or OLD), as key_entries: two SELECTs of one
    column `key`, the whole ones (words, joined runs) and the other prefixes. The words
    are split with json_each on a JSON array built from the text, which is safe only on
    folded text (anything else gets the empty key alone); a run's words are read from the
    same array by their index (no CTE may serve: SQLite has none in a trigger)."""
    text = f'{row}."search_text"'
    array = f"""('["' || replace({text}, ' ', '","') || '"]')"""
    words = f"json_each({array}) AS w"
    folded = f"{text} NOT GLOB '*[^ 0-9a-z]*'"
    lengths = f"json_each('[{','.join(str(n) for n in range(1, MAX_WORD_LENGTH + 1))}]') AS n"

    def word(offset: int) -> str:
        return f"json_extract({array}, '$[' || (w.key + {offset}) || ']')"

    # Each run of 1 + `extra` words: (base, last) as joined_runs(); NULL past the end.
    runs = " UNION ALL ".join(
        f"SELECT w.value{''.join(f' || {word(i)}' for i in range(1, extra))} AS base, "
        f"{word(extra)} AS last FROM {words} WHERE {folded} AND w.value <> ''"
        + "".join(f" AND {word(i)} <> ''" for i in range(1, extra + 1))
        for extra in range(1, searchable.joined_words)
    )
    whole = f"SELECT w.value AS key FROM {words} WHERE {folded} AND w.value <> ''"
    prefixes = (
        f"SELECT substr(w.value, 1, n.value) AS key FROM {words}, {lengths} "
        f"WHERE {folded} AND n.value < length(w.value)"
    )
    if runs:
        whole += (
            f" UNION ALL SELECT r.base || r.last FROM ({runs}) AS r "
            f"WHERE length(r.base || r.last) <= {MAX_WORD_LENGTH}"
        )
        prefixes += (
            f" UNION ALL SELECT r.base || substr(r.last, 1, n.value) FROM ({runs}) AS r, "
            f"{lengths} WHERE n.value < length(r.last) "
            f"AND length(r.base) + n.value <= {MAX_WORD_LENGTH}"
        )
    return whole, prefixes


def _insert_keys(searchable: Searchable, row: str) -> list[str]:
    """The INSERTs of a trigger's row's entries: the empty key, the whole keys, then the
    prefixes that are not also a whole key of the row (one entry per key, the whole one
    winning)."""
    keys = searchable.key_table
    into = f'INSERT OR IGNORE INTO "{keys}" ({", ".join(KEY_COLUMNS)}) '
    sort_key = f"substr(ltrim({row}.\"search_text\", ' '), 1, {SORT_KEY_LENGTH})"
    entry = f'SELECT {row}."structure_id", {{}}, {{}}, {sort_key}, {row}."id"'
    whole, prefixes = _key_selects(searchable, row)
    not_whole = (
        f'NOT EXISTS (SELECT 1 FROM "{keys}" AS x '
        f'WHERE x.structure_id = {row}."structure_id" AND x.key = p.key '
        f'AND x.partial = 0 AND x.sort_key = {sort_key} AND x.row_id = {row}."id")'
    )
    return [
        into + entry.format("''", 1),
        into + entry.format("p.key", 0) + f" FROM ({whole}) AS p",
        into + entry.format("p.key", 1) + f" FROM ({prefixes}) AS p WHERE {not_whole}",
    ]


def _delete_keys(searchable: Searchable, row: str) -> str:
    """The DELETE of a trigger's row's entries, each by its primary key: one seek an entry
    (the keys of the row's text, both values of `partial`, its sort key, its id). Matching
    the five columns together against the entries, as a row value, would read the whole
    table for each row written: 0.6 s on the large data."""
    keys = " UNION ALL ".join(("SELECT ''", *_key_selects(searchable, row)))
    text = f'{row}."search_text"'
    return (
        f'DELETE FROM "{searchable.key_table}" WHERE "structure_id" = {row}."structure_id" '
        f'AND "key" IN ({keys}) AND "partial" IN (0, 1) '
        f"AND \"sort_key\" = substr(ltrim({text}, ' '), 1, {SORT_KEY_LENGTH}) "
        f'AND "row_id" = {row}."id"'
    )


# -- the PostgreSQL key tables ------------------------------------------------------------
ENTRIES_FUNCTION = "search_key_entries"
# The characters of folded text: a text made of others gets the empty key alone.
_FOLDED_CHARACTERS = " 0123456789abcdefghijklmnopqrstuvwxyz"


def install_postgresql(db: Database) -> None:
    """PostgreSQL: the pattern index of dossier numbers; the function that cuts a folded
    text into its keys; and, for each searchable model whose key table is missing, the
    table, the keys of the rows already there (written before the primary key is built:
    one sort instead of a million insertions into it), its triggers, and its statistics.
    Idempotent; a no-op on SQLite."""
    if is_sqlite(db):
        return
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "dossier_number_pattern" ON "dossier" '
        '("number" text_pattern_ops)'
    )
    db.execute_sql(_pg_entries_function())
    for searchable in SEARCHABLES:
        if db.table_exists(searchable.key_table):
            continue
        keys, table = searchable.key_table, searchable.table
        db.execute_sql(
            f'CREATE TABLE "{keys}" ("structure_id" integer NOT NULL, '
            '"key" text COLLATE "C" NOT NULL, "partial" smallint NOT NULL, '
            '"sort_key" text COLLATE "C" NOT NULL, "row_id" integer NOT NULL)'
        )
        db.execute_sql(
            f'INSERT INTO "{keys}" SELECT e.* FROM "{table}" AS r, '
            f'"{ENTRIES_FUNCTION}"(r."structure_id", r."id", r."search_text", '
            f"{searchable.joined_words}) AS e"
        )
        db.execute_sql(
            f'ALTER TABLE "{keys}" ADD CONSTRAINT "{keys}_pkey" '
            f"PRIMARY KEY ({', '.join(KEY_COLUMNS)})"
        )
        for statement in _pg_triggers(searchable):
            db.execute_sql(statement)
        db.execute_sql(f'ANALYZE "{keys}"')


def _pg_entries_function() -> str:
    """search_key_entries(structure_id, row_id, search_text, joined_words): the key table
    rows of one row, as key_entries() computes them (`partial` is the least of a key's: a
    whole word wins over the same letters as a prefix); the joined runs as joined_runs()
    cuts them (pieces between single spaces, none empty). Immutable SQL, inlined where it
    is called."""
    return f"""CREATE OR REPLACE FUNCTION "{ENTRIES_FUNCTION}"(integer, integer, text, integer)
RETURNS TABLE ("structure_id" integer, "key" text, "partial" smallint, "sort_key" text,
               "row_id" integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT $1, k.key, min(k.partial)::smallint, substr(ltrim($3, ' '), 1, {SORT_KEY_LENGTH}), $2
FROM (SELECT '' AS key, 1 AS partial
      UNION ALL
      SELECT substr(w.word, 1, n.length), CASE WHEN n.length = length(w.word) THEN 0 ELSE 1 END
      FROM unnest(string_to_array($3, ' ')) AS w (word),
           generate_series(1, least(length(w.word), {MAX_WORD_LENGTH})) AS n (length)
      WHERE translate($3, '{_FOLDED_CHARACTERS}', '') = ''
      UNION ALL
      SELECT array_to_string(p.w[s.first:s.first + e.extra - 1], '')
             || substr(p.w[s.first + e.extra], 1, n.length),
             CASE WHEN n.length = length(p.w[s.first + e.extra]) THEN 0 ELSE 1 END
      FROM (SELECT string_to_array($3, ' ') AS w) AS p,
           generate_series(1, cardinality(p.w)) AS s (first),
           generate_series(1, $4 - 1) AS e (extra),
           generate_series(1, length(p.w[s.first + e.extra])) AS n (length)
      WHERE translate($3, '{_FOLDED_CHARACTERS}', '') = ''
        AND '' <> ALL (p.w[s.first:s.first + e.extra])
        AND length(array_to_string(p.w[s.first:s.first + e.extra - 1], '')) + n.length
            <= {MAX_WORD_LENGTH}) AS k
GROUP BY k.key
$$"""


def _pg_triggers(searchable: Searchable) -> list[str]:
    """The trigger functions and triggers of one key table: inserts, once per statement
    (the rows inserted are a transition table); updates of the text or the structure and
    deletes, per row (the old entries deleted by their primary key: the keys of the old
    text, both values of `partial`, its sort key, the row's id, so that each is one seek;
    without `partial` the index would be read along every entry of each key: 15 ms a
    row on the large data); TRUNCATE."""
    keys, table, entries = searchable.key_table, searchable.table, ENTRIES_FUNCTION
    joined = searchable.joined_words
    columns = ", ".join(f'"{c}"' for c in KEY_COLUMNS)
    insert_new = (
        f'INSERT INTO "{keys}" ({columns}) SELECT e.* '
        f'FROM "{entries}"(NEW."structure_id", NEW."id", NEW."search_text", {joined}) AS e '
        "ON CONFLICT DO NOTHING;"
    )
    return [
        f"""CREATE OR REPLACE FUNCTION "{keys}_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "{keys}" ({columns}) SELECT e.*
  FROM "new_rows" AS r, "{entries}"(r."structure_id", r."id", r."search_text", {joined}) AS e
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION "{keys}_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "{keys}"
  WHERE "structure_id" = OLD."structure_id"
    AND "key" = ANY (ARRAY(SELECT e."key"
                           FROM "{entries}"(OLD."structure_id", OLD."id",
                                            OLD."search_text", {joined}) AS e))
    AND "partial" IN (0, 1)
    AND "sort_key" = substr(ltrim(OLD."search_text", ' '), 1, {SORT_KEY_LENGTH})
    AND "row_id" = OLD."id";
  IF TG_OP = 'UPDATE' THEN
    {insert_new}
  END IF;
  RETURN NULL;
END $$""",
        f"""CREATE OR REPLACE FUNCTION "{keys}_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE "{keys}";
  RETURN NULL;
END $$""",
        f'CREATE TRIGGER "{keys}_insert" AFTER INSERT ON "{table}" '
        'REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT '
        f'EXECUTE FUNCTION "{keys}_insert"()',
        f'CREATE TRIGGER "{keys}_delete" AFTER DELETE ON "{table}" FOR EACH ROW '
        f'EXECUTE FUNCTION "{keys}_change"()',
        f'CREATE TRIGGER "{keys}_update" AFTER UPDATE OF "search_text", "structure_id" '
        f'ON "{table}" FOR EACH ROW WHEN (OLD."search_text" IS DISTINCT FROM NEW."search_text" '
        'OR OLD."structure_id" IS DISTINCT FROM NEW."structure_id") '
        f'EXECUTE FUNCTION "{keys}_change"()',
        f'CREATE TRIGGER "{keys}_truncate" AFTER TRUNCATE ON "{table}" FOR EACH STATEMENT '
        f'EXECUTE FUNCTION "{keys}_truncate"()',
    ]
