"""Drill 3: two counsellors, in two processes, add a CEP for the same young person at the
same instant, ten times over (one dossier per round). Exactly one succeeds each time; the
other is told, as usual, that the young person already has a CEP in progress."""

from __future__ import annotations

import queue
from collections import defaultdict

from cep_tui.db.models import AuditRecord, Enrolment
from cep_tui.services.cep import CEP_ALREADY_IN_PROGRESS
from tests.reliability.checks import problems
from tests.reliability.support import SPAWN, processes
from tests.reliability.worker import race_adder


def test_two_counsellors_add_a_cep_for_the_same_young_person_at_once(drill_world):
    racers = drill_world["logins"][:2]
    rounds = drill_world["dossier_ids"]
    barrier = SPAWN.Barrier(len(racers))
    results = SPAWN.Queue()
    with processes([(race_adder, (drill_world, login, barrier, results)) for login in racers]):
        outcomes = []
        for _ in range(len(racers) * len(rounds)):
            try:
                outcomes.append(results.get(timeout=60))
            except queue.Empty:
                break

    unexpected = [o for o in outcomes if o[2] == "unexpected"]
    assert not unexpected, unexpected[0][3]
    per_dossier = defaultdict(list)
    for login, dossier_id, outcome, detail in outcomes:
        per_dossier[dossier_id].append((outcome, detail, login))
    assert sorted(per_dossier) == sorted(rounds)
    for dossier_id, (one, other) in ((d, sorted(o)) for d, o in per_dossier.items()):
        # sorted: "RuleViolation" < "ok"
        assert (one[0], one[1]) == ("RuleViolation", CEP_ALREADY_IN_PROGRESS), dossier_id
        assert other[0] == "ok", dossier_id
        assert Enrolment.select().where(Enrolment.dossier == dossier_id).count() == 1
    assert AuditRecord.select().count() == len(rounds)
    assert problems() == []
