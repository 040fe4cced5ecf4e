"""Open the database named by a URL and bind the models to it.

This module is the one seam where SQLite and PostgreSQL differ: pragmas, how a write
transaction is opened, and which engine we are on.
"""

from __future__ import annotations

import time
from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import urlparse

from peewee import Database, DatabaseProxy, OperationalError, Select, SqliteDatabase

# Every model is bound to this proxy; `open_database` points it at the real database.
database_proxy = DatabaseProxy()

# The write-ahead log is folded back into the database by a checkpoint. SQLite's own
# (automatic) one runs inside the commit that takes the log past `wal_autocheckpoint` pages,
# and that write pays for it (~4 MB copied then synced at the default 1,000 pages: +4 ms
# and more on a virtual disk). The app runs a PASSIVE checkpoint when idle instead
# (`checkpoint_due`, `checkpoint`); the automatic one stays, ten times further, for a long
# burst of writes with no idle moment (a CEP write adds ~17 pages: ~600 writes), so that the
# log never grows without bound; `journal_size_limit` gives the disk back after such a burst
# (the log is otherwise reused in place, never shrunk).
WAL_AUTOCHECKPOINT_PAGES = 10_000  # ~40 MB with 4 KB pages
WAL_SIZE_LIMIT = 64 * 1024 * 1024
# How long the app waits after its last write before checkpointing (seconds).
CHECKPOINT_IDLE_SECONDS = 5.0

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": 1,  # NORMAL: durable with WAL, much faster than FULL
    "busy_timeout": 10_000,
    "cache_size": -32_000,  # 32 MB
    "wal_autocheckpoint": WAL_AUTOCHECKPOINT_PAGES,
    "journal_size_limit": WAL_SIZE_LIMIT,
}


class DatabaseUrlError(ValueError):
    """The database URL cannot be used."""


def _sqlite_path(url: str) -> Path | None:
    parsed = urlparse(url)
    raw = url.split("://", 1)[1] if "://" in url else ""
    path = raw[1:] if raw.startswith("/") else raw
    if parsed.query:
        path = path.split("?", 1)[0]
    if path in ("", ":memory:"):
        return None
    return Path(path)


def open_database(url: str) -> Database:
    """Connect to `url`, bind every model to it, and return it."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme.startswith("sqlite"):
        path = _sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        db = SqliteDatabase(str(path) if path else ":memory:", pragmas=SQLITE_PRAGMAS)
    elif scheme.startswith(("postgres", "postgresql")):
        # Imported here: playhouse.db_url loads every backend, a cost SQLite's start
        # need not pay.
        from playhouse.db_url import connect

        try:
            db = connect(url)
        except ImportError as exc:  # the driver is an optional extra
            raise DatabaseUrlError(
                "Le pilote PostgreSQL n'est pas installé : pip install 'cep-tui[postgres]'."
            ) from exc
    else:
        raise DatabaseUrlError(f"Adresse de base de données non prise en charge : {url!r}")
    database_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except OperationalError as exc:
        if is_sqlite(db):
            raise
        # The server's own words (its first line), never the URL, which may hold a password.
        reason = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
        raise DatabaseUrlError(f"Connexion à la base PostgreSQL impossible : {reason}") from exc
    return db


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database); DatabaseUrlError for
    any other engine."""
    if "://" not in url or not url.split("://", 1)[0].startswith("sqlite"):
        raise DatabaseUrlError(f"Pas une base SQLite : {url!r}")
    return _sqlite_path(url)


def copy_sqlite_database(db: Database, target: Path) -> None:
    """Write a consistent copy of the live SQLite database `db` into the new file `target`.

    VACUUM INTO reads one snapshot (a read transaction: writers go on meanwhile, and the
    copy holds every transaction committed before it started, none after) and writes a
    compact database; it refuses a target that exists.
    """
    if not is_sqlite(db):
        raise DatabaseUrlError("La copie intégrée ne concerne que les bases SQLite.")
    db.execute_sql("VACUUM INTO ?", (str(target),))


def is_sqlite(db: Database | DatabaseProxy | None = None) -> bool:
    target = db if db is not None else database_proxy
    if isinstance(target, DatabaseProxy):
        target = target.obj
    return isinstance(target, SqliteDatabase)


