"""Smoke tests in a real terminal (tmux at 80×24, as a counsellor over SSH sees it):

- the README's first command, `make run`, run as written (and `make run LOGIN=l.petit`), on
  a new database in a fresh home, reaches the home screen as the right counsellor;
- the installed `cep-tui` console script opens a dossier searched from home with Enter;
- a name and Enter sent in one `tmux send-keys` (a paste, lag) open that name's dossier,
  not the one the previous search showed.

No timing is asserted: each step waits (within a generous bound) for text on the screen."""

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

REPO = Path(__file__).resolve().parents[2]
CEP_TUI = Path(sys.executable).parent / "cep-tui"
TIMEOUT = 60.0  # seconds, for each thing awaited on the screen (a loaded machine, a new base)
# CI (.ci/run) installs tmux and sets it: there the tests may not be skipped.
REQUIRE_ENV = "CEP_TUI_REQUIRE_TMUX"


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


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1)")
    pytest.skip(reason)


@pytest.fixture
def terminal(tmp_path):
    """(socket, session): a tmux server of our own, killed afterwards whatever happens."""
    if shutil.which("tmux") is None:
        _unavailable("tmux n'est pas installé : pas de test dans un vrai terminal")
    if not CEP_TUI.exists():
        _unavailable(f"le script {CEP_TUI} n'est pas installé (pip install -e .)")
    socket = str(tmp_path / "tmux.sock")  # removed with tmp_path
    try:
        yield socket, f"cep-{uuid.uuid4().hex[:8]}"
    finally:
        subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True, timeout=10)


def clean_environment(tmp_path: Path) -> dict[str, str]:
    """A fresh user's environment: an empty home (so a new database), nothing inherited."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TERM": "tmux-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


def start(terminal, tmp_path: Path, *argv: str, cwd: Path | None = None) -> None:
    """Run `argv` in the tmux session at 80×24, in a clean environment. If it stops, the
    pane stays and says so (the fixture kills it all)."""
    socket, session = terminal
    env = clean_environment(tmp_path)
    command = " ".join(
        [
            *(["cd", shlex.quote(str(cwd)), "&&"] if cwd else []),
            "env",
            "-i",
            *(shlex.quote(f"{name}={value}") for name, value in env.items()),
            *(shlex.quote(arg) for arg in argv),
        ]
    )
    command += '; echo "cep-tui arrêté, code $?"; sleep 600'
    tmux(socket, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)


def start_app(terminal, tmp_path: Path) -> None:
    start(
        terminal,
        tmp_path,
        str(CEP_TUI),
        "--demo",  # a new base, filled with the demonstration (only when asked: issue 12)
        "--database",
        f"sqlite:///{tmp_path / 'demo.db'}",
        "--demo",  # the demonstration data on a new database, as `make run`
        "--as",
        "c.dupont",
    )


def quit_app(terminal) -> None:
    socket, session = terminal
    tmux(socket, "send-keys", "-t", session, "C-q")
    wait_for(socket, session, "cep-tui arrêté, code 0")


def make_run_is_ready() -> None:
    """`make run` here may run only the app: the venv it uses must be the one running the
    tests, installed and up to date (as `make test` leaves it), or it would reinstall."""
    if shutil.which("make") is None:
        _unavailable("make n'est pas installé")
    if Path(sys.prefix).resolve() != (REPO / ".venv").resolve():
        pytest.skip("les tests ne tournent pas dans le .venv du dépôt : `make run` l'installerait")
    stamp = subprocess.run(
        ["make", "-q", "-C", str(REPO), ".venv/.installed"], capture_output=True, timeout=30
    )
    if stamp.returncode != 0:
        pytest.skip("le .venv n'est pas à jour : `make run` le réinstallerait")


@pytest.mark.parametrize(
    ("make_args", "counsellor"),
    [((), "(c.dupont)"), (("LOGIN=l.petit",), "(l.petit)")],
    ids=["make-run", "make-run-LOGIN"],
)
def test_make_run_opens_the_home_screen(terminal, tmp_path, make_args, counsellor):
    """The README's command, as written, on a fresh home: the home screen, as the right
    counsellor, with the demonstration data."""
    make_run_is_ready()
    socket, session = terminal
    start(terminal, tmp_path, "make", "-s", "run", *make_args, cwd=REPO)
    shown = wait_for(socket, session, "RECHERCHER UN DOSSIER", counsellor)
    assert "Traceback" not in shown
    tmux(socket, "send-keys", "-t", session, "-l", "coeur elodie")
    wait_for(socket, session, "Résultats (1–1)", "Élodie")
    quit_app(terminal)


def test_open_a_dossier_in_a_real_terminal(terminal, tmp_path):
    socket, session = terminal
    start_app(terminal, tmp_path)
    wait_for(socket, session, "RECHERCHER UN DOSSIER", "Mes jeunes en CEP")
    tmux(socket, "send-keys", "-t", session, "-l", "coeur elodie")
    wait_for(socket, session, "Résultats (1–1)", "Élodie")
    tmux(socket, "send-keys", "-t", session, "Enter")  # the only result opens

    shown = wait_for(socket, session, "CŒUR Élodie — n° ", "SYNTHÈSE")
    assert "Conseiller référent : Claire DUPONT" in shown
    assert "Statut du dossier : Justifié" in shown
    quit_app(terminal)


def test_a_name_and_enter_in_one_burst_open_that_dossier(terminal, tmp_path):
    """After a search showing one young person, another name and Enter arrive at once (one
    `send-keys`): Enter opens the dossier of the name typed, never the previous result."""
    socket, session = terminal
    start_app(terminal, tmp_path)
    wait_for(socket, session, "RECHERCHER UN DOSSIER", "Mes jeunes en CEP")
    tmux(socket, "send-keys", "-t", session, "-l", "coeur elodie")
    wait_for(socket, session, "Résultats (1–1)", "Élodie")
    # Ctrl+U empties the box; the new name and Enter follow in the same write.
    tmux(socket, "send-keys", "-t", session, "C-u", "santoni ghjuvan", "Enter")

    shown = wait_for(socket, session, "SANTONI Ghjuvan — n° ", "SYNTHÈSE")
    assert "CŒUR" not in shown
    quit_app(terminal)
