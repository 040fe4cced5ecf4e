"""Files that hold young people's data are private whatever the umask (issue 12): under
umask 022 a new database, its WAL and shared-memory files, a backup, the error log and an
export are 0600, their new folders 0700; the app says when an existing database can be
read by others."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import pytest

from cep_tui.__main__ import warn_if_readable
from cep_tui.backup import backup
from cep_tui.bootstrap import open_services
from cep_tui.crash import log_unexpected
from cep_tui.db.connection import database_proxy
from cep_tui.exports import write_private
from cep_tui.private_files import private_folder
from tests.factories import make_structure


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_new_files_and_folders_are_private(tmp_path):
    folder = private_folder(tmp_path / "donnees" / "cep-tui")
    base = folder / "cep-tui.db"
    open_services(f"sqlite:///{base}")
    make_structure()  # a write: the WAL and shared-memory files exist
    wal, shm = base.with_name("cep-tui.db-wal"), base.with_name("cep-tui.db-shm")
    copy = backup(f"sqlite:///{base}", tmp_path / "sauvegarde.db").path
    log = log_unexpected(ValueError("x"), tmp_path / "journaux" / "cep-tui")
    export = write_private(private_folder(tmp_path / "exports") / "x.odt", b"PK")

    assert wal.exists() and shm.exists()
    for path in (base, wal, shm, copy, log, export):
        assert mode(path) == 0o600, path
    for path in (tmp_path / "donnees", folder, log.parent, log.parent.parent, export.parent):
        assert mode(path) == 0o700, path
    database_proxy.obj.close()


def test_a_database_readable_by_others_is_said(tmp_path, capsys):
    base = tmp_path / "base.db"
    base.write_bytes(b"")
    url = f"sqlite:///{base}"

    base.chmod(0o600)
    warn_if_readable(url)
    assert capsys.readouterr().err == ""

    base.chmod(0o644)
    warn_if_readable(url)
    assert f"attention, {base} est lisible par d'autres utilisateurs" in capsys.readouterr().err


@pytest.mark.usefixtures("umask_022")
def test_a_configured_group_shares_files_and_folders(tmp_path, monkeypatch):
    from cep_tui import config
    from cep_tui.private_files import create_private

    group = grp.getgrgid(os.getgid()).gr_name
    monkeypatch.setattr(config, "settings", lambda: config.Settings(file_group=group))
    folder = private_folder(tmp_path / "partage")
    assert create_private(folder / "base.db")

    assert mode(folder) == 0o2770 and mode(folder / "base.db") == 0o660
    assert (folder / "base.db").stat().st_gid == os.getgid()
