"""Faults injected into a running app (not fixtures): a colleague holding the write lock, a
read-only database, a full disk, on either engine. Each is a context manager: the fault
holds inside the `with`, and is gone (cleared) after it.

SQLite: a second connection holds `BEGIN IMMEDIATE`; read-only and full are SQLite's own
errors (SQLITE_READONLY, SQLITE_FULL), injected by the per-connection pragmas `query_only`
and `max_page_count` on every connection the app uses (a file made read-only by its mode
would not stop root, which the tests may run as). A full disk needs a database whose save
must take new pages: one of 512-byte pages (`small_pages`), where the audit record of a
save cannot fit in a page and spills into new ones, compacted (no free page) before the
limit is set at its size. PostgreSQL: a second session holds the
dossier's row lock; read-only is the server's `default_transaction_read_only` (the sessions
then open are read-only, as on a standby); a full disk is the server's own `disk_full`
error (SQLSTATE 53100), raised by a trigger on the table the save writes to."""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from cep_tui.db.connection import database_proxy, is_sqlite, sqlite_file

# A lock holder that dies with a test (a hang, a failure) frees its lock on its own.
HOLDER_SAFETY = "120s"


@contextlib.contextmanager
def _sqlite_pragma(name: str, value, cleared) -> Iterator[None]:
    """`PRAGMA name = value` on every connection of the app: this thread's (the app's own
    under Pilot) at once, and every one opened next (the idle ones the worker threads
    would take next are dropped: they open again with it)."""
    db = database_proxy.obj
    db.pragma(name, value, permanent=True)
    _drop_idle(db)
    try:
        yield
    finally:
        db.pragma(name, cleared, permanent=True)
        _drop_idle(db)


def _drop_idle(db) -> None:
    close_idle = getattr(db, "close_idle", None)  # a pool's idle connections
    if close_idle is not None:
        close_idle()


@contextlib.contextmanager
def write_lock_held(db_url: str, dossier_id: int) -> Iterator[Callable[[], bool]]:
    """A colleague's transaction holds what the save needs: SQLite's write lock; the
    dossier's row on PostgreSQL. Yields `held()`: whether it still does (a holder is only
    ended by the server's safety bound, or at the end of the `with`)."""
    if db_url.startswith("sqlite"):
        holder = sqlite3.connect(str(sqlite_file(db_url)), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            yield lambda: holder.in_transaction
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    import psycopg2

    holder = psycopg2.connect(db_url)
    try:
        cursor = holder.cursor()
        cursor.execute(f"SET idle_in_transaction_session_timeout = '{HOLDER_SAFETY}'")
        cursor.execute("SELECT id FROM dossier WHERE id = %s FOR UPDATE", (dossier_id,))
        yield lambda: _alive(holder)
    finally:
        with contextlib.suppress(psycopg2.Error):  # the server may have ended it
            holder.rollback()
        holder.close()


def sessions_waiting_for_a_lock(db_url: str) -> int:
    """PostgreSQL: how many sessions of the database wait for a lock now."""
    import psycopg2

    watcher = psycopg2.connect(db_url)
    try:
        cursor = watcher.cursor()
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]
    finally:
        watcher.close()


def _admin(db_url: str, *statements: str) -> None:
    import psycopg2

    admin = psycopg2.connect(db_url)
    admin.autocommit = True
    try:
        cursor = admin.cursor()
        # Not read-only itself, whatever the database's default says (see `read_only`).
        cursor.execute("SET default_transaction_read_only = off")
        for statement in statements:
            cursor.execute(statement)
    finally:
        admin.close()


# The app's sessions (cep_tui.db.connection names them), not the test's own.
TERMINATE_APP = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND application_name = 'cep-tui'"
)


@contextlib.contextmanager
def read_only(db_url: str) -> Iterator[None]:
    if is_sqlite():
        with _sqlite_pragma("query_only", 1, 0):
            yield
        return
    _admin(
        db_url,
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET default_transaction_read_only = on', "
        "current_database()); END $$",
        TERMINATE_APP,
    )
    try:
        yield
    finally:
        _admin(
            db_url,
            "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET default_transaction_read_only', "
            "current_database()); END $$",
            TERMINATE_APP,
        )


def small_pages(path: Path) -> None:
    """Make `path` an empty SQLite database of 512-byte pages (see `disk_full`)."""
    created = sqlite3.connect(str(path))
    try:
        created.execute("PRAGMA page_size = 512")
        created.execute("VACUUM")  # writes the header: the size holds from now on
    finally:
        created.close()


