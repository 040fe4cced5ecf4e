"""Demonstration data only when asked (issue 12): a mistyped path creates nothing, a
foreign SQLite file is refused untouched, a plain start invents no Mission Locale, and
`--demo` fills the user's own default database."""

from __future__ import annotations

import hashlib
import os
import pty
import sqlite3
import subprocess
import sys

from cep_tui.bootstrap import make_app, open_services
from cep_tui.db.models import Dossier
from tests.factories import make_counsellor, make_structure
from tests.reliability.support import ROOT, run_cli


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_folder_is_said_and_nothing_is_created(tmp_path):
    target = tmp_path / "inexistant" / "dossier" / "x.db"

    done = run_cli("--database", f"sqlite:///{target}", home=tmp_path)

    assert done.returncode == 2
    assert f"Le dossier {target.parent} n'existe pas" in done.stderr
    assert "rien n'a été créé" in done.stderr
    assert not (tmp_path / "inexistant").exists()


def test_a_foreign_sqlite_file_is_refused_untouched(tmp_path):
    foreign = tmp_path / "comptes.sqlite"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE facture (id INTEGER PRIMARY KEY, montant REAL)")
    connection.execute("INSERT INTO facture (montant) VALUES (12.5)")
    connection.commit()
    connection.close()
    before = digest(foreign)

    for args in ([], ["migrate"], ["demo"]):
        done = run_cli("--database", f"sqlite:///{foreign}", *args, home=tmp_path)
        assert done.returncode == 2, args
        assert "ce fichier n'est pas une base cep-tui" in done.stderr

    assert digest(foreign) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("comptes")) == [
        "comptes.sqlite"
    ]  # no WAL, no shared memory file


def test_the_app_seeds_nothing_by_default(tmp_path):
    url = f"sqlite:///{tmp_path / 'vide.db'}"
    open_services(url)  # a new database, migrated
    make_counsellor(make_structure(), "alice")

    app = make_app(url, "alice")

    assert app.actor.login == "alice"
    assert not Dossier.select().exists()


def test_a_plain_start_without_any_database_says_how_to_name_one(tmp_path):
    done = run_cli(home=tmp_path)

    assert done.returncode == 2
    assert "aucune base de données" in done.stderr
    assert not (tmp_path / "data").exists()


def in_a_terminal(*args: str, home) -> str:
    """`python -m cep_tui ARGS` on a pseudo-terminal, as `make run` runs it; what it wrote
    once it ended (the app quits at once when ready, as `make bench` has it)."""
    master, slave = pty.openpty()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "TERM": "xterm-256color",
        "CEP_TUI_EXIT_WHEN_READY": str(home / "ready"),
    }
    env.pop("CEP_TUI_DATABASE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "cep_tui", *args],
        stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    output = b""
    try:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the program ended: its side of the terminal is closed
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(master)
        process.wait(timeout=120)
    return output.decode("utf-8", errors="replace")


def test_make_run_fills_the_users_own_default_database(tmp_path):
    in_a_terminal("--demo", "--as", "c.dupont", home=tmp_path)

    base = tmp_path / "data" / "cep-tui" / "cep-tui.db"
    connection = sqlite3.connect(base)
    try:
        (young,) = connection.execute("SELECT count(*) FROM dossier").fetchone()
        (flagged,) = connection.execute(
            "SELECT count(*) FROM structure WHERE demonstration"
        ).fetchone()
    finally:
        connection.close()
    assert young > 100 and flagged == 2
    assert "results" in (tmp_path / "ready").read_text()  # the app opened as c.dupont


def test_without_a_terminal_the_demonstration_is_not_built(tmp_path):
    done = run_cli("--demo", "--as", "c.dupont", home=tmp_path)

    assert done.returncode == 2 and "pas de terminal" in done.stderr
    assert not (tmp_path / "data" / "cep-tui" / "cep-tui.db").exists()


def test_an_older_demonstration_base_is_said_how_to_renew(tmp_path):
    """A base filled by `make run` before structures were marked as demonstration ones."""
    assert run_cli("--demo", "demo", home=tmp_path).returncode == 0
    base = tmp_path / "data" / "cep-tui" / "cep-tui.db"
    connection = sqlite3.connect(base)
    with connection:
        connection.execute("UPDATE structure SET demonstration = 0")
    connection.close()

    shown = in_a_terminal("--demo", "--as", "c.dupont", home=tmp_path)

    assert "--as c.dupont refusé" in shown
    assert "Supprimez" in shown and "relancez." in shown
