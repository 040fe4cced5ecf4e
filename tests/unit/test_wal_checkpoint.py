"""The write-ahead log of SQLite is folded into the database when the app is idle (a
PASSIVE checkpoint), rather than by the write that takes it past SQLite's threshold; that
automatic checkpoint stays, further away, so that the log never grows without bound.
Nothing of the kind on PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from cep_tui.db import connection
from cep_tui.db.connection import (
    WAL_AUTOCHECKPOINT_PAGES,
    WAL_SIZE_LIMIT,
    checkpoint,
    checkpoint_due,
)
from tests.factories import event_input


@pytest.fixture
def written(services, actor, world):
    """A write through the services, as the app makes them."""
    services.events.open(actor, world.fresh_dossier.id, event_input(world.counsellor.id))


@pytest.mark.sqlite_only
def test_the_automatic_checkpoint_stays_further_away(db):
    assert db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == WAL_AUTOCHECKPOINT_PAGES
    assert db.execute_sql("PRAGMA journal_size_limit").fetchone()[0] == WAL_SIZE_LIMIT
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    page_size = db.execute_sql("PRAGMA page_size").fetchone()[0]
    # Further than SQLite's 1,000 pages; a log of that size is kept, not truncated.
    assert 1_000 < WAL_AUTOCHECKPOINT_PAGES <= WAL_SIZE_LIMIT // page_size


@pytest.mark.sqlite_only
def test_a_checkpoint_is_due_once_the_writes_have_stopped_a_while(written):
    assert checkpoint_due(idle_seconds=0)
    assert not checkpoint_due(idle_seconds=60)  # the write was just now

    busy, log, done = checkpoint()

    assert busy == 0 and log > 0 and done == log  # the whole log, no reader in the way
    assert not checkpoint_due(idle_seconds=0)  # nothing written since


@pytest.mark.sqlite_only
def test_a_write_during_the_checkpoint_makes_the_next_one_due(written, services, actor, world):
    checkpoint()
    services.events.close(actor, services.events.in_progress(actor, world.fresh_dossier.id).id)

    assert checkpoint_due(idle_seconds=0)


@pytest.mark.sqlite_only
def test_the_checkpoint_runs_from_a_worker_thread(db, written):
    """As the app runs it: in a thread of its own, whose connection it closes after."""
    results = []
    worker = threading.Thread(target=lambda: results.append(checkpoint()))
    worker.start()
    worker.join()

    ((busy, log, done),) = results
    assert busy == 0 and log > 0 and done == log
    assert not db.is_closed()  # this thread's connection is left alone


def test_nothing_to_do_on_postgresql(engine, written):
    if engine == "postgresql":
        assert not checkpoint_due(idle_seconds=0)
        assert checkpoint() is None
        assert connection.row_locks()  # and its writes lock the rows they read
    else:
        assert checkpoint() is not None
        assert not connection.row_locks()  # the IMMEDIATE transaction holds the file
