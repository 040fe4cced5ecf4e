"""Version safety (issue 13, point 5): a database whose schema is newer than the program
is refused, by the app and by `cep-tui migrate`, and left as it was; a URL quoted in any
message has its password masked. On both engines."""

from __future__ import annotations

import pytest

from cep_tui.__main__ import main
from cep_tui.bootstrap import make_app
from cep_tui.config import masked
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION, NewerSchemaError, migrate, schema_version
from cep_tui.db.models import SchemaVersion

NEWER = "Cette base a été mise à jour par une version plus récente de cep-tui"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://user:secret@host/db", "postgresql://user:***@host/db"),
        ("postgrsql://user:secret@host:5432/db", "postgrsql://user:***@host:5432/db"),
        ("postgres://u:p%40ss:w@rd@10.0.0.1/x", "postgres://u:***@10.0.0.1/x"),
        ("adresse 'postgresql://a:b@h/d' refusée", "adresse 'postgresql://a:***@h/d' refusée"),
        ("postgresql://user@host/db", "postgresql://user@host/db"),
        ("sqlite:////srv/cep/cep.db", "sqlite:////srv/cep/cep.db"),
        ("postgresql://host:5432/db", "postgresql://host:5432/db"),
    ],
)
def test_urls_have_their_password_masked(url, shown):
    assert masked(url) == shown


@pytest.mark.parametrize("command", [[], ["migrate"], ["backup", "x.db"]])
def test_a_mistyped_url_never_prints_its_password(command, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["--database", "postgrsql://user:secret@db.example/cep", *command])
    err = capsys.readouterr().err
    assert code == 2
    assert "secret" not in err
    assert "postgrsql://user:***@db.example/cep" in err


def _make_newer(db) -> None:
    SchemaVersion.update(version=CURRENT_VERSION + 1).execute()


def test_a_newer_database_is_refused_by_migrate_and_left_alone(db, db_url, capsys):
    _make_newer(db)
    with pytest.raises(NewerSchemaError) as refused:
        migrate(db)
    assert NEWER in refused.value.message
    assert schema_version(db) == CURRENT_VERSION + 1
    db.close()

    assert main(["--database", db_url, "migrate"]) == 2
    err = capsys.readouterr().err
    assert NEWER in err and "étape" not in err
    reopened = open_database(db_url)
    try:
        assert schema_version(reopened) == CURRENT_VERSION + 1
    finally:
        reopened.close()


def test_a_newer_database_is_refused_by_the_app(db, db_url, counsellor, capsys):
    _make_newer(db)
    db.close()
    with pytest.raises(NewerSchemaError):
        make_app(db_url, counsellor.login, seed_demo=False)
    assert main(["--database", db_url, "--as", counsellor.login]) == 2
    assert NEWER in capsys.readouterr().err
