"""The drills trust `checks.problems()` to see a half-written database: it must. Each test
breaks one thing behind the services' back and expects it reported."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.db import audit_chain
from cep_tui.db.models import AuditRecord, Enrolment, EventAction, PhasePeriod
from tests.factories import cep_add_input, event_input, make_dossier, make_enrolment
from tests.reliability.checks import problems


@pytest.fixture
def followed(services, actor, counsellor, dossier):
    """A dossier with an event in progress and a CEP passed to phase 3, by the services."""
    services.events.open(actor, dossier.id, event_input(counsellor.id))
    cep = services.cep.add(actor, dossier.id, cep_add_input())
    return services.cep.pass_to_phase_3(actor, cep.id, "15/10/2026", cep.version)


def test_a_consistent_database_has_no_problem(followed):
    assert problems() == []


def test_a_row_without_its_audit_record(followed, structure, counsellor):
    make_enrolment(make_dossier(structure), counsellor)

    assert any("has no audit record" in p for p in problems())


def test_an_audit_record_without_its_change(followed):
    Enrolment.update(prescriber_name="jamais audité").where(Enrolment.id == followed.id).execute()

    assert any("differs from its last audit record" in p for p in problems())


def test_an_audit_record_whose_row_is_gone(followed):
    PhasePeriod.delete().execute()
    Enrolment.delete().execute()

    assert any(p.startswith(f"enrolment {followed.id}: row None") for p in problems())


def test_an_enrolment_without_its_phases(followed):
    PhasePeriod.delete().where(PhasePeriod.enrolment == followed.id).execute()

    assert f"enrolment {followed.id} has no phase" in problems()


def test_phase_2_not_ending_on_the_eve_of_phase_3(followed):
    PhasePeriod.update(end_date=dt.date(2026, 10, 10)).where(PhasePeriod.phase == 2).execute()

    assert any("not the eve" in p for p in problems())


def test_an_action_in_another_dossier_s_event(followed, services, actor, structure, counsellor):
    other = make_dossier(structure, last_name="Autre")
    elsewhere = services.events.open(actor, other.id, event_input(counsellor.id))
    EventAction.update(event=elsewhere.id).where(EventAction.kind == "passage_phase_3").execute()

    assert any("actions" in p and "audited operations" in p for p in problems())


def test_an_audit_chain_with_a_gap(db, followed):
    audit_chain.uninstall(db)  # the database itself refuses the deletion
    AuditRecord.delete().where(AuditRecord.action == "Passage en phase 3").execute()

    assert any("differs from its last audit record" in p for p in problems())


@pytest.mark.sqlite_only
def test_search_keys_out_of_step_with_the_rows(db, followed):
    db.execute_sql("DELETE FROM dossier_search_key WHERE key = 'lef'")
    db.execute_sql("INSERT INTO offer_search_key VALUES (1, 'fantome', 0, 'fantome', 999)")

    found = problems()
    assert any(p.startswith("dossier_search_key: 0 entries too many, 1 missing") for p in found)
    assert any(p.startswith("offer_search_key: 1 entries too many, 0 missing") for p in found)
