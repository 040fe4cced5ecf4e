"""Reads that back a part of a screen — a dossier's section, its title — run off the UI
thread, as a form's save does (ui/modals/form.py, ui/writes.py): the interface answers
keys while the database takes its time (a colleague's lock on PostgreSQL, a slow disk).

A `Reads` belongs to one part of a screen. `start(read, show, failed)` runs the service
call `read` in a thread worker; its outcome comes back on the UI thread: `show(result)`,
or `failed(error)` for a refusal or a database fault said in French (services/guard.py).
Only the latest read of a part is applied: a result that arrives after a newer read was
started (the counsellor changed a filter, or a write made the part stale) is dropped, so
that what is shown is always what the last read found. A bug in a read fails its worker,
and the app's handler takes it (crash.py), as for a write.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from textual.dom import DOMNode
from textual.worker import WorkerCancelled

from cep_tui.services.errors import DomainError

ResultT = TypeVar("ResultT")
# The thread workers that read, and the workers that wait for them to apply their outcome.
READ_GROUP = "screen-read"


def answered(
    call: Callable[[], ResultT],
) -> Callable[[], tuple[ResultT | None, DomainError | None]]:
    """`call` for a thread worker: its result, or the DomainError it answered with (a
    refusal, a fault said in French: an answer, not a failure of the worker)."""

    def attempt() -> tuple[ResultT | None, DomainError | None]:
        try:
            return call(), None
        except DomainError as error:
            return None, error

    return attempt


class Reads(Generic[ResultT]):
    def __init__(self, node: DOMNode) -> None:
        self.node = node
        self.started = 0  # reads started so far: the last one's number is the one shown
        self.pending = 0  # reads not yet ended (applied or dropped)
        # One outcome applied at a time: showing awaits (children removed, then mounted),
        # and a newer read ending meanwhile must not interleave its widgets with these.
        self.applying = asyncio.Lock()

    @property
    def reading(self) -> bool:
        return self.pending > 0

    def drop(self) -> None:
        """Whatever reads are on their way, none will be shown (the screen now shows
        another dossier)."""
        self.started += 1

    def start(
        self,
        read: Callable[[], ResultT],
        show: Callable[[ResultT], Awaitable[None] | None],
        failed: Callable[[DomainError], None],
    ) -> None:
        self.started += 1
        number = self.started
        self.pending += 1

        async def follow() -> None:
            try:
                worker = self.node.run_worker(
                    answered(read), thread=True, group=READ_GROUP, exit_on_error=False
                )
                try:
                    result, error = await worker.wait()
                except WorkerCancelled:  # the part was removed (its screen closed)
                    return
                async with self.applying:
                    if number != self.started or _leaving(self.node):
                        return  # a newer read was started, or the screen was left: dropped
                    if error is not None:
                        failed(error)
                        return
                    shown = show(result)
                    if inspect.isawaitable(shown):
                        await shown
            finally:
                self.pending -= 1

        self.node.run_worker(follow(), group=f"{READ_GROUP}-outcome")


def _leaving(node: DOMNode) -> bool:
    """Whether `node` is gone or going (its screen closed, the app ending): Textual says so
    only by these flags, set on each node as it is taken down."""
    return not node.is_attached or any(
        n._closing or n._closed or n._pruning for n in (node, *node.ancestors)
    )
