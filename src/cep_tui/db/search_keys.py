"""The search's key tables (see cep_tui.db.search for what they hold and how a search
reads them): creating them, filling them, and the triggers that keep them in step.

Triggers keep the key tables in step with every write, in the writer's transaction
(services, bulk demonstration inserts, tests' factories, direct updates alike): SQL
triggers on SQLite; on PostgreSQL PL/pgSQL ones around one SQL function,
`search_key_entries`, a statement-level trigger for inserts (a bulk insert gets its keys in
one statement) and row-level ones for updates and deletes. Neither engine folds text:
Python does (cep_tui.text.fold) before `search_text` is written, and the triggers only cut
it into words and prefixes, as key_entries() does (tests hold them to agreement); a text
that is not folded (a direct write) gets the empty key alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database

from cep_tui.db.connection import is_sqlite
from cep_tui.db.search import (
    KEY_COLUMNS,
    MAX_WORD_LENGTH,
    SEARCHABLES,
    SORT_KEY_LENGTH,
    Searchable,
    key_entries,
)


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
