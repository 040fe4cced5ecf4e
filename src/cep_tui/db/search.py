"""The search seam: how folded words are matched in the database.

Rows store `search_text` as folded words, each preceded by a space (cep_tui.text.indexed_text),
so "every typed word is the prefix of a stored word" is a LIKE per word. This works the same
on SQLite and PostgreSQL; an engine-specific index (FTS5, pg_trgm) can replace it here alone.
"""

from __future__ import annotations

from peewee import Expression, Field

from cep_tui.text import search_words


def words_condition(column: Field, text: str, max_words: int = 8) -> Expression | None:
    """A condition true where every typed word starts a word of `column`; None if no word."""
    words = search_words(text)[:max_words]
    condition = None
    for word in words:
        # fold() leaves only [0-9a-z]: no LIKE wildcard can reach the pattern. (`**` is
        # peewee's LIKE on SQLite, where `%` would be GLOB.)
        clause = column ** f"% {word}%"
        condition = clause if condition is None else condition & clause
    return condition
