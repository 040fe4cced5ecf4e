"""Writes that come from no form — the « Oui » of a confirmation: delete a CEP, close an
event, deactivate a value or a counsellor. As a form's save (ui/modals/form.py), the
service call runs in a thread worker, so that the interface never waits for the database;
its outcome comes back on the UI thread: `done(result)`, or `refused(error)` for a refusal
or a database fault said in French."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from textual.dom import DOMNode

from cep_tui.services.errors import DomainError
from cep_tui.ui.reads import answered

ResultT = TypeVar("ResultT")
WRITE_GROUP = "confirmed-write"


def write_off_thread(
    node: DOMNode,
    call: Callable[[], ResultT],
    done: Callable[[ResultT], None],
    refused: Callable[[DomainError], None],
) -> None:
    async def follow() -> None:
        # A bug in the call fails the wait, and the app's handler takes it (crash.py).
        worker = node.run_worker(
            answered(call), thread=True, group=WRITE_GROUP, exit_on_error=False
        )
        result, error = await worker.wait()
        if error is not None:
            refused(error)
        else:
            done(result)

    node.run_worker(follow(), group=f"{WRITE_GROUP}-outcome")
