"""Demonstration data only when asked (issue 12): a mistyped path creates nothing, a
foreign SQLite file is refused untouched, a plain start invents no Mission Locale, and
`--demo` fills the user's own default database."""

from __future__ import annotations

import hashlib
import sqlite3

from cep_tui.bootstrap import make_app, open_services
from cep_tui.db.models import Dossier
from tests.factories import make_counsellor, make_structure
from tests.reliability.support import run_cli


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


def test_demo_fills_the_users_own_default_database(tmp_path):
    done = run_cli("--demo", "--as", "c.dupont", home=tmp_path)

    assert "pas de terminal" in done.stderr  # signed in as c.dupont on the new demo base
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
