"""Smoke test in a real terminal: the installed `cep-tui` console script runs in tmux at
80×24 on a new database (which it fills with the demonstration data on its first start);
the counsellor searches a dossier from home, opens it with Enter, and the screen read back
from tmux shows the dossier's title and its SYNTHÈSE."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

CEP_TUI = Path(sys.executable).parent / "cep-tui"
TIMEOUT = 20.0  # seconds, for each thing awaited on the screen


def tmux(socket: str, *args: str) -> str:
    """Run a tmux command on our own server (its own socket: never the user's sessions)."""
    done = subprocess.run(
        ["tmux", "-u", "-S", socket, *args], capture_output=True, check=True, timeout=10
    )
    return done.stdout.decode("utf-8", errors="replace")


def screen(socket: str, session: str) -> str:
    return tmux(socket, "capture-pane", "-p", "-t", session)


def wait_for(socket: str, session: str, *texts: str, timeout: float = TIMEOUT) -> str:
    deadline = time.monotonic() + timeout
    shown = ""
    while time.monotonic() < deadline:
        shown = screen(socket, session)
        if all(text in shown for text in texts):
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{texts!r} never showed within {timeout:.0f} s; the screen:\n{shown}")


@pytest.fixture
def terminal(tmp_path):
    """(socket, session): a tmux server of our own, killed afterwards whatever happens."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux n'est pas installé : pas de test dans un vrai terminal")
    if not CEP_TUI.exists():
        pytest.skip(f"le script {CEP_TUI} n'est pas installé (pip install -e .)")
    socket = str(tmp_path / "tmux.sock")  # removed with tmp_path
    try:
        yield socket, f"cep-{uuid.uuid4().hex[:8]}"
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True, timeout=10)


def test_open_a_dossier_in_a_real_terminal(terminal, tmp_path):
    socket, session = terminal
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "tmux-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    command = " ".join(
        [
            "env",
            "-i",
            *(shlex.quote(f"{name}={value}") for name, value in env.items()),
            shlex.quote(str(CEP_TUI)),
            "--database",
            shlex.quote(f"sqlite:///{tmp_path / 'demo.db'}"),
            "--as",
            "c.dupont",
        ]
    )
    # If the app stops, the pane stays and says so (the finally kills it all).
    command += '; echo "cep-tui arrêté, code $?"; sleep 60'
    tmux(socket, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)

    wait_for(socket, session, "RECHERCHER UN DOSSIER", "Mes jeunes en CEP")
    tmux(socket, "send-keys", "-t", session, "-l", "coeur elodie")
    wait_for(socket, session, "Résultats (1–1)", "Élodie")
    tmux(socket, "send-keys", "-t", session, "Enter")  # the only result opens

    shown = wait_for(socket, session, "CŒUR Élodie — n° ", "SYNTHÈSE")
    assert "Conseiller référent : Claire DUPONT" in shown
    assert "Statut du dossier : Justifié" in shown

    tmux(socket, "send-keys", "-t", session, "C-q")
    wait_for(socket, session, "cep-tui arrêté, code 0")
