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

The key tables, their triggers and their filling are cep_tui.db.search_keys.

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
from dataclasses import dataclass

from peewee import (
    OP,
    SQL,
    Case,
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


# A typed word longer than this is checked by a seek whenever its letters are not a word
# of the row's sort key (see _has_key): its prefixes would make too long a condition.
GATED_WORD_LENGTH = 16


def _has_key(searchable: Searchable, word: str, whole: bool) -> SQL:
    """The row of the key entry at hand ("k") has `word` among its keys (as a whole
    key). Read from the entry's sort key when it is the row's whole text (shorter than
    SORT_KEY_LENGTH, and folded: the rows of a typed word's key are), where a word's
    beginning (a whole word) follows a space; otherwise one or two seeks in the same
    primary key. A joined key ("oconnor" of "o connor") is not in the sort key as such:
    it is sought only where it can be, where a word of the row is a proper beginning of
    the typed word ("o"), so that "santoni ma" does not seek for every Santoni. Raw SQL:
    built for every search, it costs a tenth of the same in peewee nodes."""
    param = database_proxy.param
    short = f'length("k"."sort_key") < {SORT_KEY_LENGTH}'
    in_sort_key = f"(' ' || \"k\".\"sort_key\" || ' ') LIKE {param}"
    seek = (
        f'EXISTS (SELECT 1 FROM "{searchable.key_table}" AS "o" '
        f'WHERE "o"."structure_id" = "k"."structure_id" AND "o"."key" = {param} '
        f'AND "o"."partial" {"= 0" if whole else "IN (0, 1)"} '
        f'AND "o"."sort_key" = "k"."sort_key" AND "o"."row_id" = "k"."row_id")'
    )
    pattern = f"% {word} %" if whole else f"% {word}%"
    beginnings = [f"% {word[:length]} %" for length in range(1, len(word))]
    if len(word) > GATED_WORD_LENGTH:
        sql = f"CASE WHEN {short} AND {in_sort_key} THEN TRUE ELSE {seek} END"
        params = [pattern, word]
    elif beginnings:
        no_joined = " AND ".join([f"NOT {in_sort_key}"] * len(beginnings))
        sql = (
            f"CASE WHEN {short} AND {in_sort_key} THEN TRUE "
            f"WHEN {short} AND {no_joined} THEN FALSE ELSE {seek} END"
        )
        params = [pattern, *beginnings, word]
    else:  # one letter: no joined key can be it but its own word's
        sql, params = f"CASE WHEN {short} THEN {in_sort_key} ELSE {seek} END", [pattern, word]
    return SQL(sql, params)


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
