"""PostgreSQL sessions: bounded waits set at connect, a small pool, and connections that
survive the server going away.

Every session the app opens carries its bounds (`lock_timeout`, `statement_timeout`,
`idle_in_transaction_session_timeout`, from `WaitLimits`) in libpq's `options`, so that no
statement can wait without end and no extra round trip is paid; `connect_timeout` bounds a
connection attempt, TCP keepalives and `tcp_user_timeout` notice a server that vanished
without closing the socket. Settings given in the URL's own query win over these.

The connections are pooled (playhouse.pool): a worker thread borrows one for a service call
and gives it back (`connection_for_call`). peewee's ReconnectMixin, given PostgreSQL's
messages, opens a new connection when a statement outside any transaction (a read, or the
BEGIN of a write) finds its connection lost; a transaction cut short is the service
guard's to retry (services/guard.py). When one connection is found lost, the idle ones
of the pool are dropped with it: they were connected to the same server.
"""

from __future__ import annotations

from peewee import InterfaceError, OperationalError
from playhouse.pool import PooledPostgresqlDatabase
from playhouse.shortcuts import ReconnectMixin

from cep_tui.db.connection import POOL_SIZE, DatabaseUrlError, WaitLimits, pool_wait

DRIVER_MISSING = (
    "Le pilote PostgreSQL n'est pas installé : installez le paquet Python psycopg2-binary "
    "(pip install 'cep-tui[postgres]')."
)
APPLICATION_NAME = "cep-tui"  # as pg_stat_activity shows the app's sessions
# A spare connection of the pool older than this is closed rather than reused (seconds).
STALE_SECONDS = 300


class CepPostgresqlDatabase(ReconnectMixin, PooledPostgresqlDatabase):
    # What psycopg2 says when the connection is gone (peewee's own list is MySQL's).
    reconnect_errors = (
        (OperationalError, "server closed the connection"),
        (OperationalError, "terminating connection"),
        (OperationalError, "connection already closed"),
        (OperationalError, "could not receive data from server"),
        (OperationalError, "could not send data to server"),
        (OperationalError, "ssl syscall error"),
        (OperationalError, "eof detected"),
        (InterfaceError, "connection already closed"),
    )

    def _close(self, conn, close_conn=False):
        lost = bool(conn.closed) or self._adapter.is_connection_closed(conn)
        super()._close(conn, close_conn)
        if lost:
            self.close_idle()


def postgresql_database(url: str, limits: WaitLimits) -> CepPostgresqlDatabase:
    """The database of a postgresql:// URL (`postgres+pool://` too: always pooled)."""
    try:
        import psycopg2  # noqa: F401  (the optional extra)
    except ImportError as exc:
        raise DatabaseUrlError(DRIVER_MISSING) from exc
    from playhouse.db_url import parse

    try:
        params = parse(url)
    except ValueError as exc:  # a port that is no number, and the like
        raise DatabaseUrlError("Adresse de base de données PostgreSQL invalide.") from exc
    database = params.pop("database", None)
    params["options"] = " ".join(
        part for part in (session_settings(limits), params.get("options", "")) if part
    )
    for name, value in connection_defaults(limits).items():
        params.setdefault(name, value)
    return CepPostgresqlDatabase(database, **params)


def session_settings(limits: WaitLimits) -> str:
    """libpq `options`: the bounds of every statement of the session (milliseconds). A
    statement's bound counts beyond its wait for locks, so that a lock held too long is
    always told as such (lock_timeout), never as a slow statement."""

    def ms(seconds: float) -> int:
        return max(1, round(seconds * 1000))

    settings = {
        "lock_timeout": ms(limits.lock_seconds),
        "statement_timeout": ms(limits.lock_seconds + limits.statement_seconds),
        "idle_in_transaction_session_timeout": ms(limits.idle_in_transaction_seconds),
    }
    return " ".join(f"-c {name}={value}" for name, value in settings.items())


def connection_defaults(limits: WaitLimits) -> dict:
    return {
        "application_name": APPLICATION_NAME,
        "connect_timeout": max(1, round(limits.connect_seconds)),
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        # Unacknowledged data on a dead link is given up after this (milliseconds).
        "tcp_user_timeout": round((limits.lock_seconds + limits.statement_seconds) * 1000),
        "max_connections": POOL_SIZE,
        "stale_timeout": STALE_SECONDS,
        "timeout": pool_wait(limits),
    }
