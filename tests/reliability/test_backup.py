"""Drill 7a: `cep-tui backup FICHIER` while a counsellor keeps writing, on both engines
(a SQLite copy made by VACUUM INTO; a pg_dump archive of a PostgreSQL database).

Each copy opens as a database of its own (a SQLite file passing `PRAGMA integrity_check`;
an archive restored by pg_restore into a new database), and is a consistent snapshot:
every audit record's change is in it and every change has its audit record, and it is the
live database as it was at one instant (its audit journal is a prefix of the live one)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION, schema_version
from cep_tui.db.models import AuditRecord
from cep_tui.services import Services
from tests.conftest import PG_BIN, POSTGRESQL
from tests.reliability.checks import problems
from tests.reliability.support import ROOT, run_cli, start_writer

COPIES = 3


def restored_url(copy: Path, engine: str, new_database_url) -> str:
    """The URL at which the backup `copy` opens: the file itself (SQLite), or a new
    database into which pg_restore has put it (PostgreSQL)."""
    if engine != POSTGRESQL:
        return f"sqlite:///{copy}"
    url = new_database_url()
    done = subprocess.run(
        [str(PG_BIN / "pg_restore"), "--no-owner", f"--dbname={url}", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return url


def audit_rows() -> list[tuple]:
    return list(
        AuditRecord.select(
            AuditRecord.id, AuditRecord.entity, AuditRecord.entity_id, AuditRecord.after
        )
        .order_by(AuditRecord.id)
        .tuples()
    )


def test_backup_of_a_live_database_is_a_consistent_snapshot(
    drill_world, tmp_path, db, engine, new_database_url
):
    config = {
        **drill_world,
        "login": drill_world["logins"][0],
        "seed": 7,
        "journal": str(tmp_path / "journal.jsonl"),
        "run": 0,
    }
    copies = [tmp_path / f"sauvegarde-{n}.db" for n in range(COPIES)]
    writer = start_writer(config)
    try:
        for copy in copies:
            done = run_cli("--database", drill_world["url"], "backup", str(copy), home=tmp_path)
            assert done.returncode == 0, done.stderr
            assert done.stdout.startswith("Sauvegarde enregistrée et vérifiée : ")
    finally:
        writer.kill()
        writer.communicate(timeout=30)
    live = audit_rows()
    assert live, "the writer wrote nothing"

    sizes = []
    for copy in copies:
        restored = open_database(restored_url(copy, engine, new_database_url))
        try:
            assert schema_version(restored) == CURRENT_VERSION
            assert problems() == [], copy.name
            rows = audit_rows()
            assert rows == live[: len(rows)], f"{copy.name} is not a snapshot of the live base"
            sizes.append(len(rows))
            # Restored, it works: the counsellor's dossiers and dispositifs are readable.
            services = Services()
            actor = services.counsellors.sign_in(drill_world["logins"][0])
            for dossier_id in drill_world["dossier_ids"]:
                services.cep.list(actor, dossier_id)
                services.events.list(actor, dossier_id)
        finally:
            restored.close()
    open_database(drill_world["url"])  # back to the test's database
    print(f"audit records in the copies: {sizes} of {len(live)} at the end")


def test_an_existing_file_is_kept_unless_forced(
    database_url, tmp_path, db, engine, new_database_url
):
    existing = tmp_path / "precieux.db"
    existing.write_bytes(b"ne pas effacer")

    refused = run_cli("--database", database_url, "backup", str(existing), home=tmp_path)

    assert refused.returncode != 0
    assert refused.stderr.strip() == (
        f"cep-tui : Le fichier {existing} existe déjà : choisissez un autre nom, ou ajoutez "
        "--force pour le remplacer."
    )
    assert existing.read_bytes() == b"ne pas effacer"

    forced = run_cli("--database", database_url, "backup", str(existing), "--force", home=tmp_path)

    assert forced.returncode == 0, forced.stderr
    copy = open_database(restored_url(existing, engine, new_database_url))
    try:
        assert schema_version(copy) == CURRENT_VERSION
    finally:
        copy.close()
        open_database(database_url)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partiel")] == []


def test_postgresql_without_pg_dump_is_one_french_sentence(tmp_path):
    done = run_cli(
        "--database",
        "postgresql://cep@localhost/cep",
        "backup",
        str(tmp_path / "x.dump"),
        home=tmp_path,
        path=str(tmp_path / "vide"),
    )

    assert done.returncode != 0
    assert done.stderr.startswith("cep-tui : pg_dump est introuvable")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.dump").exists()


@pytest.mark.postgresql_only
def test_postgresql_unreachable_is_one_french_sentence(tmp_path, postgres_server):
    missing = postgres_server.url("base_absente")

    done = run_cli("--database", missing, "backup", str(tmp_path / "x.dump"), home=tmp_path)

    assert done.returncode != 0
    assert done.stderr.startswith("cep-tui : pg_dump a échoué : ")
    assert "base_absente" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir() if "x.dump" in p.name] == []


@pytest.mark.sqlite_only
def test_a_missing_database_is_not_created_by_a_backup(tmp_path):
    missing = tmp_path / "absente.db"

    done = run_cli(
        "--database", f"sqlite:///{missing}", "backup", str(tmp_path / "copie.db"), home=tmp_path
    )

    assert done.returncode != 0
    assert done.stderr.strip() == f"cep-tui : Base de données introuvable : {missing}."
    assert not missing.exists()
    assert not (tmp_path / "copie.db").exists()


def test_a_full_disk_during_a_backup_is_said_so_and_leaves_nothing(tmp_path):
    """The copy meets a full disk (the process may not write more than 96 kB: as a full
    disk, for SQLite, whose copy is 300 kB): one sentence about the copy, no half file."""
    base, target = tmp_path / "cep.db", tmp_path / "copies" / "sauvegarde.db"
    target.parent.mkdir()
    assert run_cli("--database", f"sqlite:///{base}", "migrate", home=tmp_path).returncode == 0
    limit = 96 * 1024

    done = subprocess.run(
        [sys.executable, "-m", "cep_tui", "--database", f"sqlite:///{base}", "backup", str(target)],
        cwd=ROOT,
        env={**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")},
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),
    )

    assert done.returncode == 2
    line = done.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.startswith("cep-tui : Disque plein : la sauvegarde n'a pas été écrite.") or (
        line.startswith("cep-tui : Erreur d'écriture sur le disque : la sauvegarde")
    )
    assert "La base n'a pas changé" in line
    assert list(target.parent.iterdir()) == []
