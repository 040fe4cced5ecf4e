"""Reference lists have an owner (issue 13, point 1), on both engines: the national lists
are changed by no structure's administrator; a local list's values are one structure's
own, seen, counted, changed and chosen there only; labels are unique per owner; a new
structure starts with the default local values; the migration gives each structure its
own copies without changing what any record says."""

from __future__ import annotations

import pytest

from cep_tui.db.connection import open_database
from cep_tui.db.migrations import CURRENT_VERSION, UPGRADES, migrate
from cep_tui.db.models import Enrolment, Event, ReferenceValue, SchemaVersion, Structure
from cep_tui.services.administration import VALUE_NOT_FOUND
from cep_tui.services.errors import NotFound, RuleViolation, ValidationError
from cep_tui.vocabulary import LOCAL_KINDS
from tests.factories import (
    K,
    cep_add_input,
    cep_modify_input,
    event_input,
    make_counsellor,
    make_dossier,
    make_enrolment,
    make_event,
    make_structure,
    ref_id,
)

P = K.RECEPTION_PLACE


def mine(structure, kind, label) -> int:
    return ref_id(kind, label, structure_id=structure.id)


def shared_local_values() -> bool:
    """Whether a local list still has a value of no structure."""
    local = ReferenceValue.kind.in_([k.value for k in LOCAL_KINDS])
    return ReferenceValue.select().where(local & ReferenceValue.structure.is_null()).exists()


def local_values(kind, structure) -> list[ReferenceValue]:
    """A structure's values of a local list, in the order its forms show them."""
    return list(
        ReferenceValue.select()
        .where((ReferenceValue.kind == kind.value) & (ReferenceValue.structure == structure))
        .order_by(ReferenceValue.position, ReferenceValue.label)
    )


def test_each_structure_starts_with_its_own_local_lists(structure, other_structure):
    for kind in LOCAL_KINDS:
        ours = local_values(kind, structure)
        theirs = local_values(kind, other_structure)
        assert [v.label for v in ours] == [v.label for v in theirs] != []
        assert not {v.id for v in ours} & {v.id for v in theirs}
    assert not shared_local_values()


WRITES = {
    "rename": lambda s, a, i: s.administration.rename_reference(a, i, "Piraté"),
    "deactivate": lambda s, a, i: s.administration.set_reference_active(a, i, False),
    "delete": lambda s, a, i: s.administration.delete_reference(a, i),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=list(WRITES))
def test_another_structures_values_are_out_of_reach(services, outsider_actor, structure, write):
    """B's administrator cannot touch A's value, and hears what a missing value says."""
    theirs = mine(structure, P, "Antenne")
    before = ReferenceValue.get_by_id(theirs).__data__
    with pytest.raises(NotFound) as refused:
        write(services, outsider_actor, theirs)
    assert refused.value.message == VALUE_NOT_FOUND
    with pytest.raises(NotFound) as missing:
        write(services, outsider_actor, 987_654)
    assert missing.value.message == refused.value.message
    assert ReferenceValue.get_by_id(theirs).__data__ == before


@pytest.mark.parametrize("write", WRITES.values(), ids=list(WRITES))
@pytest.mark.parametrize(("kind", "label"), [(K.NATURE, "Atelier"), (K.THEME, "Emploi")])
def test_no_structure_changes_a_national_list(services, actor, write, kind, label):
    value = ref_id(kind, label)
    with pytest.raises(RuleViolation, match="est nationale"):
        write(services, actor, value)
    with pytest.raises(RuleViolation, match="est nationale"):
        services.administration.add_reference(actor, kind, "Visio")
    assert ReferenceValue.get_by_id(value).label == label


def test_lists_and_counts_are_the_structures_own(
    services, actor, outsider_actor, structure, counsellor, dossier, outsider
):
    make_event(dossier, counsellor, nature="Atelier", reception_place="Antenne")
    elsewhere = make_dossier(outsider.structure, referent=outsider)
    make_event(elsewhere, outsider, nature="Atelier", reception_place="Antenne", in_progress=False)
    make_event(elsewhere, outsider, nature="Atelier", reception_place="Antenne", in_progress=False)

    def counts(who, kind):
        return {v.label: v.usage for v in services.administration.reference_values(who, kind)}

    assert counts(actor, K.NATURE)["Atelier"] == 1
    assert counts(outsider_actor, K.NATURE)["Atelier"] == 2
    assert counts(actor, P)["Antenne"] == 1
    assert counts(outsider_actor, P)["Antenne"] == 2
    ours = {v.id for v in services.administration.reference_values(actor, P)}
    theirs = {v.id for v in services.administration.reference_values(outsider_actor, P)}
    assert ours and theirs and not ours & theirs
    assert {v.id for v in services.references.choices(actor, P)} == ours


