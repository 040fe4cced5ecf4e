"""The writer processes of the reliability drills. Each one opens the database itself
(`open_database`), signs its counsellor in and runs random CEP operations through the
services, as a counsellor at a terminal would.

- `concurrent_writer`: one of the 8 writers of the concurrency drill (multiprocessing,
  "spawn" context); reports what it committed and anything unexpected.
- `race_adder`: one of the two writers that add a CEP to the same dossier at the same
  instant, round after round.
- `python -m tests.reliability.worker '<json>'`: the crash writer, which loops until it is
  killed and appends to a journal (fsync) every operation it saw committed.

A committed operation is described by the audit records it must have written, as keys
(entity, entity id, action, version of the dispositif after the write).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass

from cep_tui.clock import FixedClock
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import migrate
from cep_tui.db.models import Event
from cep_tui.services import Services
from cep_tui.services.cep import CepAddInput
from cep_tui.services.errors import DomainError
from cep_tui.services.views import Actor
from cep_tui.vocabulary import ExitReason, ReferenceKind
from tests.factories import (
    NOW,
    TODAY,
    cep_add_input,
    cep_modify_input,
    event_input,
    proposal_input,
    ref_id,
)

ADDED = "Ajout du dispositif CEP"
PHASE_3 = "Passage en phase 3"
MODIFIED = "Modification du dispositif CEP"
CLOSED = "Clôture du dispositif CEP"
DELETED = "Suppression du dispositif CEP"
EVENT_OPENED = "Ouverture d'évènement"
EVENT_CLOSED = "Clôture d'évènement"
PROPOSED = "Proposition d'offre"

# (operation, weight): deletions are rarer than the rest, as in real life.
OPERATIONS = (
    ("propose", 3),
    ("add", 4),
    ("phase_3", 3),
    ("modify", 4),
    ("close", 3),
    ("delete", 1),
    ("open_event", 3),
    ("close_event", 3),
)

Key = tuple[str, int, str, int | None]


@dataclass(frozen=True)
class Done:
    """A committed operation: the audit records it wrote."""

    operation: str
    keys: tuple[Key, ...]


class Writer:
    """Random operations of one counsellor on a set of dossiers, with a seeded choice."""

    def __init__(
        self,
        services: Services,
        actor: Actor,
        dossier_ids: list[int],
        offer_id: int,
        rng: random.Random,
    ):
        self.services = services
        self.actor = actor
        self.dossier_ids = dossier_ids
        self.offer_id = offer_id
        self.rng = rng
        # Events this counsellor opened (before this process too): a proposal opened its
        # event if that event is this counsellor's and not among these.
        self.events_of_mine = {
            e.id for e in Event.select(Event.id).where(Event.created_by == actor.id)
        }
        self.referrers = [ref_id(ReferenceKind.REFERRER, label) for label in ("APEC", "Autre")]
        self.names, self.weights = zip(*OPERATIONS, strict=True)

    def choose(self) -> tuple[str, int]:
        """A random operation and the dossier it acts on."""
        return self.rng.choices(self.names, self.weights)[0], self.rng.choice(self.dossier_ids)

    def run(self, operation: str, dossier_id: int) -> Done | None:
        """Done when the operation committed, None when there was nothing to act on; the
        refusals (DomainError) propagate."""
        return getattr(self, operation)(dossier_id)

    # -- the operations ----------------------------------------------------------------
    def _day(self, earliest: dt.date, latest: dt.date) -> dt.date:
        return earliest + dt.timedelta(days=self.rng.randint(0, (latest - earliest).days))

    def propose(self, dossier_id: int) -> Done:
        event = event_input(self.actor.id, event_date=self._day(dt.date(2026, 11, 1), TODAY))
        view = self.services.proposals.propose(
            self.actor, dossier_id, self.offer_id, proposal_input(event, comment="Proposé")
        )
        keys: list[Key] = []
        if (
            view.event_id not in self.events_of_mine
            and Event.get_by_id(view.event_id).created_by_id == self.actor.id
        ):
            keys.append(("event", view.event_id, EVENT_OPENED, None))
            self.events_of_mine.add(view.event_id)
        keys.append(("proposal", view.id, PROPOSED, None))
        return Done("propose", tuple(keys))

    def add(self, dossier_id: int) -> Done:
        phase = self.rng.choice((2, 2, 2, 3))
        entry = self._day(dt.date(2026, 9, 1), TODAY)
        form: CepAddInput = cep_add_input(
            entry_date=entry.strftime("%d/%m/%Y"),
            phase=phase,
            initial_interview_date=entry - dt.timedelta(days=self.rng.randint(0, 10)),
            prescriber_name=self.rng.choice(("", "Mme Prescriptrice", "M. Œuvre")),
        )
        view = self.services.cep.add(self.actor, dossier_id, form)
        return Done("add", (("enrolment", view.id, ADDED, 1),))

    def _enrolment(self, dossier_id: int):
        """The CEP in progress of the dossier, or any of its dispositifs (to be refused)."""
        current = self.services.cep.in_progress(self.actor, dossier_id)
        if current is not None and self.rng.random() < 0.9:
            return current
        every = self.services.cep.list(self.actor, dossier_id)
        return self.rng.choice(every) if every else None

    def phase_3(self, dossier_id: int) -> Done | None:
        view = self._enrolment(dossier_id)
        if view is None:
            return None
        # From the entry day itself (refused) to two months later (some in the future).
        start = view.entry_date + dt.timedelta(days=self.rng.randint(0, 60))
        self.services.cep.pass_to_phase_3(self.actor, view.id, start, view.version)
        return Done("phase_3", (("enrolment", view.id, PHASE_3, view.version + 1),))

    def modify(self, dossier_id: int) -> Done | None:
        view = self._enrolment(dossier_id)
        if view is None:
            return None
        form = cep_modify_input(
            referrer_id=self.rng.choice(self.referrers),
            prescriber_name=f"Prescripteur {self.rng.randint(1, 999)}",
            referent_name="R" * self.rng.choice((5, 20, 101)),  # 101 is refused
        )
        self.services.cep.modify(self.actor, view.id, form, view.version)
        return Done("modify", (("enrolment", view.id, MODIFIED, view.version + 1),))

    def close(self, dossier_id: int) -> Done | None:
        view = self._enrolment(dossier_id)
        if view is None:
            return None
        earliest = view.current_phase_start - dt.timedelta(days=2)  # some refused
        end = self._day(min(earliest, TODAY), TODAY + dt.timedelta(days=1))
        reason = self.rng.choice(list(ExitReason))
        self.services.cep.close(self.actor, view.id, end, reason, view.version)
        return Done("close", (("enrolment", view.id, CLOSED, view.version + 1),))

    def delete(self, dossier_id: int) -> Done | None:
        view = self._enrolment(dossier_id)
        if view is None:
            return None
        self.services.cep.delete(self.actor, view.id, view.version)
        return Done("delete", (("enrolment", view.id, DELETED, None),))

    def open_event(self, dossier_id: int) -> Done:
        day = self._day(dt.date(2026, 11, 1), TODAY)
        view = self.services.events.open(
            self.actor, dossier_id, event_input(self.actor.id, event_date=day)
        )
        self.events_of_mine.add(view.id)
        return Done("open_event", (("event", view.id, EVENT_OPENED, None),))

    def close_event(self, dossier_id: int) -> Done | None:
        event = self.services.events.in_progress(self.actor, dossier_id)
        if event is None:
            return None
        self.services.events.close(self.actor, event.id)
        return Done("close_event", (("event", event.id, EVENT_CLOSED, None),))


def open_writer(url: str, login: str, dossier_ids, offer_id: int, seed: int) -> Writer:
    """Open the database in this process and sign the counsellor in."""
    open_database(url)
    services = Services(FixedClock(NOW))
    actor = services.counsellors.sign_in(login)
    return Writer(services, actor, list(dossier_ids), offer_id, random.Random(seed))


def describe(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)).strip()


# -- drill 1: concurrent writers -------------------------------------------------------
def concurrent_writer(config: dict, login: str, seed: int, barrier, results) -> None:
    """Run random operations for `config["duration"]` seconds (and at least
    `config["min_operations"]`) once every writer is ready;
    put a report on `results`: committed keys, counts per operation and outcome, and
    every exception that is not a DomainError (a "database is locked" included)."""
    report: dict = {"login": login, "keys": [], "outcomes": Counter(), "unexpected": []}
    try:
        writer = open_writer(config["url"], login, config["dossier_ids"], config["offer_id"], seed)
        barrier.wait(timeout=60)
        # The time asked for, and at least a minimum of operations on a slow machine.
        started = time.monotonic()
        attempts = 0
        while time.monotonic() - started < config["duration"] or (
            attempts < config["min_operations"] and time.monotonic() - started < 60
        ):
            attempts += 1
            operation, dossier_id = writer.choose()
            try:
                done = writer.run(operation, dossier_id)
            except DomainError as refusal:
                report["outcomes"][(operation, type(refusal).__name__)] += 1
            except Exception as error:
                report["outcomes"][(operation, "unexpected")] += 1
                report["unexpected"].append(describe(error))
            else:
                report["outcomes"][(operation, "ok" if done else "nothing to do")] += 1
                if done:
                    report["keys"].extend(done.keys)
    except BaseException as error:  # the parent must hear about it, whatever it is
        barrier.abort()  # and the other writers must not wait for this one
        report["unexpected"].append(describe(error))
    finally:
        results.put(report)


# -- drill 3: the same young person at the same instant --------------------------------
def race_adder(config: dict, login: str, barrier, results) -> None:
    """For each dossier in turn: wait for the other writer, then add a CEP."""
    try:
        writer = open_writer(config["url"], login, config["dossier_ids"], 0, 0)
        for dossier_id in config["dossier_ids"]:
            barrier.wait(timeout=60)
            try:
                view = writer.services.cep.add(writer.actor, dossier_id, cep_add_input())
            except DomainError as refusal:
                results.put((login, dossier_id, type(refusal).__name__, refusal.message))
            except Exception as error:
                results.put((login, dossier_id, "unexpected", describe(error)))
            else:
                results.put((login, dossier_id, "ok", view.id))
    except BaseException as error:
        barrier.abort()
        results.put((login, None, "unexpected", describe(error)))


# -- drill 7: counsellors starting the application at once on a database to upgrade ---
def starter(url: str, barrier, results) -> None:
    """Open the database and bring it up to date, as the application does on start."""
    try:
        db = open_database(url)
        barrier.wait(timeout=60)
        results.put(("ok", migrate(db)))
    except BaseException as error:
        barrier.abort()
        results.put(("unexpected", describe(error)))


# -- drill 4 (and the backup drill): the writer that gets killed -----------------------
def crash_writer(config: dict) -> int:
    """Loop until killed; after each committed operation, append a line to the journal
    and fsync it, so the journal never claims more than the database committed."""
    writer = open_writer(
        config["url"], config["login"], config["dossier_ids"], config["offer_id"], config["seed"]
    )
    journal = os.open(config["journal"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    print("ready", flush=True)
    while True:
        try:
            done = writer.run(*writer.choose())
        except DomainError:
            continue
        except Exception as error:
            print(describe(error), file=sys.stderr, flush=True)
            return 3
        if done:
            line = json.dumps({"run": config["run"], "keys": done.keys}) + "\n"
            os.write(journal, line.encode())
            os.fsync(journal)


if __name__ == "__main__":
    sys.exit(crash_writer(json.loads(sys.argv[1])))
