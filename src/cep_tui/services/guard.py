"""Every service call either does its work or ends in a French sentence: a database fault
never reaches a screen as a driver's exception.

`guarded` wraps each public method of every service (`ServiceBase.__init_subclass__`).
Around the outermost call of a thread (a service calling another is inside it), it
  - gives the call its connection (`connection_for_call`: a worker thread borrows one from
    the pool and gives it back);
  - runs the call again, once, when that is safe: the connection was lost (the app
    reconnects first, for up to `WaitLimits.reconnect_seconds`, and says so through
    `retry_notices`) or PostgreSQL rolled the transaction back on a deadlock — and only if
    no COMMIT was sent in the call: the services' writes are each one transaction, so a
    call that never committed changed nothing and may simply run again;
  - turns any other database fault into `DatabaseUnavailable`, a DomainError whose
    message (cep_tui.db.faults) every screen already shows as it shows a refusal.
A connection lost while a COMMIT was on its way is never retried: only the server knows
whether it committed, and the counsellor is told to look before trying again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from contextvars import ContextVar

from cep_tui.db.connection import (
    DEFAULT_LIMITS,
    connection_for_call,
    database_proxy,
    reconnect,
    writes_of_this_thread,
)
from cep_tui.db.faults import COMMIT_UNKNOWN, RECONNECTING, Fault, FaultKind, classify
from cep_tui.services.errors import DatabaseUnavailable, DomainError

# Who hears « nouvelle tentative… » while a call of this thread retries (a form's worker).
retry_notices: ContextVar[Callable[[str], None] | None] = ContextVar("retry_notices", default=None)


class _Depth(threading.local):
    calls = 0  # service calls in progress in this thread


_depth = _Depth()


def guarded(method: Callable) -> Callable:
    @functools.wraps(method)
    def call(*args, **kwargs):
        if _depth.calls:  # inside another service call: that one guards
            return method(*args, **kwargs)
        _depth.calls += 1
        try:
            with connection_for_call():
                return _run(method, args, kwargs)
        finally:
            _depth.calls -= 1

    return call


def _run(method: Callable, args: tuple, kwargs: dict):
    retried = False
    while True:
        begun, committed = writes_of_this_thread()
        try:
            return method(*args, **kwargs)
        except DomainError:
            raise
        except Exception as error:
            fault = classify(error)
            if fault is None:
                raise
            now_begun, now_committed = writes_of_this_thread()
            commit_sent = now_committed > committed
            if not retried and not commit_sent and _ready_to_retry(fault):
                retried = True
                continue
            if fault.kind is FaultKind.CONNECTION_LOST and commit_sent:
                message = COMMIT_UNKNOWN
            else:
                message = fault.message(saving=now_begun > begun)
            raise DatabaseUnavailable(message, fault) from error


def _ready_to_retry(fault: Fault) -> bool:
    """Whether the call may run again now (after reconnecting, for a lost connection)."""
    db = database_proxy.obj
    if db.in_transaction():  # the caller's own transaction (a test, a tool): theirs to end
        return False
    if fault.retry_at_once:
        return True
    if fault.kind is not FaultKind.CONNECTION_LOST:
        return False
    notice = retry_notices.get()
    if notice is not None:
        notice(RECONNECTING)
    limits = getattr(db, "wait_limits", DEFAULT_LIMITS)
    return reconnect(limits.reconnect_seconds)
