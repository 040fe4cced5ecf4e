"""The database as second line of defence: with the services bypassed, the partial unique
indexes and the CHECK constraints still refuse what the rules forbid."""

from __future__ import annotations

import datetime as dt

import pytest
from peewee import IntegrityError

from cep_tui.db.models import Enrolment, Event, Offer, PhasePeriod, Proposal, ReferenceValue
from cep_tui.vocabulary import EnrolmentStatus
from tests.factories import NOW, make_enrolment, make_event, make_offer


def test_a_second_cep_in_progress_is_refused(dossier, counsellor):
    make_enrolment(dossier, counsellor, with_phases=False)

    with pytest.raises(IntegrityError):
        make_enrolment(dossier, counsellor, with_phases=False)


def test_the_unique_index_is_restricted_to_rows_in_progress(dossier, counsellor):
    for year in (2024, 2025):  # periods that do not overlap (cep_tui.db.invariants)
        make_enrolment(
            dossier,
            counsellor,
            entry_date=dt.date(year, 1, 5),
            status=EnrolmentStatus.CLOSED,
            end_date=dt.date(year, 11, 1),
            exit_reason="deces",
            with_phases=False,
        )
    make_enrolment(dossier, counsellor, with_phases=False)
    make_enrolment(dossier, counsellor, dispositif="EMPLOI_AVENIR", with_phases=False)

    assert Enrolment.select().count() == 4


def test_a_second_event_in_progress_is_refused(dossier, counsellor):
    make_event(dossier, counsellor, in_progress=False)
    make_event(dossier, counsellor)

    with pytest.raises(IntegrityError):
        make_event(dossier, counsellor)


def test_comment_over_255_characters_refused(dossier, counsellor):
    make_event(dossier, counsellor, comment="x" * 255, in_progress=False)

    with pytest.raises(IntegrityError):
        make_event(dossier, counsellor, comment="x" * 256)


def test_proposal_comment_over_255_characters_refused(dossier, counsellor, structure):
    event = make_event(dossier, counsellor)
    with pytest.raises(IntegrityError):
        Proposal.create(
            dossier=dossier,
            offer=make_offer(structure, counsellor),
            event=event,
            counsellor=counsellor,
            proposed_on=NOW.date(),
            comment="x" * 256,
            created_at=NOW,
        )


CLOSED = {"status": EnrolmentStatus.CLOSED, "end_date": dt.date(2026, 11, 1)}
BAD_ENROLMENTS = {
    "phase 4": {"phase": 4},
    "phase 1": {"phase": 1},
    "unknown exit reason": {**CLOSED, "exit_reason": "mutation"},
    "unknown status": {"status": "suspendu"},
    "closed without exit reason": CLOSED,
    "closed without end date": {"status": EnrolmentStatus.CLOSED, "exit_reason": "deces"},
    "end before entry": {**CLOSED, "end_date": dt.date(2026, 9, 30), "exit_reason": "deces"},
    "interview after entry": {"initial_interview_date": dt.date(2026, 10, 2)},
}


@pytest.mark.parametrize("columns", BAD_ENROLMENTS.values(), ids=list(BAD_ENROLMENTS))
def test_enrolment_checks(dossier, counsellor, columns):
    with pytest.raises(IntegrityError):
        make_enrolment(dossier, counsellor, with_phases=False, **columns)


def test_phase_period_check(dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor, with_phases=False)
    with pytest.raises(IntegrityError):
        PhasePeriod.create(enrolment=enrolment, phase=4, start_date=dt.date(2026, 10, 1))
    with pytest.raises(IntegrityError):
        PhasePeriod.create(
            enrolment=enrolment,
            phase=2,
            start_date=dt.date(2026, 10, 2),
            end_date=dt.date(2026, 10, 1),
        )


BAD_EVENTS = {
    "secondary = primary": {"primary": "Emploi", "secondary": "Emploi"},
    "tertiary without secondary": {"primary": "Emploi", "tertiary": "CEP"},
    "tertiary = secondary": {"secondary": "CEP", "tertiary": "CEP"},
    "tertiary = primary": {"primary": "CEP", "secondary": "Emploi", "tertiary": "CEP"},
}


@pytest.mark.parametrize("contexts", BAD_EVENTS.values(), ids=list(BAD_EVENTS))
def test_event_context_checks(dossier, counsellor, contexts):
    with pytest.raises(IntegrityError):
        make_event(dossier, counsellor, **contexts)


def test_event_in_progress_means_not_closed(dossier, counsellor):
    event = make_event(dossier, counsellor)
    with pytest.raises(IntegrityError):
        Event.update(closed_at=NOW).where(Event.id == event.id).execute()
    with pytest.raises(IntegrityError):
        Event.update(in_progress=False).where(Event.id == event.id).execute()


def test_offer_checks(structure, counsellor):
    with pytest.raises(IntegrityError):
        make_offer(structure, counsellor, end_date=dt.date(2016, 4, 17))
    with pytest.raises(IntegrityError):
        make_offer(structure, counsellor, places=-1)
    with pytest.raises(IntegrityError):
        make_offer(structure, counsellor, name="   ")
    assert Offer.select().count() == 0


@pytest.mark.parametrize(
    "columns",
    [
        {"kind": "couleur", "label": "Bleu"},
        {"kind": "context", "label": "  "},
        {"kind": "context", "label": "Emploi"},  # already in the list
        {"kind": "context", "label": "Autre CEP", "code": "CEP"},  # code already used
    ],
)
def test_reference_value_checks(db, columns):
    with pytest.raises(IntegrityError):
        ReferenceValue.create(**columns)
