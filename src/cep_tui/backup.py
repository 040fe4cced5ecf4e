"""`cep-tui backup FICHIER`: a consistent copy of the database, taken while counsellors
keep working.

SQLite only (the copy goes through the connection layer, `copy_sqlite_database`); a
PostgreSQL database is saved with its own tool, pg_dump. The copy is written next to its
destination under a temporary name, checked, flushed to disk, then renamed: a backup
interrupted half-way never leaves a half-written file under the name asked for.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from peewee import SqliteDatabase

from cep_tui.db.connection import (
    DatabaseUrlError,
    copy_sqlite_database,
    open_database,
    sqlite_file,
)

POSTGRES_MESSAGE = (
    "La sauvegarde intégrée ne concerne que les bases SQLite. Pour une base PostgreSQL, "
    "utilisez pg_dump, par exemple : pg_dump --format=custom --file=cep-tui.dump <base>."
)


class BackupRefused(Exception):
    """The backup cannot be made; the message says why, in French."""


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int


def backup(database_url: str, target: str | Path, *, force: bool = False) -> BackupDone:
    """Copy the database of `database_url` into the file `target`."""
    source = _source_file(database_url)
    target = Path(target).expanduser().absolute()
    if target.exists() and target.resolve() == source.resolve():
        raise BackupRefused("La sauvegarde ne peut pas remplacer la base elle-même.")
    if target.is_dir():
        raise BackupRefused(f"{target} est un dossier : indiquez un nom de fichier.")
    if target.exists() and not force:
        raise BackupRefused(
            f"Le fichier {target} existe déjà : choisissez un autre nom, ou ajoutez --force "
            "pour le remplacer."
        )
    if not target.parent.is_dir():
        raise BackupRefused(f"Le dossier {target.parent} n'existe pas.")

    partial = target.with_name(f".{target.name}.{os.getpid()}.partiel")
    partial.unlink(missing_ok=True)
    db = open_database(database_url)
    try:
        copy_sqlite_database(db, partial)
        _check(partial)
        _flush(partial)
        os.replace(partial, target)
        _flush(target.parent)
    finally:
        partial.unlink(missing_ok=True)
        db.close()
    return BackupDone(target, target.stat().st_size)


def run_backup(database_url: str, target: str, *, force: bool = False) -> int:
    """The command: one French sentence, exit status 0 on success, 2 when refused."""
    try:
        done = backup(database_url, target, force=force)
    except BackupRefused as refusal:
        print(f"cep-tui : {refusal}", file=sys.stderr)
        return 2
    print(
        f"Sauvegarde enregistrée et vérifiée : {done.path} ({_size(done.size)}). "
        f"Pour l'ouvrir : cep-tui --database sqlite:///{done.path}"
    )
    return 0


def _source_file(database_url: str) -> Path:
    try:
        source = sqlite_file(database_url)
    except DatabaseUrlError as error:
        if database_url.split("://", 1)[0].startswith("postgres"):
            raise BackupRefused(POSTGRES_MESSAGE) from error
        raise BackupRefused(
            f"Adresse de base de données non prise en charge : {database_url!r}"
        ) from error
    if source is None:
        raise BackupRefused("Une base en mémoire ne peut pas être sauvegardée.")
    if not source.is_file():
        raise BackupRefused(f"Base de données introuvable : {source}.")
    return source


def _check(path: Path) -> None:
    copy = SqliteDatabase(str(path))
    try:
        result = [row[0] for row in copy.execute_sql("PRAGMA integrity_check")]
    finally:
        copy.close()
    if result != ["ok"]:
        raise BackupRefused(f"La copie est incorrecte ({'; '.join(result)}) : recommencez.")


def _flush(path: Path) -> None:
    """Make the file (or the directory entry) durable before announcing success."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} ko"
    return f"{size / 1024 / 1024:.1f} Mo".replace(".", ",")
