"""Opening a dossier costs a fixed number of queries, whatever its history: the services
the dossier screen calls read a young person with 500 events in as many queries as one
with 5 (no query per event, action, proposal or dispositif). Counted, never timed: speed
is measured by `make bench`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from cep_tui.db.models import Dossier, EventAction, Proposal
from cep_tui.services.views import CatalogueKind
from cep_tui.vocabulary import ActionKind
from tests.factories import (
    NOW,
    TODAY,
    cep_add_input,
    cep_modify_input,
    event_input,
    make_dossier,
    make_enrolment,
    make_event,
    make_offer,
    offer_input,
    proposal_input,
)

# What opening a dossier reads, section by section, first pages only.
OPENING_QUERIES_AT_MOST = 45


@contextmanager
def counting(db) -> Iterator[list[str]]:
    """The SQL statements `db` runs inside the block."""
    statements: list[str] = []
    execute = db.execute_sql

    def counted(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return execute(sql, params, *args, **kwargs)

    db.execute_sql = counted
    try:
        yield statements
    finally:
        del db.execute_sql


@pytest.fixture
def dossier_with(structure, counsellor, colleague) -> Callable[[int], Dossier]:
    """A dossier with `n` events (the last in progress), each with two actions by two
    counsellors, a proposal every third event, and a closed CEP before the current one."""
    offer = make_offer(structure, counsellor)
    names = iter(f"Historique{i}" for i in range(100))

    def build(n: int) -> Dossier:
        dossier = make_dossier(structure, last_name=next(names), referent=counsellor)
        make_enrolment(
            dossier,
            counsellor,
            status="cloture",
            entry_date=dt.date(2025, 1, 6),
            end_date=dt.date(2025, 6, 30),
            exit_reason="demenagement",
        )
        make_enrolment(dossier, counsellor, phase_3_start=dt.date(2026, 10, 15))
        for i in range(n):
            event = make_event(
                dossier,
                counsellor if i % 2 else colleague,
                event_date=TODAY - dt.timedelta(days=n - i),
                primary="CEP" if i % 2 else "Événement général",
                nature="Entretien individuel" if i % 3 else "Atelier",
                in_progress=i == n - 1,
            )
            for who in (counsellor, colleague):
                EventAction.create(
                    event=event,
                    kind=ActionKind.DISPOSITIF_ADDED.value,
                    description="Ajout du CEP",
                    at=NOW,
                    counsellor=who,
                )
            if i % 3 == 0:
                Proposal.create(
                    dossier=dossier,
                    offer=offer,
                    event=event,
                    counsellor=counsellor,
                    proposed_on=event.event_date,
                    created_at=NOW,
                )
        return dossier

    return build


def open_dossier(services, actor, dossier_id: int) -> None:
    """What the dossier screen reads: the title, the synthesis, then each section's first
    page (dispositifs, events, proposals)."""
    services.dossiers.get(actor, dossier_id)
    services.dossiers.synthesis(actor, dossier_id)
    services.cep.list(actor, dossier_id)
    services.events.list(actor, dossier_id)
    services.proposals.list_for_dossier(actor, dossier_id)


def test_opening_a_dossier_costs_the_same_with_5_or_500_events(db, services, actor, dossier_with):
    small, large = dossier_with(5), dossier_with(500)
    open_dossier(services, actor, small.id)  # reference lists and the like, once loaded

    with counting(db) as for_small:
        open_dossier(services, actor, small.id)
    with counting(db) as for_large:
        open_dossier(services, actor, large.id)

    assert len(for_large) == len(for_small), "\n".join(for_large)
    assert len(for_small) <= OPENING_QUERIES_AT_MOST, "\n".join(for_small)


def test_the_first_pages_are_pages(db, services, actor, dossier_with):
    large = dossier_with(500)

    events = services.events.list(actor, large.id)
    proposals = services.proposals.list_for_dossier(actor, large.id)

    assert (len(events.items), events.has_more) == (50, True)
    assert all(len(e.actions) == 2 for e in events.items)
    assert (len(proposals.items), proposals.has_more) == (50, True)
    assert services.dossiers.synthesis(actor, large.id).events_count == 500


@pytest.mark.parametrize("text", ["", "hist", "historique1", "historique1 oedipe", "0000"])
def test_a_search_costs_the_same_however_many_rows_match(
    db, services, actor, structure, counsellor, text
):
    """Each dossier search is a bounded handful of queries (the words' key counts, then
    one page), never one per row."""
    for i in range(30):
        make_dossier(structure, last_name=f"Historique{i}", referent=counsellor)
    with counting(db) as few_rows:
        services.dossiers.search(actor, text)
    for i in range(30, 300):
        make_dossier(structure, last_name=f"Historique{i}", referent=counsellor)
    with counting(db) as many_rows:
        services.dossiers.search(actor, text)

    assert len(many_rows) == len(few_rows) <= 4 + len(text.split())


def test_searching_offers_costs_a_few_queries(db, services, actor, structure, counsellor):
    for i in range(60):
        make_offer(structure, counsellor, name=f"Atelier {i}")
    with counting(db) as catalogue:
        services.offers.search_catalogue(actor, "atelier", CatalogueKind.INTERNAL)
    with counting(db) as listing:
        services.offers.list(actor, "atelier")

    assert len(catalogue) <= 4 and len(listing) <= 3, catalogue + listing


# What each write costs, every statement counted (SAVEPOINT and RELEASE too): the rights
# are read once per call, the reference values a form submits in one query, and the view
# handed back is built from what the transaction wrote (a CEP passed to phase 3 or closed
# reads its three reference values for it, in one query). On PostgreSQL a write to an
# existing record locks its dossier first (learning in the same query whether it was
# anonymised), then reads the record again (two more); on SQLite it asks whether the
# dossier was anonymised (one more: issue 17).
WRITE_QUERIES_AT_MOST = {
    "events.open": 6,
    "proposals.propose": 7,
    "cep.add": 11,  # with an event in progress: the action it records there
    "cep.modify": 8,
    "cep.pass_to_phase_3": 10,
    "cep.close": 9,
    "events.close": 7,
    "cep.delete": 7,
    "offers.create": 4,
    "offers.modify": 6,
}
RELOCKED = {"cep.modify", "cep.pass_to_phase_3", "cep.close", "events.close", "cep.delete"}


def test_each_write_costs_a_few_queries(db, engine, services, actor, world):
    """A counsellor's day with a young person, each write counted: an event, a proposal of
    the CEP offer, the CEP added, modified, passed to phase 3 and closed, the event closed;
    then a CEP added by mistake and deleted; an offer created and modified."""
    dossier_id = world.fresh_dossier.id
    event_form, add_form, modify_form = (
        event_input(world.counsellor.id),
        cep_add_input(),
        cep_modify_input(),
    )
    new_offer, changed_offer = (
        offer_input(world.counsellor.id),
        offer_input(world.counsellor.id, name="Nouveau nom"),
    )
    counts: dict[str, int] = {}

    def counted(name: str, call, *args):
        with counting(db) as statements:
            result = call(*args)
        counts[name] = len(statements)
        return result

    event = counted("events.open", services.events.open, actor, dossier_id, event_form)
    counted(
        "proposals.propose",
        services.proposals.propose,
        actor,
        dossier_id,
        world.offer_id,
        proposal_input(),
    )
    cep = counted("cep.add", services.cep.add, actor, dossier_id, add_form)
    counted("cep.modify", services.cep.modify, actor, cep.id, modify_form, cep.version)
    counted("cep.pass_to_phase_3", services.cep.pass_to_phase_3, actor, cep.id, "02/10/2026")
    counted("cep.close", services.cep.close, actor, cep.id, "28/11/2026", "plan_action_realise")
    counted("events.close", services.events.close, actor, event.id)
    # After the first one's end: CEPs never overlap.
    mistake = services.cep.add(actor, dossier_id, cep_add_input(entry_date="29/11/2026"))
    counted("cep.delete", services.cep.delete, actor, mistake.id, mistake.version)
    offer = counted("offers.create", services.offers.create, actor, new_offer)
    counted("offers.modify", services.offers.modify, actor, offer.id, changed_offer)

    relocking = 2 if engine == "postgresql" else 1
    at_most = {
        name: limit + (relocking if name in RELOCKED else 0)
        for name, limit in WRITE_QUERIES_AT_MOST.items()
    }
    assert {name: n for name, n in counts.items() if n > at_most[name]} == {}, counts
