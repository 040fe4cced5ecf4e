"""`cep-tui restore FICHIER`: put a backup back in place of the database, without ever
making things worse.

SQLite, in this order:
  1. the backup is checked (PRAGMA integrity_check, a cep-tui schema this program knows),
     then copied beside the database under a temporary name, and the copy checked again;
  2. no session may have the database open: each SQLite connection in WAL mode holds a
     shared lock on the "DMS" byte of the `-shm` file for as long as it is open
     (https://sqlite.org/walformat.html), so this command takes that byte exclusively, and
     keeps it until the end (a session starting meanwhile is told the base is busy); a
     database in rollback-journal mode is locked with BEGIN EXCLUSIVE instead;
  3. the database being replaced is kept aside, renamed `<nom>.avant-restauration-<date>`,
     with its `-wal` (which may hold its last transactions) renamed alongside; the `-shm`
     (an index, rebuilt from the files) is removed, as is any `-wal` or `-shm` left beside
     a database that no longer exists: a stale log applied to another file is what makes
     « malformed database schema » of a restored copy;
  4. the checked copy takes the database's name (a rename: all or nothing), and the folder
     is flushed to disk.
PostgreSQL: a base in service is never overwritten; the command says how to restore the
archive into a new base with pg_restore, and to point cep-tui at it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from cep_tui.backup import BackupRefused, flush, is_postgres_url, source_file
from cep_tui.db.faults import FaultKind, classify

# The byte of the -shm file on which every open WAL connection holds a shared lock.
SHM_DMS_BYTE = 128
# SQLite's file header: "SQLite format 3\0", then the write/read versions at 18, 19 (2: WAL).
SQLITE_MAGIC = b"SQLite format 3\x00"

POSTGRES_HOWTO = """Sur PostgreSQL, une base en service n'est jamais écrasée : restaurez la
sauvegarde dans une base neuve, vérifiez-la, puis faites-y pointer cep-tui. Sur le serveur :
  createdb --owner=cep_tui --encoding=UTF8 --locale=C.UTF-8 --template=template0 cep_tui_restauree
  pg_restore --no-owner --role=cep_tui --dbname=cep_tui_restauree {backup}
  cep-tui --database postgresql://cep_tui@serveur/cep_tui_restauree
