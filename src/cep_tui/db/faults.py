"""What went wrong with the database, said in French: the one place where a database
exception becomes a kind of fault and its message.

A fault is not a refusal (services/errors.py): the rules had nothing against the operation,
the database could not do it — a colleague's lock held past the bound, the server gone, the
file read-only, the disk full, the file damaged. `classify` reads the driver's own error
codes (SQLite's result codes, PostgreSQL's SQLSTATE), looking through the whole chain of an
exception: a failed ROLLBACK ("cannot rollback - no transaction is active") says nothing,
the error it followed says what happened. Anything else is no fault of the database (None).

This module never imports a driver: an SQLite session never loads psycopg2 (see
`cep_tui.__main__.without_postgres_driver`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from enum import Enum


class FaultKind(Enum):
    BUSY = "busy"  # another session holds what is needed, past the wait's bound
    SLOW = "slow"  # a statement ran past its bound (statement_timeout)
    CONNECTION_LOST = "connection_lost"  # the server went away, or cannot be reached
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    DISK_ERROR = "disk_error"  # the disk failed to read or write
    CORRUPT = "corrupt"  # the file is damaged
    NOT_A_DATABASE = "not_a_database"  # the file is no SQLite database (or is encrypted)
    CANNOT_OPEN = "cannot_open"  # the file cannot be opened (folder, rights)


# Shown while the app reconnects to retry a save that never committed.
RECONNECTING = "Connexion au serveur perdue, nouvelle tentative…"
# The connection broke while the COMMIT was on its way: only the server knows.
COMMIT_UNKNOWN = (
    "Connexion au serveur perdue pendant la validation : l'enregistrement a pu aboutir. "
    "Vérifiez le dossier avant de réessayer."
)
RESTORE_HINT = (
    "Prévenez l'administrateur : « cep-tui restore SAUVEGARDE » remet la dernière "
    "sauvegarde (README, « Fiabilité »)."
)

# kind -> (the message after a save, the message otherwise: a search, a screen, a start)
MESSAGES: dict[FaultKind, tuple[str, str]] = {
    FaultKind.BUSY: (
        "La base est occupée par un collègue, réessayez dans un instant (Ctrl+S).",
        "La base est occupée par un collègue : réessayez dans un instant.",
    ),
    FaultKind.SLOW: (
        "La base de données ne répond pas à temps : rien n'a été enregistré. Réessayez dans "
        "un instant (Ctrl+S).",
        "La base de données ne répond pas à temps : réessayez dans un instant.",
    ),
    FaultKind.CONNECTION_LOST: (
        "Connexion au serveur perdue : rien n'a été enregistré. Réessayez (Ctrl+S) quand le "
        "serveur répondra.",
        "Connexion au serveur perdue : réessayez quand le serveur répondra.",
    ),
    FaultKind.READ_ONLY: (
        "Base en lecture seule : rien n'a été enregistré. Prévenez l'administrateur ; votre "
        "saisie reste à l'écran.",
        "Base en lecture seule : prévenez l'administrateur.",
    ),
    FaultKind.DISK_FULL: (
        "Disque plein : rien n'a été enregistré. Prévenez l'administrateur, puis réessayez "
        "(Ctrl+S) une fois de la place libérée.",
        "Disque plein : prévenez l'administrateur.",
    ),
    FaultKind.DISK_ERROR: (
        "Erreur du disque de la base de données : rien n'a été enregistré. Prévenez "
        "l'administrateur, puis réessayez (Ctrl+S).",
        "Erreur du disque de la base de données : prévenez l'administrateur.",
    ),
    FaultKind.CORRUPT: (
        f"La base de données est endommagée : rien n'a été enregistré. {RESTORE_HINT}",
        f"La base de données est endommagée. {RESTORE_HINT}",
    ),
    FaultKind.NOT_A_DATABASE: (
        f"Le fichier de la base n'est pas une base de données (ou il est endommagé). "
        f"{RESTORE_HINT}",
        f"Le fichier de la base n'est pas une base de données (ou il est endommagé). "
        f"{RESTORE_HINT}",
    ),
    FaultKind.CANNOT_OPEN: (
        "Le fichier de la base de données ne peut pas être ouvert (dossier absent ou droits "
        "insuffisants) : prévenez l'administrateur.",
        "Le fichier de la base de données ne peut pas être ouvert (dossier absent ou droits "
        "insuffisants) : prévenez l'administrateur.",
    ),
}


@dataclass(frozen=True)
class Fault:
    kind: FaultKind
    # The driver's own words (its first line): for the error log, never for the screen.
    detail: str = ""
    # Safe to run the whole transaction again at once (a deadlock, a serialisation failure:
    # PostgreSQL rolled it back and the next try may well pass).
    retry_at_once: bool = False

    def message(self, *, saving: bool) -> str:
        """The sentence the counsellor reads: after a save (`saving`: nothing was saved,
        Ctrl+S retries), or anywhere else."""
        after_save, otherwise = MESSAGES[self.kind]
        return after_save if saving else otherwise


def classify(error: BaseException) -> Fault | None:
    """The fault behind `error` (or an error it was raised from or during), or None when
    it is no fault of the database (a bug, a refusal, a constraint)."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        fault = _sqlite_fault(current) or _postgresql_fault(current) or _pool_fault(current)
        if fault is not None:
            return fault
        # peewee re-raises the driver's exception as its own, holding it as args[0].
        wrapped = [a for a in getattr(current, "args", ())[:1] if isinstance(a, BaseException)]
        pending.extend([*wrapped, current.__cause__, current.__context__])
    return None


