"""Drill 1: eight counsellors write at once on the same ten young people, each in their own
process with their own connection to the same database (one SQLite file, or one PostgreSQL
database: the drill runs on both), for about three seconds.

Nothing may go wrong but the ordinary refusals (DomainError): no "database is locked", no
deadlock nor serialisation failure, no other exception. Afterwards every invariant holds
and the audit journal holds exactly one record per write each writer saw succeed, and none
other."""

from __future__ import annotations

import queue
from collections import Counter

from cep_tui.db.models import AuditRecord, Enrolment, Event, Proposal
from tests.reliability.checks import audit_keys, problems
from tests.reliability.support import SPAWN, processes
from tests.reliability.worker import (
    ADDED,
    DELETED,
    EVENT_CLOSED,
    EVENT_OPENED,
    PROPOSED,
    concurrent_writer,
)

DURATION = 3.0  # seconds of writing, once every writer is ready
MIN_OPERATIONS = 40  # per writer, however slow the machine


def test_eight_writers_on_the_same_dossiers(drill_world):
    logins = drill_world["logins"]
    barrier = SPAWN.Barrier(len(logins))
    results = SPAWN.Queue()
    config = {**drill_world, "duration": DURATION, "min_operations": MIN_OPERATIONS}
    targets = [
        (concurrent_writer, (config, login, 1000 + n, barrier, results))
        for n, login in enumerate(logins)
    ]
    with processes(targets):
        reports = []
        for _ in targets:
            try:
                reports.append(results.get(timeout=90))
            except queue.Empty:
                break
    assert len(reports) == len(logins), "a writer never reported"

    unexpected = [text for r in reports for text in r["unexpected"]]
    locked = [text for text in unexpected if "database is locked" in text]
    assert not locked, f"{len(locked)} 'database is locked':\n{locked[0]}"
    assert not unexpected, f"{len(unexpected)} unexpected errors:\n" + "\n\n".join(unexpected[:3])

    outcomes = sum((Counter(r["outcomes"]) for r in reports), Counter())
    committed = Counter(tuple(key) for r in reports for key in r["keys"])
    # Enough of everything happened for the drill to mean something.
    for operation in ("propose", "add", "phase_3", "modify", "close", "open_event"):
        assert outcomes[operation, "ok"] > 0, (operation, dict(outcomes))

    # Exactly one audit record per successful write, and none for anything else.
    journal = audit_keys()
    assert journal == committed, {
        "audited but not seen succeed": dict(journal - committed),
        "seen succeed but not audited": dict(committed - journal),
    }
    assert max(journal.values()) == 1

    # The rows agree with the counts of successes.
    def count(action: str) -> int:
        return sum(n for key, n in committed.items() if key[2] == action)

    assert Proposal.select().count() == count(PROPOSED)
    assert Event.select().count() == count(EVENT_OPENED)
    assert Event.select().where(Event.in_progress == False).count() == count(EVENT_CLOSED)  # noqa: E712
    assert Enrolment.select().count() == count(ADDED) - count(DELETED)
    assert AuditRecord.select().count() == sum(committed.values())

    print(sorted(outcomes.items()))  # with -s: what the drill did
    assert problems() == []
