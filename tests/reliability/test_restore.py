"""Drill 11: `cep-tui restore FICHIER` puts a backup back without making things worse: the
backup is checked first, the base being replaced is kept aside with its write-ahead log, a
stale `-wal`/`-shm` never meets the restored file, and nothing happens while a session has
the base open. On PostgreSQL the command says how to restore into a new base."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION
from tests.reliability.support import ROOT, run_cli


def url_of(path: Path) -> str:
    return f"sqlite:///{path}"


def structures(path: Path) -> list[str]:
    """The structures' codes in the base at `path` (with its -wal, if one is beside it)."""
    base = sqlite3.connect(str(path))
    try:
        return [row[0] for row in base.execute("SELECT code FROM structure ORDER BY code")]
    finally:
        base.close()


def add_structure(path: Path, code: str, *, leave_wal: bool = False) -> None:
    """Add a structure, in a process of its own; `leave_wal`: it dies without closing, as a
    killed session would, leaving its -wal (never folded into the base) and -shm beside."""
    script = (
        "import os, sqlite3, sys\n"
        "base = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "base.execute('PRAGMA journal_mode = wal')\n"
        "base.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "base.execute('INSERT INTO structure (code, name) VALUES (?, ?)', (sys.argv[2], 'X'))\n"
        "os._exit(0) if sys.argv[3] == '1' else base.close()\n"
    )
    subprocess.run(
        [sys.executable, "-c", script, str(path), code, "1" if leave_wal else "0"],
        check=True,
        timeout=60,
    )


@pytest.fixture
def base_and_backup(tmp_path) -> tuple[Path, Path]:
    """A base holding structure ML1, and its backup (taken by `cep-tui backup`)."""
    base, backup = tmp_path / "cep.db", tmp_path / "sauvegarde.db"
    assert run_cli("--database", url_of(base), "migrate", home=tmp_path).returncode == 0
    add_structure(base, "ML1")
    done = run_cli("--database", url_of(base), "backup", str(backup), home=tmp_path)
    assert done.returncode == 0, done.stderr
    return base, backup


def restore(base: Path, backup: Path, home: Path) -> subprocess.CompletedProcess:
    return run_cli("--database", url_of(base), "restore", str(backup), home=home)


def test_restore_puts_the_backup_back_and_keeps_the_replaced_base(base_and_backup, tmp_path):
    base, backup = base_and_backup
    add_structure(base, "ML2")  # written after the backup

    done = restore(base, backup, tmp_path)

    assert done.returncode == 0, done.stderr
    assert structures(base) == ["ML1"]
    (kept,) = tmp_path.glob("cep.db.avant-restauration-*")
    assert structures(kept) == ["ML1", "ML2"]
    assert "Base restaurée" in done.stdout and str(kept) in done.stdout
    assert structures(backup) == ["ML1"]  # the backup itself is left as it was


def test_a_stale_write_ahead_log_never_meets_the_restored_base(base_and_backup, tmp_path):
    base, backup = base_and_backup
    add_structure(base, "ML3", leave_wal=True)  # a session killed: its log is left beside
    wal, shm = Path(f"{base}-wal"), Path(f"{base}-shm")
    assert wal.stat().st_size > 0 and shm.exists()

    done = restore(base, backup, tmp_path)

    assert done.returncode == 0, done.stderr
    assert not shm.exists() and not wal.exists()
    assert str(shm) in done.stdout  # said
    database = open_database(url_of(base))  # as the app opens it
    try:
        assert [row[0] for row in database.execute_sql("PRAGMA integrity_check")] == ["ok"]
        assert [r[0] for r in database.execute_sql("SELECT code FROM structure")] == ["ML1"]
    finally:
        database.close()
    # The replaced base kept its last transaction, in the log renamed with it.
    (kept,) = [
        p for p in tmp_path.glob("cep.db.avant-restauration-*") if not p.name.endswith("-wal")
    ]
    assert Path(f"{kept}-wal").exists()
    assert structures(kept) == ["ML1", "ML3"]


def test_restore_is_refused_while_a_session_has_the_base_open(base_and_backup, tmp_path):
    base, backup = base_and_backup
    add_structure(base, "ML2")
    session = open_database(url_of(base))  # the app, as a counsellor runs it
    try:
        session.execute_sql("SELECT count(*) FROM structure").fetchone()

        done = restore(base, backup, tmp_path)

        assert done.returncode == 2
        assert "ouverte par une session" in done.stderr and "Rien n'a été changé" in done.stderr
        assert "Traceback" not in done.stderr
        assert not list(tmp_path.glob("cep.db.avant-restauration-*"))
    finally:
        session.close()
        session.close_all()
    assert structures(base) == ["ML1", "ML2"]


@pytest.mark.parametrize("damage", ["garbled pages", "not a database"])
def test_a_damaged_backup_is_refused_and_nothing_changes(base_and_backup, tmp_path, damage):
    base, backup = base_and_backup
    add_structure(base, "ML2")
    if damage == "not a database":
        backup.write_bytes(b"ceci n'est pas une sauvegarde" * 400)
    else:
        data = bytearray(backup.read_bytes())
        data[4096 * 2 : 4096 * 6] = b"\xa5" * (4096 * 4)  # pages 3 to 6, header intact
        backup.write_bytes(bytes(data))

    done = restore(base, backup, tmp_path)

    assert done.returncode == 2
    line = done.stderr.strip()
    assert line.startswith("cep-tui : ") and "\n" not in line and "Traceback" not in line
    assert "endommagée" in line or "pas une sauvegarde" in line
    assert structures(base) == ["ML1", "ML2"]
    assert not list(tmp_path.glob("cep.db.avant-restauration-*"))
    assert not list(tmp_path.glob(".cep.db.restauration-*"))


def test_a_damaged_base_is_said_so_and_restore_replaces_it(base_and_backup, tmp_path):
    base, backup = base_and_backup
    data = bytearray(base.read_bytes())
    data[100:4096] = b"\x00" * (4096 - 100)  # the schema's page: nothing can be read
    base.write_bytes(bytes(data))

    started = run_cli("--database", url_of(base), "--as", "c.dupont", home=tmp_path)
    assert started.returncode == 2
    assert "endommagée" in started.stderr or "pas une base de données" in started.stderr
    assert "cep-tui restore" in started.stderr and "Traceback" not in started.stderr

    done = restore(base, backup, tmp_path)

    assert done.returncode == 0, done.stderr
    assert structures(base) == ["ML1"]


def test_a_backup_of_an_unknown_later_schema_is_refused(base_and_backup, tmp_path):
    base, backup = base_and_backup
    later = sqlite3.connect(str(backup))
    later.execute("UPDATE schema_version SET version = ?", (CURRENT_VERSION + 1,))
    later.commit()
    later.close()

    done = restore(base, backup, tmp_path)

    assert done.returncode == 2 and "version plus récente" in done.stderr


def test_on_postgresql_the_command_says_how_to_restore_into_a_new_base(tmp_path):
    archive = tmp_path / "sauvegarde.dump"
    archive.write_bytes(b"PGDMP")
    url = "postgresql://cep_tui@127.0.0.1:1/cep_tui"

    done = subprocess.run(
        [sys.executable, "-m", "cep_tui", "--database", url, "restore", str(archive)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 2
    assert "pg_restore" in done.stderr and "base neuve" in done.stderr
    assert f"--dbname=cep_tui_restauree {archive}" in done.stderr
