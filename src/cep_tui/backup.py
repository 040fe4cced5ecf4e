"""`cep-tui backup FICHIER`: a consistent copy of the database, taken while counsellors
keep working.

SQLite: the copy goes through the connection layer (`copy_sqlite_database`, VACUUM INTO)
and is checked with PRAGMA integrity_check. PostgreSQL: the server's own tool, pg_dump
(custom format, one snapshot of the whole database), checked by reading its table of
contents back with pg_restore --list; restored with pg_restore. Either way the copy is
written next to its destination under a temporary name, checked, flushed to disk, then
renamed: a backup interrupted half-way never leaves a half-written file under the name
asked for.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from peewee import DatabaseError, SqliteDatabase

from cep_tui.config import masked
from cep_tui.db.connection import (
    DatabaseUrlError,
    copy_sqlite_database,
    open_database,
    sqlite_file,
)
from cep_tui.db.faults import FaultKind, classify
from cep_tui.private_files import create_private

PG_DUMP_MISSING = (
    "pg_dump est introuvable : installez le client PostgreSQL (paquet postgresql-client, "
    "de la version du serveur ou plus récent), ou lancez pg_dump --format=custom depuis un "
    "poste qui l'a."
)
# The query parameters of a URL that libpq understands (playhouse's own, such as a pool's
# max_connections, are left out of what pg_dump receives).
LIBPQ_PARAMETERS = frozenset(
    (
        "sslmode",
        "sslcert",
        "sslkey",
        "sslrootcert",
        "sslcrl",
        "connect_timeout",
        "application_name",
        "options",
        "target_session_attrs",
        "passfile",
        "service",
        "gssencmode",
        "channel_binding",
    )
)


class BackupRefused(Exception):
    """The backup cannot be made; the message says why, in French."""


@dataclass(frozen=True)
class BackupDone:
    path: Path
    size: int
    engine: str = "sqlite"


def backup(database_url: str, target: str | Path, *, force: bool = False) -> BackupDone:
    """Copy the database of `database_url` into the file `target`."""
    if is_postgres_url(database_url):
        target = _checked_target(target, force)
        return _postgres_backup(database_url, target)
    source = source_file(database_url)
    target = _checked_target(target, force, source)

    partial = _partial(target)
    db = open_database(database_url)
    try:
        copy_sqlite_database(db, partial)
        _check(partial)
        flush(partial)
        os.replace(partial, target)
        flush(target.parent)
    finally:
        partial.unlink(missing_ok=True)
        db.close()
    return BackupDone(target, target.stat().st_size)


def is_postgres_url(database_url: str) -> bool:
    return database_url.split("://", 1)[0].startswith("postgres")


def _checked_target(target: str | Path, force: bool, source: Path | None = None) -> Path:
    target = Path(target).expanduser().absolute()
    if source is not None and target.exists() and target.resolve() == source.resolve():
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
    return target


def _partial(target: Path) -> Path:
    """The temporary file, created empty and private before any data goes in (VACUUM INTO
    and pg_dump write into an empty file; they would otherwise create it by the umask)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partiel")
    partial.unlink(missing_ok=True)
    create_private(partial)
    return partial


def _postgres_backup(database_url: str, target: Path) -> BackupDone:
    """pg_dump reads the whole database in one snapshot (a REPEATABLE READ transaction):
    what counsellors commit meanwhile is either wholly in the copy or not at all."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupRefused(PG_DUMP_MISSING)
    connection, password = libpq_url(database_url)
    env = {**os.environ, "PGCONNECT_TIMEOUT": os.environ.get("PGCONNECT_TIMEOUT", "15")}
    if password is not None:  # kept out of the command line, which others may see
        env["PGPASSWORD"] = password
    partial = _partial(target)
    try:
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--file={partial}", f"--dbname={connection}"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupRefused(f"pg_dump a échoué : {_first_line(done.stderr)}")
        pg_restore = shutil.which("pg_restore")
        if pg_restore is not None:
            listed = subprocess.run(
                [pg_restore, "--list", str(partial)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
            )
            if listed.returncode != 0:
                raise BackupRefused(
                    f"La copie est incorrecte ({_first_line(listed.stderr)}) : recommencez."
                )
        flush(partial)
        os.replace(partial, target)
        flush(target.parent)
    finally:
        partial.unlink(missing_ok=True)
    return BackupDone(target, target.stat().st_size, "postgresql")


def libpq_url(database_url: str) -> tuple[str, str | None]:
    """The URL as pg_dump understands it (postgresql://, libpq's parameters only), without
    its password; and the password."""
    parts = urlsplit(database_url)
    password = unquote(parts.password) if parts.password is not None else None
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k in LIBPQ_PARAMETERS])
    return urlunsplit(("postgresql", netloc, parts.path, query, "")), password


# A backup that failed on the disk it writes to: the copy, not the base, is what failed.
WRITE_FAILED = {
    FaultKind.DISK_FULL: "Disque plein : la sauvegarde n'a pas été écrite.",
    FaultKind.DISK_ERROR: "Erreur d'écriture sur le disque : la sauvegarde n'a pas été écrite.",
}
NOTHING_CHANGED = "La base n'a pas changé ; libérez de la place, ou choisissez un autre dossier."


def fault_sentence(error: BaseException) -> str | None:
    """What a backup that failed on a fault says (None: no fault, a bug)."""
    if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{WRITE_FAILED[FaultKind.DISK_FULL]} {NOTHING_CHANGED}"
    fault = classify(error)
    if fault is None:
        return None
    if fault.kind in WRITE_FAILED:
        return f"{WRITE_FAILED[fault.kind]} {NOTHING_CHANGED}"
    return fault.message(saving=False)


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "erreur inconnue"


def run_backup(database_url: str, target: str, *, force: bool = False) -> int:
    """The command: one French sentence, exit status 0 on success, 2 when refused."""
    try:
        done = backup(database_url, target, force=force)
    except BackupRefused as refusal:
        print(f"cep-tui : {refusal}", file=sys.stderr)
        return 2
    except (DatabaseError, OSError) as error:
        message = fault_sentence(error)
        if message is None:
            raise
        print(f"cep-tui : {message}", file=sys.stderr)
        return 2
    if done.engine == "postgresql":
        how = f"Pour la restaurer dans une base vide : pg_restore --dbname=<base> {done.path}"
    else:
        how = f"Pour l'ouvrir : cep-tui --database sqlite:///{done.path}"
    print(f"Sauvegarde enregistrée et vérifiée : {done.path} ({_size(done.size)}). {how}")
    return 0


def source_file(database_url: str, *, must_exist: bool = True) -> Path:
    """The file of a SQLite URL (that must exist, unless `must_exist` is False)."""
    try:
        source = sqlite_file(database_url)
    except DatabaseUrlError as error:
        raise BackupRefused(
            f"Adresse de base de données non prise en charge : {masked(repr(database_url))}"
        ) from error
    if source is None:
        raise BackupRefused("Une base en mémoire ne peut pas être sauvegardée.")
    if must_exist and not source.is_file():
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


def flush(path: Path) -> None:
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
