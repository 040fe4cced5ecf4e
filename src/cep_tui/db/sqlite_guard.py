"""Before the app touches a SQLite file: the folder must exist (a mistyped path creates
nothing), a file already there must be a cep-tui database (a foreign one is refused
untouched: opening it would switch it to WAL and add our tables), and a new file is created
private (cep_tui.private_files)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cep_tui.private_files import create_private

SQLITE_HEADER = b"SQLite format 3\x00"
SCHEMA_TABLE = "schema_version"


class SqliteFileRefused(ValueError):
    """The file cannot be the app's database (the message is French)."""


def not_ours(path: Path) -> str:
    return f"{path} : ce fichier n'est pas une base cep-tui (refusé, rien n'y a été écrit)."


def prepare_sqlite_file(path: Path) -> None:
    """Check `path` as above, and create it (empty, private) when it does not exist."""
    folder = path.parent
    if not folder.is_dir():
        raise SqliteFileRefused(
            f"Le dossier {folder} n'existe pas : vérifiez le chemin de la base "
            "(rien n'a été créé)."
        )
    if path.is_dir():
        raise SqliteFileRefused(f"{path} est un dossier, pas une base cep-tui.")
    if create_private(path):
        return
    if path.stat().st_size == 0:
        return  # an empty file: a new database, as SQLite itself reads it
    if not _is_ours(path):
        raise SqliteFileRefused(not_ours(path))


def _is_ours(path: Path) -> bool:
    """A SQLite file with our schema table, or with no table at all, read only. A file
    that is not SQLite at all passes: it may be a damaged database of ours, which the
    connection refuses in its own words (db/faults.py: restore a backup) before any
    write."""
    try:
        with path.open("rb") as file:
            if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return True
    except OSError:
        return True  # unreadable: the connection says why, in its own words
    try:
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True
    try:
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    except sqlite3.DatabaseError:
        return True  # damaged, or a colleague's write: the connection says or waits
    finally:
        connection.close()
    return not tables or SCHEMA_TABLE in tables