def write_transaction() -> AbstractContextManager:
    """A transaction for read-then-write rules; inside one, `for_update` queries lock the
    rows a rule depends on.

    SQLite: the transaction takes the database's one write lock at BEGIN (IMMEDIATE): a
    deferred transaction that reads then writes fails at once with "database is locked"
    under WAL, whereas an immediate one waits for the busy timeout. Writers queue on the
    whole file, so every rule reads what the previous writer committed.

    PostgreSQL: READ COMMITTED, and each service locks the dossier it writes to before
    reading anything its rules depend on (`ServiceBase.dossier_of(..., lock=True)`, a
    SELECT … FOR UPDATE). Every read-then-write rule concerns one young person's dossier
    (one CEP and one event in progress, a dispositif's version, the event a proposal goes
    in), so the writers of one dossier queue on its row as SQLite's queue on the file,
    while the writers of other dossiers (other structures' above all) go on in parallel;
    and READ COMMITTED takes a new snapshot for each statement, so every read after the
    lock sees what the previous holder committed. Chosen over SERIALIZABLE, which would
    refuse the second of two counsellors instead of making them wait, and would need each
    service call retried as a whole on a serialisation failure. The level is named, not
    left to the server's default_transaction_isolation: under REPEATABLE READ the same lock
    would end in a serialisation error. Optimistic locking (the version columns) and the
    partial unique indexes hold on both engines whatever the level.
    """
    db = database_proxy.obj
    if is_sqlite(db):
        return _Written(db.atomic("IMMEDIATE"))
    return db.atomic(isolation_level="READ COMMITTED")


def row_locks() -> bool:
    """Whether a write must lock the rows its rules read (PostgreSQL) and read them again
    once locked; on SQLite what a write transaction reads is already current (its
    IMMEDIATE transaction holds the one write lock from BEGIN: see `write_transaction`)."""
    return not is_sqlite()


def for_update(query: Select, of: type | None = None) -> Select:
    """`query` locking the rows it reads (those of the model `of` alone, when it joins
    others) until the write transaction ends (PostgreSQL); unchanged on SQLite, where the
    IMMEDIATE transaction already holds the only write lock of the database (and SELECT …
    FOR UPDATE does not exist)."""
    return query if is_sqlite() else query.for_update(of=of)


# -- the idle checkpoint (SQLite) ----------------------------------------------------------
class _Activity:
    """When this process last ended a write transaction, and whether a checkpoint has run
    since (plain attributes: each is one assignment, atomic under the GIL)."""

    last_write = 0.0  # time.monotonic()
    pending = False


class _Written:
    """A write transaction that notes its end, so that the idle checkpoint keeps away."""

    __slots__ = ("transaction",)

    def __init__(self, transaction: AbstractContextManager) -> None:
        self.transaction = transaction

    def __enter__(self):
        return self.transaction.__enter__()

    def __exit__(self, *exc_info):
        try:
            return self.transaction.__exit__(*exc_info)
        finally:
            _Activity.last_write = time.monotonic()
            _Activity.pending = True


def checkpoint_due(idle_seconds: float = CHECKPOINT_IDLE_SECONDS) -> bool:
    """SQLite, this process has written since its last checkpoint, and not for
    `idle_seconds`: a good moment for `checkpoint` (never true on PostgreSQL)."""
    return (
        _Activity.pending
        and time.monotonic() - _Activity.last_write >= idle_seconds
        and is_sqlite()
    )


def checkpoint() -> tuple[int, int, int] | None:
    """Fold the write-ahead log into the database: `PRAGMA wal_checkpoint(PASSIVE)`, which
    copies what no reader still needs and never waits for, nor blocks, readers or writers.
    Safe from any thread (a worker's own connection is closed afterwards). Returns SQLite's
    (busy, frames in the log, frames checkpointed); None on PostgreSQL, which has nothing
    of the kind to do."""
    db = database_proxy.obj
    if not is_sqlite(db):
        return None
    _Activity.pending = False  # before: a write meanwhile makes the next one due
    opened_here = db.is_closed()
    try:
        busy, log, done = db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        if opened_here:
            db.close()
    return busy, log, done