puis donnez cette adresse à CEP_TUI_DATABASE (README, « Fiabilité »)."""


class RestoreRefused(BackupRefused):
    """The restore cannot be made; nothing was changed. The message says why, in French."""


@dataclass(frozen=True)
class RestoreDone:
    database: Path
    backup: Path
    schema: int
    kept: list[Path] = field(default_factory=list)  # the replaced database (and its -wal)
    removed: list[Path] = field(default_factory=list)  # stale -shm / -wal


def restore(database_url: str, backup_file: str | Path) -> RestoreDone:
    if is_postgres_url(database_url):
        raise RestoreRefused(POSTGRES_HOWTO.format(backup=backup_file))
    target = source_file(database_url, must_exist=False)
    backup = Path(backup_file).expanduser().absolute()
    if not backup.is_file():
        raise RestoreRefused(f"Sauvegarde introuvable : {backup}.")
    if target.exists() and backup.resolve() == target.resolve():
        raise RestoreRefused("La sauvegarde est la base elle-même : rien à restaurer.")
    schema = check_backup(backup)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    partial = target.with_name(f".{target.name}.restauration-{os.getpid()}")
    try:
        shutil.copyfile(backup, partial)
        flush(partial)
        check_backup(partial)
        with no_session_open(target):
            kept, removed = _set_aside(target, stamp)
            os.replace(partial, target)
            flush(target.parent)
    finally:
        partial.unlink(missing_ok=True)
    return RestoreDone(target, backup, schema, kept, removed)


def check_backup(path: Path) -> int:
    """The schema version of the backup at `path`, once it passed PRAGMA integrity_check
    and proved a cep-tui database this program can open; RestoreRefused otherwise."""
    from cep_tui.db.migrations import CURRENT_VERSION
    from cep_tui.db.models import SchemaVersion

    try:
        copy = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise RestoreRefused(f"La sauvegarde {path} ne peut pas être lue ({error}).") from error
    try:
        result = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise RestoreRefused(
                f"La sauvegarde {path} est endommagée ({'; '.join(result[:3])}) : "
                "choisissez-en une autre."
            )
        table = SchemaVersion._meta.table_name
        (tables,) = copy.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
        version = (
            copy.execute(f'SELECT max(version) FROM "{table}"').fetchone()[0] if tables else None
        )
    except sqlite3.DatabaseError as error:
        raise RestoreRefused(
            f"{path} n'est pas une sauvegarde de cep-tui lisible ({error})."
        ) from error
    finally:
        copy.close()
    if version is None:
        raise RestoreRefused(f"{path} n'est pas une sauvegarde de cep-tui (aucun schéma).")
    if version > CURRENT_VERSION:
        raise RestoreRefused(
            f"La sauvegarde {path} vient d'une version plus récente de cep-tui (schéma "
            f"{version}, ce programme connaît le {CURRENT_VERSION}) : installez-la d'abord."
        )
    return version


@contextmanager
def no_session_open(database: Path) -> Iterator[None]:
    """Hold the database for this command alone, or refuse: RestoreRefused while any
    session (this app, or another SQLite program) has it open."""
    busy = RestoreRefused(
        f"La base {database} est ouverte par une session de cep-tui (ou un autre "
        "programme) : fermez-les toutes, puis relancez la restauration. Rien n'a été changé."
    )
    shm = database.with_name(database.name + "-shm")
    with _locked_dms(shm, busy), _rollback_journal_locked(database, busy):
        yield


@contextmanager
def _locked_dms(shm: Path, busy: RestoreRefused) -> Iterator[None]:
    if not shm.exists():  # no WAL session has the base open
        yield
        return
    try:
        descriptor = os.open(shm, os.O_RDWR)
    except OSError as error:
        raise RestoreRefused(
            f"{shm} ne peut pas être ouvert ({error.strerror}) : impossible de vérifier "
            "qu'aucune session n'a la base ouverte. Rien n'a été changé."
        ) from error
    try:
        try:
            fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS_BYTE)
        except OSError as error:
            raise busy from error
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextmanager
def _rollback_journal_locked(database: Path, busy: RestoreRefused) -> Iterator[None]:
    """A database in rollback-journal mode (not WAL: another program's doing): its readers
    hold SHARED locks, which BEGIN EXCLUSIVE waits for; held until the end."""
    if not _is_sqlite(database) or _header(database)[18:20] == b"\x02\x02":
        yield
        return
    live = sqlite3.connect(str(database), timeout=0, isolation_level=None)
    try:
        try:
            live.execute("BEGIN EXCLUSIVE")
        except sqlite3.Error as error:
            fault = classify(error)
            if fault is None or fault.kind is not FaultKind.BUSY:
                yield  # a file SQLite cannot read: no SQLite session reads it either
                return
            raise busy from error
        try:
            yield
        finally:
            with suppress(sqlite3.Error):
                live.execute("ROLLBACK")
    finally:
        live.close()


def _set_aside(target: Path, stamp: str) -> tuple[list[Path], list[Path]]:
    kept: list[Path] = []
    removed: list[Path] = []
    wal = target.with_name(target.name + "-wal")
    shm = target.with_name(target.name + "-shm")
    journal = target.with_name(target.name + "-journal")
    if target.exists():
        aside = target.with_name(f"{target.name}.avant-restauration-{stamp}")
        os.replace(target, aside)
        kept.append(aside)
        for side, suffix in ((wal, "-wal"), (journal, "-journal")):
            if side.exists():  # its last transactions: they stay with it
                os.replace(side, aside.with_name(aside.name + suffix))
                kept.append(aside.with_name(aside.name + suffix))
    for stale in (wal, shm, journal):
        if stale.exists():
            stale.unlink()
            removed.append(stale)
    return kept, removed


def _is_sqlite(path: Path) -> bool:
    return path.is_file() and _header(path).startswith(SQLITE_MAGIC)


def _header(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(100)
    except OSError:
        return b""


def run_restore(database_url: str, backup_file: str) -> int:
    """The command: what it did, exit status 0; one French sentence and 2 when refused."""
    try:
        done = restore(database_url, backup_file)
    except BackupRefused as refusal:
        print(f"cep-tui : {refusal}", file=sys.stderr)
        return 2
    lines = [
        f"Base restaurée : {done.database}, depuis {done.backup} (vérifiée, schéma {done.schema})."
    ]
    if done.kept:
        lines.append("L'ancienne base est gardée : " + ", ".join(map(str, done.kept)) + ".")
    if done.removed:
        lines.append("Fichiers périmés retirés : " + ", ".join(map(str, done.removed)) + ".")
    lines.append("cep-tui peut être relancé.")
    print("\n".join(lines))
    return 0