def test_labels_are_unique_per_owner(services, actor, outsider_actor):
    assert services.administration.add_reference(actor, P, "Visio").label == "Visio"
    assert services.administration.add_reference(outsider_actor, P, "Visio").label == "Visio"
    with pytest.raises(ValidationError, match="existe déjà"):
        services.administration.add_reference(actor, P, "visio")


def test_forms_refuse_another_structures_values(
    services, actor, structure, other_structure, dossier, counsellor
):
    """Every form that offers a local value checks its owner: the event, the CEP's
    addition and modification answer « valeur inconnue » for another structure's."""
    theirs = {kind: mine(other_structure, kind, label) for kind, label in (
        (P, "Siège"), (K.REFERRER, "APEC"), (K.SOLICITATION_REASON, "Reconversion"),
        (K.PROJECT_TYPE, "Qualification"),
    )}  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.events.open(
            actor, dossier.id, event_input(counsellor.id, reception_place_id=theirs[P])
        )
    assert refused.value.field_errors == {"reception_place_id": "Lieu d'accueil : valeur inconnue."}
    with pytest.raises(ValidationError) as refused:
        services.cep.add(
            actor,
            dossier.id,
            cep_add_input(
                referrer_id=theirs[K.REFERRER],
                solicitation_reason_id=theirs[K.SOLICITATION_REASON],
            ),
        )
    assert set(refused.value.field_errors) == {"referrer_id", "solicitation_reason_id"}
    enrolment = make_enrolment(dossier, counsellor)
    with pytest.raises(ValidationError) as refused:
        services.cep.modify(
            actor, enrolment.id, cep_modify_input(project_type_id=theirs[K.PROJECT_TYPE]), 1
        )
    assert set(refused.value.field_errors) == {"project_type_id"}
    # The structure's own values are taken.
    services.cep.modify(
        actor,
        enrolment.id,
        cep_modify_input(project_type_id=mine(structure, K.PROJECT_TYPE, "Qualification")),
        1,
    )


def _as_before_owners(structures) -> None:
    """The shape of version 9: one shared value per local label (the first structure's),
    every structure's records pointing at it."""
    first = structures[0]
    for kind in LOCAL_KINDS:
        for value in ReferenceValue.select().where(
            (ReferenceValue.kind == kind.value) & (ReferenceValue.structure == first)
        ):
            for other in structures[1:]:
                copy = ReferenceValue.get(
                    (ReferenceValue.kind == kind.value)
                    & (ReferenceValue.structure == other)
                    & (ReferenceValue.label == value.label)
                )
                for model, column in ((Event, "reception_place"), (Enrolment, "referrer"),
                                      (Enrolment, "solicitation_reason"),
                                      (Enrolment, "project_type")):  # fmt: skip
                    field = getattr(model, column)
                    model.update({field: value.id}).where(field == copy.id).execute()
                copy.delete_instance()
            ReferenceValue.update(structure=None).where(ReferenceValue.id == value.id).execute()


def _meanings() -> dict:
    def label(value_id):
        return ReferenceValue.get_by_id(value_id).label if value_id else None

    events = {e.id: label(e.reception_place_id) for e in Event.select()}
    enrolments = {
        e.id: (label(e.referrer_id), label(e.solicitation_reason_id), label(e.project_type_id))
        for e in Enrolment.select()
    }
    return {"event": events, "enrolment": enrolments}


def test_the_migration_gives_each_structure_its_values_keeping_every_meaning(new_database_url):
    db = open_database(new_database_url())
    try:
        migrate(db)
        a, b = make_structure("MLA", "A"), make_structure("MLB", "B")
        alice, zoe = make_counsellor(a, "alice"), make_counsellor(b, "zoe")
        for structure, who, place, referrer in (
            (a, alice, "Antenne", "APEC"),
            (b, zoe, "Siège", "Employeur"),
        ):
            dossier = make_dossier(structure, referent=who)
            make_event(dossier, who, reception_place=place)
            make_enrolment(dossier, who, referrer=referrer)
        meanings = _meanings()
        _as_before_owners([a, b])
        step = next(i for i, f in enumerate(UPGRADES) if f.__name__.endswith("_reference_owners"))
        SchemaVersion.update(version=step + 1).execute()  # as before that step

        assert migrate(db) == CURRENT_VERSION - step - 1

        assert _meanings() == meanings
        for event in Event.select():
            owner = ReferenceValue.get_by_id(event.reception_place_id).structure_id
            assert owner == event.dossier.structure_id
        for enrolment in Enrolment.select():
            assert ReferenceValue.get_by_id(enrolment.referrer_id).structure_id == (
                enrolment.dossier.structure_id
            )
        for structure in (a, b):
            assert ReferenceValue.select().where(ReferenceValue.structure == structure).count() == (
                sum(1 for _ in ReferenceValue.select().where(ReferenceValue.structure == a))
            )
        assert not shared_local_values()
        assert Structure.select().count() == 2
    finally:
        db.close()