def first_line(error: BaseException) -> str:
    return next((line.strip() for line in str(error).splitlines() if line.strip()), "")


# -- SQLite ---------------------------------------------------------------------------------
# Primary result codes (the low byte of an extended code): https://sqlite.org/rescode.html
_SQLITE_KINDS = {
    5: FaultKind.BUSY,  # SQLITE_BUSY: the busy_timeout passed
    6: FaultKind.BUSY,  # SQLITE_LOCKED
    8: FaultKind.READ_ONLY,  # SQLITE_READONLY
    10: FaultKind.DISK_ERROR,  # SQLITE_IOERR
    11: FaultKind.CORRUPT,  # SQLITE_CORRUPT ("database disk image is malformed")
    13: FaultKind.DISK_FULL,  # SQLITE_FULL
    14: FaultKind.CANNOT_OPEN,  # SQLITE_CANTOPEN
    26: FaultKind.NOT_A_DATABASE,  # SQLITE_NOTADB ("file is not a database")
}


def _sqlite_fault(error: BaseException) -> Fault | None:
    if not isinstance(error, sqlite3.Error):
        return None
    code = getattr(error, "sqlite_errorcode", None)
    kind = _SQLITE_KINDS.get(code & 0xFF) if isinstance(code, int) else None
    if kind is None and "malformed" in str(error):  # "malformed database schema (…)"
        kind = FaultKind.CORRUPT
    return Fault(kind, first_line(error)) if kind is not None else None


# -- PostgreSQL (psycopg2) --------------------------------------------------------------------
# SQLSTATE -> kind (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_SQLSTATE_KINDS = {
    "55P03": FaultKind.BUSY,  # lock_not_available: lock_timeout passed
    "40P01": FaultKind.BUSY,  # deadlock_detected
    "40001": FaultKind.BUSY,  # serialization_failure
    "57014": FaultKind.SLOW,  # query_canceled: statement_timeout passed
    "25P03": FaultKind.CONNECTION_LOST,  # idle_in_transaction_session_timeout ended it
    "57P01": FaultKind.CONNECTION_LOST,  # admin_shutdown
    "57P02": FaultKind.CONNECTION_LOST,  # crash_shutdown
    "57P03": FaultKind.CONNECTION_LOST,  # cannot_connect_now (starting up, shutting down)
    "53300": FaultKind.CONNECTION_LOST,  # too_many_connections
    "25006": FaultKind.READ_ONLY,  # read_only_sql_transaction
    "53100": FaultKind.DISK_FULL,  # disk_full
    "58030": FaultKind.DISK_ERROR,  # io_error
    "XX001": FaultKind.CORRUPT,  # data_corrupted
    "XX002": FaultKind.CORRUPT,  # index_corrupted
}
_RETRY_AT_ONCE = frozenset(("40P01", "40001"))


def _postgresql_fault(error: BaseException) -> Fault | None:
    if not type(error).__module__.startswith("psycopg2"):
        return None
    code = getattr(error, "pgcode", None)
    if code is None:
        # Raised by the client library itself: the connection broke, or none could be
        # made ("server closed the connection unexpectedly", "connection already
        # closed", "Connection refused", "the database system is starting up").
        if type(error).__name__ in ("OperationalError", "InterfaceError"):
            return Fault(FaultKind.CONNECTION_LOST, first_line(error))
        return None
    kind = _SQLSTATE_KINDS.get(code) or (
        FaultKind.CONNECTION_LOST if code.startswith("08") else None
    )
    if kind is None:
        return None
    return Fault(kind, first_line(error), retry_at_once=code in _RETRY_AT_ONCE)


def _pool_fault(error: BaseException) -> Fault | None:
    # playhouse.pool's MaxConnectionsExceeded: every connection of this app's pool stayed
    # busy for the whole wait (never seen but under a stuck server).
    if type(error).__name__ == "MaxConnectionsExceeded":
        return Fault(FaultKind.BUSY, first_line(error))
    return None