@contextlib.contextmanager
def disk_full(db_url: str) -> Iterator[None]:
    if is_sqlite():
        db = database_proxy.obj
        (page_size,) = db.execute_sql("PRAGMA page_size").fetchone()
        assert page_size == 512, "disk_full needs a database of small_pages"
        db.execute_sql("VACUUM")  # no free page left to take
        (pages,) = db.execute_sql("PRAGMA page_count").fetchone()
        with _sqlite_pragma("max_page_count", pages, 1_073_741_823):
            yield
        return
    _admin(
        db_url,
        "CREATE FUNCTION cep_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION 'could not extend file: No space left on device' "
        "USING ERRCODE = 'disk_full'; END $$",
        "CREATE TRIGGER cep_test_disk_full BEFORE INSERT ON enrolment "
        "FOR EACH ROW EXECUTE FUNCTION cep_test_disk_full()",
    )
    try:
        yield
    finally:
        _admin(
            db_url,
            "DROP TRIGGER cep_test_disk_full ON enrolment",
            "DROP FUNCTION cep_test_disk_full()",
        )


def enrolment_count(dossier_id: int) -> int:
    from cep_tui.db.models import Enrolment

    return Enrolment.select().where(Enrolment.dossier == dossier_id).count()


def _alive(holder) -> bool:
    import psycopg2

    try:
        holder.cursor().execute("SELECT 1")
    except psycopg2.Error:
        return False
    return True


@contextlib.contextmanager
def migration_running(db_url: str) -> Iterator[Callable[[], bool]]:
    """PostgreSQL: another start bringing the schema up to date holds its lock."""
    import psycopg2

    from cep_tui.db.migrations import MIGRATION_LOCK

    holder = psycopg2.connect(db_url)
    try:
        cursor = holder.cursor()
        cursor.execute(f"SET idle_in_transaction_session_timeout = '{HOLDER_SAFETY}'")
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        yield lambda: _alive(holder)
    finally:
        with contextlib.suppress(psycopg2.Error):
            holder.rollback()
        holder.close()


class TableHold:
    """What `table_held` holds: `waiting()`, how many reads of the app wait for it now."""

    def __init__(self, waiting: Callable[[], int]) -> None:
        self.waiting = waiting


@contextlib.contextmanager
def table_held(db_url: str, table: str, *, failing: bool = False) -> Iterator[TableHold]:
    """A colleague holds `table` so that nobody may even read it, for the `with`.

    PostgreSQL: a session's ACCESS EXCLUSIVE lock on it (as a long ALTER TABLE or VACUUM
    FULL takes): the app's reads of it wait, up to its lock_timeout, then fail as the
    server says (55P03, lock_not_available). SQLite's readers never wait for a writer
    (WAL), so there the test holds the app's reads of the table itself, in the database's
    `execute_sql` (reads from a worker thread; the test's own, on the main thread, pass):
    each waits until the `with` ends — or, `failing`, fails at once with SQLite's own
    « database is locked » (SQLITE_BUSY), taken from a real contention.
    """
    if not is_sqlite():
        import psycopg2

        holder = psycopg2.connect(db_url)
        try:
            cursor = holder.cursor()
            cursor.execute(f"SET idle_in_transaction_session_timeout = '{HOLDER_SAFETY}'")
            cursor.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')
            yield TableHold(lambda: sessions_waiting_for_a_lock(db_url))
        finally:
            with contextlib.suppress(psycopg2.Error):
                holder.rollback()
            holder.close()
        return
    db = database_proxy.obj
    execute_sql = db.execute_sql
    released = threading.Event()
    waiting = [0]
    busy = _sqlite_busy_error() if failing else None

    def held_execute_sql(sql, *args, **kwargs):
        reads_table = sql.lstrip().upper().startswith("SELECT") and f'"{table}"' in sql
        if reads_table and threading.current_thread() is not threading.main_thread():
            if busy is not None:
                raise busy
            waiting[0] += 1
            try:
                released.wait(float(HOLDER_SAFETY.rstrip("s")))
            finally:
                waiting[0] -= 1
        return execute_sql(sql, *args, **kwargs)

    db.execute_sql = held_execute_sql
    try:
        yield TableHold(lambda: waiting[0])
    finally:
        released.set()
        del db.execute_sql  # the class's own again


def _sqlite_busy_error() -> sqlite3.OperationalError:
    """SQLite's « database is locked », as raised when a write lock is refused."""
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "contention.db")
        holder = sqlite3.connect(path, isolation_level=None)
        other = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            holder.execute("BEGIN IMMEDIATE")
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                return error
            raise AssertionError("no contention")
        finally:
            other.close()
            holder.close()
