"""Drill 2: two counsellors work on the same dispositif at the same time.

Both read it at the same version; the first saves; the second's save is refused with an
EditConflict that names who changed it and when, and nothing of the first save is lost.
Also: a form left open on a dispositif that a colleague deleted never saves onto another
young person's CEP, and a save that committed is reported as saved even when a colleague
deletes the dispositif the instant after."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest

from cep_tui.clock import FixedClock
from cep_tui.db.models import AuditRecord, Enrolment, ReferenceValue
from cep_tui.services import Services, audit
from cep_tui.services.dossiers import ContactInput
from cep_tui.services.errors import EditConflict, NotFound, RuleViolation
from cep_tui.services.views import Actor
from cep_tui.vocabulary import ReferenceKind
from tests.factories import (
    TODAY,
    cep_add_input,
    cep_modify_input,
    make_dossier,
    make_offer,
    offer_input,
)
from tests.reliability.checks import current_states, problems

FIRST_SAVE = dt.datetime(2026, 11, 29, 14, 37)
SECOND_SAVE = dt.datetime(2026, 11, 29, 14, 52)


def _modify(services: Services, actor: Actor, enrolment_id: int, version: int):
    form = cep_modify_input(prescriber_name=f"Prescripteur de {actor.first_name}")
    return services.cep.modify(actor, enrolment_id, form, version)


def _phase_3(services: Services, actor: Actor, enrolment_id: int, version: int):
    return services.cep.pass_to_phase_3(actor, enrolment_id, "15/10/2026", version)


def _close(services: Services, actor: Actor, enrolment_id: int, version: int):
    return services.cep.close(actor, enrolment_id, TODAY, "plan_action_realise", version)


def _delete(services: Services, actor: Actor, enrolment_id: int, version: int):
    return services.cep.delete(actor, enrolment_id, version)


SAVES = {"modify": _modify, "phase_3": _phase_3, "close": _close}
SECOND = {**SAVES, "delete": _delete}


@pytest.mark.parametrize("second", SECOND.values(), ids=list(SECOND))
@pytest.mark.parametrize("first", SAVES.values(), ids=list(SAVES))
def test_the_second_save_is_refused_and_the_first_is_kept(
    services, actor, colleague_actor, dossier, first, second
):
    added = services.cep.add(actor, dossier.id, cep_add_input())
    alice_reads = services.cep.get(actor, added.id)
    bruno_reads = services.cep.get(colleague_actor, added.id)
    assert alice_reads.version == bruno_reads.version

    first(Services(FixedClock(FIRST_SAVE)), actor, added.id, alice_reads.version)
    kept = current_states()["enrolment", added.id]
    with pytest.raises(EditConflict) as refusal:
        second(Services(FixedClock(SECOND_SAVE)), colleague_actor, added.id, bruno_reads.version)

    assert refusal.value.message == (
        "Ce dispositif a été modifié par Alice MARTIN le 29/11/2026 à 14:37 : vos changements "
        "n'ont pas été enregistrés. Rouvrez-le pour repartir de sa version actuelle."
    )
    # Nothing of Alice's save is lost, nothing of Bruno's is written.
    assert current_states()["enrolment", added.id] == kept
    journal = list(AuditRecord.select().order_by(AuditRecord.id))
    assert [r.counsellor_id for r in journal] == [actor.id, actor.id]
    assert json.loads(journal[-1].after) == kept
    assert Enrolment.get_by_id(added.id).version == alice_reads.version + 1
    assert problems() == []


def test_a_form_open_on_a_deleted_dispositif_never_saves_onto_another(
    services, actor, colleague_actor, structure, dossier
):
    """SQLite used to give a deleted row's id to the next insert: Alice's form, still open
    on the CEP Bruno deleted (same id, version 1), then saved onto the CEP Bruno added next
    for another young person."""
    other = make_dossier(structure, last_name="Autre", first_name="Jeune")
    alice_reads = services.cep.add(actor, dossier.id, cep_add_input())
    services.cep.delete(colleague_actor, alice_reads.id, alice_reads.version)
    someone_else = services.cep.add(colleague_actor, other.id, cep_add_input())

    assert someone_else.id != alice_reads.id
    with pytest.raises(NotFound, match="il a peut-être été supprimé"):
        _modify(services, actor, alice_reads.id, alice_reads.version)
    assert services.cep.get(colleague_actor, someone_else.id) == someone_else


@pytest.mark.parametrize("save", [_modify, _phase_3], ids=["modify", "phase_3"])
def test_a_committed_save_is_reported_saved_even_if_deleted_just_after(
    db, services, actor, colleague_actor, dossier, monkeypatch, save
):
    """Bruno deletes the dispositif the instant Alice's save commits: Alice must still be
    told her save succeeded (it did, and the audit journal says so), not "introuvable".
    (A closed dispositif cannot be deleted.) His delete runs whole between her commit and
    the return of her call: whatever she reads after her commit, he has deleted."""
    added = services.cep.add(actor, dossier.id, cep_add_input())
    commit = db.commit
    bruno: list[threading.Thread] = []

    def commit_then_bruno_deletes():
        commit()
        if not bruno:  # Bruno's own connection (peewee connects per thread)
            bruno.append(
                threading.Thread(target=services.cep.delete, args=(colleague_actor, added.id))
            )
            bruno[0].start()
            bruno[0].join(timeout=15)

    monkeypatch.setattr(db, "commit", commit_then_bruno_deletes)
    try:
        saved = save(services, actor, added.id, added.version)
    finally:
        for thread in bruno:
            thread.join(timeout=15)

    assert bruno and not bruno[0].is_alive()
    assert (saved.id, saved.version) == (added.id, added.version + 1)
    actions = [r.action for r in AuditRecord.select().order_by(AuditRecord.id)]
    assert actions[0] == "Ajout du dispositif CEP"
    assert actions[2] == "Suppression du dispositif CEP"
    assert Enrolment.get_or_none(Enrolment.id == added.id) is None
    assert problems() == []


def _save_contact(services: Services, actor: Actor, target: int, version: int):
    form = ContactInput(city=f"Commune de {actor.first_name}")
    return services.dossiers.update_contact(actor, target, form, version)


def _save_offer(services: Services, actor: Actor, target: int, version: int):
    form = offer_input(actor.id, name=f"Offre de {actor.first_name}")
    return services.offers.modify(actor, target, form, version)


TOGETHER = {"dossier contact": _save_contact, "offer": _save_offer}


@pytest.mark.parametrize("save", TOGETHER.values(), ids=list(TOGETHER))
def test_two_saves_of_the_same_version_at_once_one_is_refused(
    services, actor, colleague_actor, structure, counsellor, dossier, monkeypatch, save
):
    """Alice and Bruno save the same version at the same instant: Bruno's save starts while
    Alice's transaction is still open. He must wait for her commit and be refused, never
    overwrite her save (on PostgreSQL, a read of the version then a blind save would let
    both through: the row is locked before the version is read)."""
    if save is _save_offer:
        offer = make_offer(structure, counsellor)
        target, version = offer.id, services.offers.get(actor, offer.id).version
    else:
        target, version = dossier.id, services.dossiers.get(actor, dossier.id).version
    record = audit.record
    bruno: list[threading.Thread] = []
    outcome: list[BaseException | object] = []

    def brunos_save():
        try:
            outcome.append(save(services, colleague_actor, target, version))
        except BaseException as error:
            outcome.append(error)

    def record_while_bruno_saves(*args, **kwargs):
        record(*args, **kwargs)
        if not bruno:  # Alice's transaction is open: Bruno saves now, in his own thread
            bruno.append(threading.Thread(target=brunos_save))
            bruno[0].start()
            bruno[0].join(timeout=0.5)  # he waits for Alice's lock, if she holds one

    monkeypatch.setattr(audit, "record", record_while_bruno_saves)
    try:
        save(services, actor, target, version)
    finally:
        for thread in bruno:
            thread.join(timeout=15)

    assert len(outcome) == 1 and isinstance(outcome[0], EditConflict), outcome
    entity = "offer" if save is _save_offer else "dossier"
    journal = AuditRecord.select().where(AuditRecord.entity == entity)
    assert [r.counsellor_id for r in journal] == [actor.id]


def test_two_administrators_cannot_deactivate_a_list_s_last_two_values_at_once(
    services, actor, colleague_actor, monkeypatch
):
    """Alice and Bruno each deactivate one of the last two active values of a list at the
    same instant: one must be refused, so that the list always keeps an active value (a
    local list: the structure's own lieux d'accueil)."""
    kind = ReferenceKind.RECEPTION_PLACE
    alices, brunos = (
        services.administration.add_reference(actor, kind, label).id
        for label in ("Accueil d'Alice", "Accueil de Bruno")
    )
    ours = (ReferenceValue.kind == kind.value) & (ReferenceValue.structure == actor.structure_id)
    ReferenceValue.update(active=False).where(
        ours & ReferenceValue.id.not_in([alices, brunos])
    ).execute()
    record = audit.record
    bruno: list[threading.Thread] = []
    outcome: list[BaseException | object] = []

    def brunos_deactivation():
        try:
            outcome.append(
                services.administration.set_reference_active(colleague_actor, brunos, False)
            )
        except BaseException as error:
            outcome.append(error)

    def record_while_bruno_deactivates(*args, **kwargs):
        record(*args, **kwargs)
        if not bruno:
            bruno.append(threading.Thread(target=brunos_deactivation))
            bruno[0].start()
            bruno[0].join(timeout=0.5)

    monkeypatch.setattr(audit, "record", record_while_bruno_deactivates)
    try:
        services.administration.set_reference_active(actor, alices, False)
    finally:
        for thread in bruno:
            thread.join(timeout=15)

    assert len(outcome) == 1 and isinstance(outcome[0], RuleViolation), outcome
    active = ReferenceValue.select().where(ours & (ReferenceValue.active == True))  # noqa: E712
    assert [v.id for v in active] == [brunos]
