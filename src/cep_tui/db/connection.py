"""Open the database named by a URL and bind the models to it.

This module is the one seam where SQLite and PostgreSQL differ: pragmas, how a write
transaction is opened, and which engine we are on.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from peewee import (
    Database,
    DatabaseProxy,
    OperationalError,
    PeeweeException,
    Select,
    SqliteDatabase,
)
from playhouse.pool import PooledSqliteDatabase

from cep_tui.config import masked

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
    "busy_timeout": 10_000,  # WaitLimits.lock_seconds replaces it (open_database)
    "cache_size": -32_000,  # 32 MB
    "wal_autocheckpoint": WAL_AUTOCHECKPOINT_PAGES,
    "journal_size_limit": WAL_SIZE_LIMIT,
}
# The connections one app keeps (its UI thread's, and those its worker threads borrow for
# one service call at a time: a search, a save, a checkpoint): a few are ever in use at once.
POOL_SIZE = 8
# Between two attempts to reconnect (seconds).
RECONNECT_PAUSE = 0.25


@dataclass(frozen=True)
class WaitLimits:
    """How long the app waits for the database, at most (seconds). Every wait has a bound:
    past it the operation fails with a fault the counsellor reads (db/faults.py), the form
    stays open, and Ctrl+S tries again.

    `lock_seconds`: for a lock a colleague's transaction holds (SQLite's busy_timeout;
    PostgreSQL's lock_timeout), and for a free connection of the app's pool.
    `statement_seconds`: for any one statement (PostgreSQL's statement_timeout).
    `idle_in_transaction_seconds`: a session that holds a transaction open doing nothing
    this long is ended by the server (idle_in_transaction_session_timeout), freeing its
    locks: never this app, whose transactions never wait on the counsellor.
    `reconnect_seconds`: after a lost connection, how long to keep trying to reconnect
    before saying so (a server restart takes a few seconds).
    `connect_seconds`: for one attempt to reach the server (libpq's connect_timeout).
    """

    lock_seconds: float = 10
    statement_seconds: float = 30
    idle_in_transaction_seconds: float = 60
    reconnect_seconds: float = 10
    connect_seconds: float = 10


DEFAULT_LIMITS = WaitLimits()


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


def open_database(url: str, limits: WaitLimits = DEFAULT_LIMITS) -> Database:
    """Connect to `url`, bind every model to it, and return it."""
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme.startswith("sqlite"):
        db = _sqlite_database(_sqlite_path(url), limits)
    elif scheme.startswith(("postgres", "postgresql")):
        from cep_tui.db.postgresql import postgresql_database

        db = postgresql_database(url, limits)
    else:
        raise DatabaseUrlError(
            f"Adresse de base de données non prise en charge : {masked(repr(url))}"
        )
    db.wait_limits = limits
    previous = database_proxy.obj
    database_proxy.initialize(db)
    if previous is not None and hasattr(previous, "close_idle"):
        previous.close_idle()  # a database opened before (tests, tools): its spare connections
    try:
        db.connect(reuse_if_open=True)
    except OperationalError as exc:
        if is_sqlite(db):
            raise
        # The server's own words (its first line), never the URL, which may hold a password.
        reason = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
        raise DatabaseUrlError(
            f"Connexion à la base PostgreSQL impossible : {masked(reason)}"
        ) from exc
    return db


def pool_wait(limits: WaitLimits) -> int:
    """How long a thread waits for a free connection of the pool: whole seconds, at least
    one (playhouse.pool reads 0 as "for ever")."""
    return max(1, math.ceil(limits.lock_seconds))


def _sqlite_database(path: Path | None, limits: WaitLimits) -> SqliteDatabase:
    pragmas = {**SQLITE_PRAGMAS, "busy_timeout": round(limits.lock_seconds * 1000)}
    if path is None:  # in memory: each connection would be a database of its own
        return _with_functions(SqliteDatabase(":memory:", pragmas=pragmas))
    from cep_tui.db.sqlite_guard import SqliteFileRefused, prepare_sqlite_file

    try:
        prepare_sqlite_file(path)  # no folder made, no foreign file touched, a new one private
    except SqliteFileRefused as error:
        raise DatabaseUrlError(str(error)) from None
    # A pool, so that a worker thread's connection (a search, a save) is given back after
    # each service call and reused by the next, rather than left open in the thread;
    # connections then pass from thread to thread, one at a time (check_same_thread off).
    return _with_functions(
        PooledSqliteDatabase(
            str(path),
            pragmas=pragmas,
            max_connections=POOL_SIZE,
            timeout=pool_wait(limits),
            check_same_thread=False,
        )
    )


def _with_functions(db: SqliteDatabase) -> SqliteDatabase:
    """The aggregates SQLite lacks, on each of its connections (cep_tui.db.median)."""
    from cep_tui.db.median import Median

    db.register_aggregate(Median, "median", 1)
    return db


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for an in-memory database); DatabaseUrlError for
    any other engine."""
    if "://" not in url or not url.split("://", 1)[0].startswith("sqlite"):
        raise DatabaseUrlError(f"Pas une base SQLite : {masked(repr(url))}")
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
        return _Written(db, db.atomic("IMMEDIATE"))
    return _Written(db, db.atomic(isolation_level="READ COMMITTED"))


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


class _ThreadWrites(threading.local):
    """This thread's write transactions: how many it began, and how many COMMITs it sent
    (whatever came back). A service call that lost its connection compares them before
    and after (services/guard.py): no COMMIT sent, nothing was saved and the call may run
    again; a COMMIT sent, only the server knows."""

    begun = 0
    committed = 0


_writes = _ThreadWrites()


def writes_of_this_thread() -> tuple[int, int]:
    """(write transactions begun, COMMITs sent) by this thread so far."""
    return _writes.begun, _writes.committed


class _Written:
    """A write transaction that counts its start and its COMMIT (`writes_of_this_thread`),
    and notes its end, so that the idle checkpoint keeps away."""

    __slots__ = ("db", "transaction")

    def __init__(self, db: Database, transaction: AbstractContextManager) -> None:
        self.db = db
        self.transaction = transaction

    def __enter__(self):
        if self.db.transaction_depth() == 0:
            _writes.begun += 1
        return self.transaction.__enter__()

    def __exit__(self, exc_type, *exc_info):
        if exc_type is None and self.db.transaction_depth() == 1:
            _writes.committed += 1  # before: a COMMIT that fails was sent all the same
        try:
            return self.transaction.__exit__(exc_type, *exc_info)
        finally:
            _Activity.last_write = time.monotonic()
            _Activity.pending = True


# -- a service call's connection -----------------------------------------------------------
@contextmanager
def connection_for_call() -> Iterator[None]:
    """The connection of one service call: the thread's own when it has one open (the UI
    thread's, opened at start-up), else one taken from the pool for the call and given
    back after it (a worker thread's: a search, a save), so that none is left open in a
    thread that may never query again."""
    db = database_proxy.obj
    borrowed = db.is_closed()
    try:
        yield
    finally:
        if borrowed and not db.is_closed() and not db.in_transaction():
            with suppress(PeeweeException):  # a broken connection is dropped, not given back
                db.close()


def reconnect(within: float) -> bool:
    """After a lost connection, outside any transaction: drop this thread's connection,
    then try to open a new one until it opens (True) or `within` seconds have passed
    (False) — a server restarting refuses connections for a moment."""
    db = database_proxy.obj
    with suppress(PeeweeException):
        db.close()
    deadline = time.monotonic() + within
    while True:
        try:
            db.connect(reuse_if_open=True)
            return True
        except PeeweeException:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(RECONNECT_PAUSE, left))


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
