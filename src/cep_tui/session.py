"""A session on a server (issue 12): the administrator's log of who opened the app, from
where, and when it ended; and the watcher that ends the app when its terminal is gone or
the SSH connection ends (SIGHUP).

The session log (`cep-tui.log`, beside errors.log, private) holds one line at the start and
one at the end: the OS account, the counsellor, the client's address (SSH_CONNECTION), the
terminal's size — never what the screen showed (young people's data).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

SESSION_LOG = "cep-tui.log"
# How often the watcher looks at the terminal, and how long the app has to close itself
# once it is gone before the process ends anyway (its screen can no longer be restored).
HANGUP_POLL_SECONDS = 0.25
HANGUP_GRACE_SECONDS = 0.5


def client_address() -> str:
    """The SSH client's address (`SSH_CONNECTION`: client address, port, server address,
    port), or « local »."""
    parts = os.environ.get("SSH_CONNECTION", "").split()
    return parts[0] if parts else "local"


def terminal_size() -> str:
    try:
        size = os.get_terminal_size(1)
    except OSError:
        return "?"
    return f"{size.columns}x{size.lines}"


def _clean(value: object) -> str:
    """One token of the log line: no spaces, no control characters."""
    return "".join(c if c.isprintable() and not c.isspace() else "_" for c in str(value))


def log_session(event: str, log_folder: Path | None = None, **fields: object) -> None:
    """Append one line `DATE EVENT key=value …` to the session log; a log that cannot be
    written never stops the session."""
    from cep_tui.config import log_dir
    from cep_tui.crash import append_private

    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    details = " ".join(f"{key}={_clean(value)}" for key, value in fields.items())
    try:
        folder = log_folder if log_folder is not None else log_dir()
        append_private(folder / SESSION_LOG, f"{stamp} {event} pid={os.getpid()} {details}\n")
    except Exception:  # the session goes on without its log line
        return


def terminal_gone(fd: int, timeout: float) -> bool:
    """Whether the terminal on `fd` hung up (or the descriptor is no longer valid):
    poll() reports POLLHUP/POLLERR/POLLNVAL whatever events are asked for (none here, so
    pending keys never wake it)."""
    poller = select.poll()
    poller.register(fd, 0)
    events = poller.poll(timeout * 1000)
    return any(mask & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _, mask in events)


def watch_hangup(on_hangup: Callable[[], None], fd: int = 0) -> threading.Thread:
    """Call `on_hangup` once the terminal on `fd` is gone (closed without SIGHUP, as some
    SSH clients leave it), then end the process if it is still there after a grace: a
    program left on a dead terminal would spin or wait for ever."""

    def watch() -> None:
        while not terminal_gone(fd, HANGUP_POLL_SECONDS):
            pass
        end_after_hangup(on_hangup)

    thread = threading.Thread(target=watch, name="hangup-watcher", daemon=True)
    thread.start()
    return thread


def end_after_hangup(on_hangup: Callable[[], None]) -> None:
    """Call `on_hangup`, then end the process if it is still there after a grace."""
    with contextlib.suppress(Exception):  # the app may already be closing
        on_hangup()
    time.sleep(HANGUP_GRACE_SECONDS)
    os._exit(129)  # 128 + SIGHUP, as a shell reports a hung-up program


def on_sighup(on_hangup: Callable[[], None]):
    """Handle SIGHUP (the normal SSH disconnect, whose default action would end the
    process with no end line) as the watcher handles a vanished terminal; returns the
    previous handler. The work runs in a thread: `on_hangup` asks the app, whose loop runs
    in this main thread where the handler interrupts it, to exit."""

    def handler(signum, frame) -> None:
        threading.Thread(
            target=end_after_hangup, args=(on_hangup,), name="sighup", daemon=True
        ).start()

    return signal.signal(signal.SIGHUP, handler)


class Session:
    """One run of the app at a terminal: logged at its start and its end (once, however
    it ends), ended when the terminal is gone."""

    def __init__(self, app) -> None:
        self.app = app
        self.started = time.monotonic()
        self.ended = threading.Lock()
        self.fields = {
            "os_account": app.os_account or "?",
            "counsellor": app.actor.login,
            "client": client_address(),
            "terminal": terminal_size(),
        }

    def run(self) -> None:
        log_session("start", **self.fields)
        watch_hangup(self._hung_up)
        previous = on_sighup(self._hung_up)
        try:
            self.app.run()
        finally:
            self._log_end(self.app.end_reason)
            signal.signal(signal.SIGHUP, previous)

    def _hung_up(self) -> None:
        self.app.end_reason = "hangup"
        self._log_end("hangup")
        self.app.call_from_thread(self.app.exit)

    def _log_end(self, reason: str) -> None:
        if not self.ended.acquire(blocking=False):
            return
        seconds = round(time.monotonic() - self.started)
        log_session("end", **self.fields, reason=reason, seconds=seconds)
