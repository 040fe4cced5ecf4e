"""« Plan d'action » of a CEP: lines written, modified and deleted by a counsellor who may
change the CEP; a closed CEP's plan is read-only; every write audited, each refusal in
French and changing nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cep_tui.db.models import ActionPlanItem, AuditRecord
from cep_tui.services.action_plan import ActionPlanInput
from cep_tui.services.errors import (
    EditConflict,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from cep_tui.vocabulary import ActionState, EnrolmentStatus, ExitReason, Right
from tests.factories import CEP_ENTRY_DATE, TODAY, make_enrolment

CLOSED_READ_ONLY = "Ce dispositif est clôturé : son plan d'action ne peut plus être modifié."


def line(**overrides) -> ActionPlanInput:
    values = {"text": "Prendre rendez-vous au CIO", "target_date": "15/12/2026"}
    return ActionPlanInput(**{**values, **overrides})


@pytest.fixture
def enrolment(dossier, counsellor):
    return make_enrolment(dossier, counsellor)


def test_a_line_is_added_with_its_date_and_state_and_audited(
    services, actor, enrolment, dossier, audit_count
):
    before = audit_count()

    item = services.action_plan.add(actor, enrolment.id, line())

    assert (item.text, item.target_date, item.state) == (
        "Prendre rendez-vous au CIO",
        dt.date(2026, 12, 15),
        ActionState.TO_DO,
    )
    assert item.state_label == "à faire"
    assert audit_count() == before + 1
    record = AuditRecord.select().order_by(AuditRecord.id.desc()).get()
    assert (record.action, record.entity, record.entity_id) == (
        "Ajout d'une action au plan d'action",
        "action_plan_item",
        item.id,
    )
    assert json.loads(record.after)["dossier"] == dossier.id
    assert services.action_plan.for_dossier(actor, dossier.id) == {enrolment.id: (item,)}


def test_lines_come_in_target_date_order(services, actor, enrolment, dossier):
    late = services.action_plan.add(actor, enrolment.id, line(text="B", target_date="01/03/2027"))
    early = services.action_plan.add(actor, enrolment.id, line(text="A", target_date=TODAY))

    assert services.action_plan.of_enrolment(actor, enrolment.id) == (early, late)


def test_modify_changes_text_date_and_state(services, actor, colleague_actor, enrolment):
    item = services.action_plan.add(actor, enrolment.id, line())

    changed = services.action_plan.modify(
        colleague_actor,
        item.id,
        line(text="Rendez-vous pris au CIO", state="fait", target_date="10/12/2026"),
        expected_version=item.version,
    )

    assert (changed.text, changed.state, changed.target_date, changed.version) == (
        "Rendez-vous pris au CIO",
        ActionState.DONE,
        dt.date(2026, 12, 10),
        item.version + 1,
    )
    record = AuditRecord.select().order_by(AuditRecord.id.desc()).get()
    assert json.loads(record.before)["text"] == "Prendre rendez-vous au CIO"
    assert json.loads(record.after)["state"] == "fait"


def test_a_stale_modification_names_who_saved(services, actor, colleague_actor, enrolment):
    item = services.action_plan.add(actor, enrolment.id, line())
    services.action_plan.modify(colleague_actor, item.id, line(state="abandonne"))

    with pytest.raises(EditConflict) as refusal:
        services.action_plan.modify(actor, item.id, line(state="fait"), expected_version=1)

    assert "Bruno DURAND" in refusal.value.message
    assert ActionPlanItem.get_by_id(item.id).state == "abandonne"


def test_delete_removes_the_line_and_audits_it(services, actor, enrolment, audit_count):
    item = services.action_plan.add(actor, enrolment.id, line())
    before = audit_count()

    services.action_plan.delete(actor, item.id, expected_version=item.version)

    assert not ActionPlanItem.select().exists()
    assert audit_count() == before + 1
    with pytest.raises(NotFound, match="Action introuvable"):
        services.action_plan.delete(actor, item.id)


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        (
            ActionPlanInput(),
            {
                "text": "Action : ce champ est obligatoire.",
                "target_date": "Échéance : ce champ est obligatoire.",
            },
        ),
        (line(text="   "), {"text": "Action : ce champ est obligatoire."}),
        (line(text="x" * 256), {"text": "Action : 255 caractères au maximum."}),
        (
            line(target_date="31/02/2027"),
            {"target_date": "Échéance : 31/02/2027 n'existe pas."},
        ),
        (
            line(target_date=CEP_ENTRY_DATE - dt.timedelta(days=1)),
            {"target_date": "Échéance : ne peut pas précéder l'entrée dans le CEP (01/10/2026)."},
        ),
        (
            line(state="termine"),
            {"state": "État : choisir « à faire », « fait » ou « abandonné »."},
        ),
    ],
)
def test_bad_input_is_refused_field_by_field(services, actor, enrolment, audit_count, form, errors):
    before = audit_count()
    with pytest.raises(ValidationError) as refusal:
        services.action_plan.add(actor, enrolment.id, form)
    assert refusal.value.field_errors == errors
    assert not ActionPlanItem.select().exists()
    assert audit_count() == before


def test_the_right_to_propose_cep_is_needed(services, actor, actor_with, enrolment):
    item = services.action_plan.add(actor, enrolment.id, line())
    reader = actor_with({Right.VIEW_DOSSIER, Right.EDIT_DOSSIER})

    for attempt in (
        lambda: services.action_plan.add(reader, enrolment.id, line()),
        lambda: services.action_plan.modify(reader, item.id, line(state="fait")),
        lambda: services.action_plan.delete(reader, item.id),
    ):
        with pytest.raises(PermissionDenied) as refusal:
            attempt()
        assert refusal.value.message == (
            "Action refusée : il vous manque le droit « Proposer CEP »."
        )
    # Reading needs only to consult the dossier.
    assert services.action_plan.of_enrolment(reader, enrolment.id) == (item,)


def test_a_closed_cep_plan_is_read_only(services, actor, dossier, counsellor, audit_count):
    closed = make_enrolment(
        dossier,
        counsellor,
        status=EnrolmentStatus.CLOSED,
        end_date=dt.date(2026, 11, 1),
        exit_reason=ExitReason.ACTION_PLAN_COMPLETED,
    )
    item = ActionPlanItem.create(
        enrolment=closed,
        text="Déjà écrite",
        target_date=dt.date(2026, 10, 15),
        created_at=TODAY,
        created_by=counsellor,
        updated_at=TODAY,
        updated_by=counsellor,
    )
    before = audit_count()
    for attempt in (
        lambda: services.action_plan.add(actor, closed.id, line()),
        lambda: services.action_plan.modify(actor, item.id, line(state="fait")),
        lambda: services.action_plan.delete(actor, item.id),
    ):
        with pytest.raises(RuleViolation) as refusal:
            attempt()
        assert refusal.value.message == CLOSED_READ_ONLY
    assert audit_count() == before
    assert ActionPlanItem.get_by_id(item.id).state == "a_faire"


def test_only_the_cep_has_a_plan(services, actor, dossier, counsellor):
    other = make_enrolment(dossier, counsellor, dispositif="EMPLOI_AVENIR")
    with pytest.raises(RuleViolation, match="Seul le dispositif CEP a un plan"):
        services.action_plan.add(actor, other.id, line())


def test_another_structure_never_reaches_the_plan(services, actor, outsider_actor, enrolment):
    item = services.action_plan.add(actor, enrolment.id, line())
    with pytest.raises(NotFound):
        services.action_plan.add(outsider_actor, enrolment.id, line())
    with pytest.raises(NotFound):
        services.action_plan.modify(outsider_actor, item.id, line())
    with pytest.raises(NotFound):
        services.action_plan.of_enrolment(outsider_actor, enrolment.id)


def test_deleting_the_cep_deletes_its_plan(services, actor, enrolment):
    services.action_plan.add(actor, enrolment.id, line())
    services.cep.delete(actor, enrolment.id)
    assert not ActionPlanItem.select().exists()
