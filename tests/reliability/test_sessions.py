"""Sessions on a server (issue 12): no terminal, no app (one French line, non-zero);
the terminal gone without SIGHUP ends the process; the session log says who, from where,
how it ended, and nothing of the young people.

No timing is asserted: each wait has a generous bound, for a loaded machine."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from cep_tui.db.models import Structure
from tests.factories import make_counsellor
from tests.reliability.support import ROOT

BOUND = 60.0  # seconds, at most, for anything awaited


@pytest.fixture
def demo_base(database_url, structure):
    """A base whose structure is a demonstration one (so `--as c.dupont` is allowed)."""
    Structure.update(demonstration=True).where(Structure.id == structure.id).execute()
    make_counsellor(structure, "c.dupont", first_name="Claire", last_name="Dupont")
    return database_url


def environment(tmp_path, **extra) -> dict[str, str]:
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        **extra,
    }
    env.pop("CEP_TUI_DATABASE", None)
    return env


@pytest.mark.sqlite_only
def test_without_a_terminal_one_french_line_and_a_failure(demo_base, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "cep_tui", "--database", demo_base, "--as", "c.dupont"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        cwd=ROOT,
        env=environment(tmp_path),
        text=True,
        timeout=BOUND,
    )

    assert done.returncode != 0
    assert done.stdout == ""  # no screen codes
    assert done.stderr.splitlines() == [
        "cep-tui : pas de terminal : ouvrez une session interactive (ssh -t, sans commande), "
        "aucune autre commande n'est possible."
    ]


def read_until(master: int, text: bytes) -> bytes:
    shown = b""
    deadline = time.monotonic() + BOUND
    while text not in shown:
        assert time.monotonic() < deadline, shown[-2000:]
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            shown += os.read(master, 65536)
    return shown


@pytest.mark.sqlite_only
def test_the_terminal_gone_without_sighup_ends_the_process(demo_base, tmp_path):
    master, slave = pty.openpty()
    os.set_blocking(master, True)
    ssh = {"SSH_CONNECTION": "192.0.2.7 50022 192.0.2.1 22"}
    process = subprocess.Popen(
        [sys.executable, "-m", "cep_tui", "--database", demo_base, "--as", "c.dupont"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=environment(tmp_path, **ssh),
        start_new_session=True,
        # As an SSH client that vanishes may leave it: no SIGHUP reaches the program.
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    os.close(slave)
    try:
        read_until(master, b"RECHERCHER")
        os.close(master)  # the terminal is gone
        process.wait(timeout=BOUND)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    log = (tmp_path / "state" / "cep-tui" / "cep-tui.log").read_text(encoding="utf-8")
    start, end = log.splitlines()
    for line in (start, end):
        assert "counsellor=c.dupont" in line and "client=192.0.2.7" in line
        assert f"pid={process.pid}" in line and "os_account=" in line and "terminal=" in line
    assert " start " in start
    assert " end " in end and "reason=hangup" in end
    assert "Dupont" not in log and "Claire" not in log  # logins only, no names
    assert oct((tmp_path / "state" / "cep-tui" / "cep-tui.log").stat().st_mode & 0o777) == "0o600"


@pytest.mark.sqlite_only
def test_a_sighup_writes_the_end_line(demo_base, tmp_path):
    """The normal SSH disconnect: SIGHUP, the terminal still open. The end line is written
    (reason hangup) and the process ends."""
    master, slave = pty.openpty()
    os.set_blocking(master, True)
    process = subprocess.Popen(
        [sys.executable, "-m", "cep_tui", "--database", demo_base, "--as", "c.dupont"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=environment(tmp_path),
        start_new_session=True,
    )
    os.close(slave)
    try:
        read_until(master, b"RECHERCHER")
        process.send_signal(signal.SIGHUP)
        # Keep reading (a full pty would block the app's last writes) until it ends.
        deadline = time.monotonic() + BOUND
        while process.poll() is None:
            assert time.monotonic() < deadline, "still running after SIGHUP"
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
        process.wait(timeout=BOUND)
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()

    lines = (tmp_path / "state" / "cep-tui" / "cep-tui.log").read_text("utf-8").splitlines()
    assert len(lines) == 2 and " start " in lines[0]
    assert " end " in lines[1] and "reason=hangup" in lines[1]
    assert f"pid={process.pid}" in lines[1]
