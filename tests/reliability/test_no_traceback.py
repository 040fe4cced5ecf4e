"""Drill 8: no traceback ever reaches the counsellor. A refusal is one French sentence; an
unexpected error is one French sentence too, its details going to errors.log in the user's
state directory."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile

import pytest

from cep_tui.crash import log_unexpected, unexpected_message
from tests.reliability.support import ROOT, run_cli


def _raise(message: str) -> BaseException:
    try:
        raise ValueError(message)
    except ValueError as error:
        return error


def test_the_details_of_an_unexpected_error_go_to_the_log(tmp_path):
    logs = tmp_path / "journaux"

    path = log_unexpected(_raise("détail technique n°1"), logs)
    log_unexpected(_raise("détail technique n°2"), logs)

    assert path == logs / "errors.log"
    text = path.read_text(encoding="utf-8")
    assert text.count("Traceback (most recent call last)") == 2
    assert "ValueError: détail technique n°1" in text
    assert "ValueError: détail technique n°2" in text  # appended, not overwritten
    message = unexpected_message(path)
    assert "\n" not in message
    assert str(path) in message
    assert "Traceback" not in message and "ValueError" not in message
    assert message.startswith("cep-tui : une erreur inattendue est survenue")


def test_the_log_is_in_the_user_state_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    path = log_unexpected(_raise("x"))

    assert path == tmp_path / "state" / "cep-tui" / "errors.log"


def _one_french_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("cep-tui : ")
    return lines[0]


@pytest.mark.parametrize(
    "url", ["mysql://cep@localhost/cep", "cep.db", "sqlite3-mais-pas-vraiment"]
)
def test_an_unusable_database_url_is_one_french_sentence(tmp_path, url):
    done = run_cli("--database", url, "--as", "c.dupont", home=tmp_path)

    assert done.returncode != 0
    line = _one_french_line(done.stderr)
    assert "Adresse de base de données non prise en charge" in line


def test_an_unknown_login_is_one_french_sentence(database_url, structure, tmp_path):
    done = run_cli("--database", database_url, "--as", "inconnu", home=tmp_path)

    assert done.returncode != 0
    assert _one_french_line(done.stderr) == (
        "cep-tui : Identifiant inconnu ou désactivé : « inconnu ». Demandez à "
        "l'administrateur de votre structure de vous ouvrir un accès."
    )


def test_a_file_that_is_not_a_database_says_so_and_points_to_restore(tmp_path):
    broken = tmp_path / "abime.db"
    broken.write_bytes(b"ceci n'est pas une base SQLite" * 200)

    done = run_cli("--database", f"sqlite:///{broken}", "--as", "c.dupont", home=tmp_path)

    assert done.returncode == 2
    line = _one_french_line(done.stderr)
    assert "n'est pas une base de données" in line
    assert "cep-tui restore" in line


def test_the_log_goes_to_the_next_usable_place(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    unusable = tmp_path / "etat"
    unusable.write_text("un fichier, pas un dossier")

    path = log_unexpected(_raise("détail technique"), unusable)

    assert path == tmp_path / "tmp" / f"cep-tui-{os.getuid()}" / "errors.log"
    assert "ValueError: détail technique" in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_with_no_usable_place_the_sentence_still_comes(tmp_path, monkeypatch):
    (tmp_path / "tmp").write_text("ni le dossier temporaire")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "etat").write_text("ni le dossier d'état")

    path = log_unexpected(_raise("x"), tmp_path / "etat")

    assert path is None
    message = unexpected_message(path)
    assert "\n" not in message and "Traceback" not in message
    assert "journal d'erreurs n'a pas pu être écrit" in message


def test_an_unexpected_error_with_an_unusable_state_folder_is_one_french_sentence(tmp_path):
    # The state folder is a file (as unusable as a read-only or full one, even for root),
    # and the start fails unexpectedly: the sentence comes, the details go to /tmp.
    (tmp_path / "tmp").mkdir()
    (tmp_path / "state").write_text("pas un dossier")
    script = (
        "import sys\n"
        "from cep_tui import bootstrap, __main__ as cli\n"
        "def boom(*args, **kwargs): raise RuntimeError('panne simulée')\n"
        "bootstrap.make_app = boom\n"
        "sys.exit(cli.main(['--database', 'sqlite:///' + sys.argv[1], '--as', 'x']))\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "TMPDIR": str(tmp_path / "tmp")}

    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "cep.db")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    line = _one_french_line(done.stderr)
    log = tmp_path / "tmp" / f"cep-tui-{os.getuid()}" / "errors.log"
    assert line == unexpected_message(log)
    assert "RuntimeError: panne simulée" in log.read_text(encoding="utf-8")


def test_an_unreachable_postgresql_server_is_one_french_sentence(tmp_path):
    # Port 1 on the loopback: nothing listens there. The password never shows.
    url = "postgresql://cep:motdepasse@127.0.0.1:1/cep"

    done = run_cli("--database", url, "--as", "c.dupont", home=tmp_path)

    assert done.returncode != 0
    line = _one_french_line(done.stderr)
    assert line.startswith("cep-tui : Connexion à la base PostgreSQL impossible : ")
    assert "motdepasse" not in line
