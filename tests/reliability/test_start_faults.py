"""Drill 12: starting under a fault. A start on an up-to-date base only reads (the schema's
version first): it never waits for a colleague's write nor for another start's upgrade,
and a base that refuses writes still opens, to say « lecture seule » at the first save.
The command line says what a fault is, in one French sentence, never a traceback."""

from __future__ import annotations

import contextlib
import subprocess
import sys

import pytest

from cep_tui.bootstrap import make_app
from cep_tui.clock import FixedClock
from cep_tui.db.connection import WaitLimits
from cep_tui.services.errors import DatabaseUnavailable
from tests.factories import NOW, cep_add_input
from tests.reliability.fault_injection import migration_running, read_only, write_lock_held
from tests.reliability.support import ROOT

QUICK = WaitLimits(lock_seconds=1)


def start(db_url: str):
    return make_app(db_url, "alice", FixedClock(NOW), seed_demo=False, limits=QUICK)


def test_a_start_never_waits_for_a_colleague_s_write(engine, db, db_url, counsellor, dossier):
    holders = [write_lock_held(db_url, dossier.id)]
    if engine == "postgresql":
        holders.append(migration_running(db_url))
    with contextlib.ExitStack() as stack:
        still_held = [stack.enter_context(holder) for holder in holders]
        app = start(db_url)
        assert app.actor.login == "alice"
        assert app.services.dossiers.search(app.actor, "").items
        assert all(held() for held in still_held)  # started while they held their locks


@pytest.mark.postgresql_only
def test_a_read_only_base_opens_and_says_so_at_the_first_save(engine, db, db_url, dossier):
    with read_only(db_url):
        app = start(db_url)
        assert app.services.dossiers.search(app.actor, "").items
        with pytest.raises(DatabaseUnavailable) as refused:
            app.services.cep.add(app.actor, dossier.id, cep_add_input())
        assert refused.value.message.startswith("Base en lecture seule : rien n'a été enregistré")


def test_a_missing_postgresql_driver_names_the_package(tmp_path):
    script = (
        "import sys; sys.modules['psycopg2'] = None\n"  # as without the extra
        "from cep_tui.__main__ import main\n"
        "sys.exit(main(['--database', 'postgresql://cep@127.0.0.1:1/cep', '--as', 'x']))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 2
    assert done.stderr.strip() == (
        "cep-tui : Le pilote PostgreSQL n'est pas installé : installez le paquet Python "
        "psycopg2-binary (pip install 'cep-tui[postgres]')."
    )
