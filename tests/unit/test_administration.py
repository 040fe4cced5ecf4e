"""Administration of the structure: the reference lists (add, rename, deactivate, reactivate,
delete an unused value; national values fixed) and the counsellors (create, deactivate,
reactivate, rights), each write needing "Administrer la structure" and journaled once."""

from __future__ import annotations

import json
import re

import pytest

from cep_tui.db.models import AuditRecord, Counsellor, Event, ReferenceValue
from cep_tui.services import administration
from cep_tui.services.administration import (
    LOGIN_FORMAT,
    NOT_ONESELF_ADMINISTER,
    NOT_ONESELF_DEACTIVATE,
    CounsellorInput,
)
from cep_tui.services.errors import NotFound, PermissionDenied, RuleViolation, ValidationError
from cep_tui.services.views import CatalogueKind
from cep_tui.vocabulary import Right
from tests.factories import (
    K,
    cep_add_input,
    event_input,
    make_counsellor,
    make_enrolment,
    make_event,
    make_offer,
    offer_input,
)

ADMIN_REFUSAL = "Action refusée : il vous manque le droit « Administrer la structure »."


def journal() -> list[tuple[str, str, int | None]]:
    return [
        (r.entity, r.action, r.entity_id) for r in AuditRecord.select().order_by(AuditRecord.id)
    ]


def labels(services, kind, **kwargs) -> list[str]:
    return [v.label for v in services.references.choices(kind, **kwargs)]


@pytest.fixture
def no_admin(actor_with):
    """A counsellor with every right but "Administrer la structure"."""
    return actor_with(frozenset(Right) - {Right.ADMINISTER}, first_name="Nina", last_name="Sans")


# -- reference lists: reading ------------------------------------------------------------
def test_values_of_a_list_in_order_with_their_use(services, actor, dossier, counsellor, ref):
    make_event(dossier, counsellor, nature="Atelier")
    make_event(dossier, counsellor, nature="Atelier", in_progress=False)
    ReferenceValue.update(active=False).where(ReferenceValue.label == "SMS").execute()

    values = services.administration.reference_values(actor, K.NATURE)

    assert [v.label for v in values][:3] == [
        "Entretien individuel",
        "Atelier",
        "Information collective",
    ]
    atelier = next(v for v in values if v.label == "Atelier")
    assert (atelier.usage, atelier.in_use, atelier.national) == (2, True, False)
    sms = next(v for v in values if v.label == "SMS")
    assert (sms.active, sms.usage) == (False, 0)


def test_uses_are_counted_up_to_a_limit(services, actor, dossier, counsellor, ref, monkeypatch, db):
    """A value of a list of events is held by hundreds of thousands of them: the count
    stops at its limit, and then says "at least"; deleting it is refused all the same."""
    monkeypatch.setattr(administration, "USAGE_COUNT_LIMIT", 3)
    for _ in range(4):
        make_event(dossier, counsellor, nature="Atelier", in_progress=False)
    make_event(dossier, counsellor, nature="Médiation", in_progress=False)

    values = {v.label: v for v in services.administration.reference_values(actor, K.NATURE)}

    atelier, mediation = values["Atelier"], values["Médiation"]
    assert (atelier.usage, atelier.usage_at_least, atelier.usage_label) == (3, True, "≥ 3")
    assert (mediation.usage, mediation.usage_at_least, mediation.usage_label) == (1, False, "1")
    with pytest.raises(RuleViolation) as refused:
        services.administration.delete_reference(actor, atelier.id)
    assert "utilisée par au moins 3 enregistrements" in refused.value.message


def held_by_copies(event: Event, copies: int) -> None:
    """`copies` more events like `event` (inserted a hundred at a time)."""
    row = {name: value for name, value in event.__data__.items() if name != "id"}
    for start in range(0, copies, 100):
        Event.insert_many([row] * min(100, copies - start)).execute()


def test_a_value_held_a_thousand_times_says_at_least_1_000(services, actor, dossier, counsellor):
    """At the real limit: the count stops at 1 000, read "≥ 1 000" in the list and "au moins
    1 000" in the refusal to delete it."""
    held_by_copies(make_event(dossier, counsellor, nature="Atelier", in_progress=False), 1_000)

    (atelier,) = [
        v for v in services.administration.reference_values(actor, K.NATURE) if v.label == "Atelier"
    ]

    assert (atelier.usage, atelier.usage_at_least) == (1_000, True)
    assert atelier.usage_label == "≥ 1\u202f000"
    with pytest.raises(RuleViolation) as refused:
        services.administration.delete_reference(actor, atelier.id)
    assert "« Atelier » est utilisée par au moins 1\u202f000 enregistrements" in (
        refused.value.message
    )


@pytest.mark.parametrize("parts_per_query", [100, 4])
def test_a_context_is_counted_in_each_column_that_may_hold_it(
    services, actor, dossier, counsellor, monkeypatch, parts_per_query
):
    """Three columns may hold a context; a long list is counted in several queries."""
    monkeypatch.setattr(administration, "USAGE_PARTS_PER_QUERY", parts_per_query)
    make_event(dossier, counsellor, primary="CEP", secondary="Santé", in_progress=False)
    make_event(
        dossier,
        counsellor,
        primary="Santé",
        secondary="CEP",
        tertiary="Logement",
        in_progress=False,
    )

    values = {v.label: v.usage for v in services.administration.reference_values(actor, K.CONTEXT)}

    assert (values["Santé"], values["CEP"], values["Logement"]) == (2, 2, 1)
    assert sum(values.values()) == 5


def test_every_column_that_may_hold_a_value_is_indexed(db):
    """The uses of a value are counted through the index of each column that may hold it."""
    for uses in administration.USES.values():
        for model, column in uses:
            indexed = {index.columns[0] for index in db.get_indexes(model._meta.table_name)}
            assert column.column_name in indexed, (model.__name__, column.column_name)


def test_national_values_carry_their_code(services, actor):
    (cep,) = [v for v in services.administration.reference_values(actor, K.CONTEXT) if v.code]
    assert (cep.label, cep.code, cep.national) == ("CEP", "CEP", True)


def test_the_lists_are_visible_without_the_right(services, reader_actor):
    assert services.administration.reference_values(reader_actor, K.THEME)
    assert services.administration.counsellors(reader_actor)


def test_unknown_list(services, actor):
    with pytest.raises(NotFound, match=re.escape("Liste de référence inconnue.")):
        services.administration.reference_values(actor, "couleur")


# -- reference lists: adding ---------------------------------------------------------------
def test_add_a_value_at_the_end_of_the_list(services, actor, counsellor):
    entry = services.administration.add_reference(actor, K.NATURE, "  Visio   conférence ")

    assert (entry.label, entry.active, entry.usage, entry.code) == (
        "Visio conférence",
        True,
        0,
        None,
    )
    assert labels(services, K.NATURE)[-1] == "Visio conférence"
    assert journal() == [("reference_value", "Ajout de valeur de référence", entry.id)]
    record = AuditRecord.get()
    assert record.counsellor_id == counsellor.id
    assert json.loads(record.after)["label"] == "Visio conférence"


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "Libellé : ce champ est obligatoire."),
        (" \t ", "Libellé : ce champ est obligatoire."),
        ("x" * 101, "Libellé : 100 caractères au maximum."),
        ("atelier", "Libellé : « Atelier » existe déjà dans la liste « Nature »."),
        (
            "ENTRETIEN  individuél",
            "Libellé : « Entretien individuel » existe déjà dans la liste « Nature ».",
        ),
    ],
)
def test_add_refused(services, actor, label, message):
    with pytest.raises(ValidationError) as refusal:
        services.administration.add_reference(actor, K.NATURE, label)
    assert refusal.value.field_errors == {"label": message}
    assert journal() == []


def test_add_a_deactivated_label_says_to_reactivate_it(services, actor, ref):
    services.administration.set_reference_active(actor, ref(K.NATURE, "SMS"), False)
    with pytest.raises(ValidationError) as refusal:
        services.administration.add_reference(actor, K.NATURE, "sms")
    assert refusal.value.field_errors == {
        "label": "Libellé : « SMS » existe déjà dans la liste « Nature » "
        "(désactivée : réactivez-la plutôt)."
    }


def test_same_label_in_another_list_is_fine(services, actor):
    assert services.administration.add_reference(actor, K.CONTEXT, "Atelier").label == "Atelier"


# -- renaming ----------------------------------------------------------------------------
def test_rename_shows_on_the_records_and_in_the_offer_search(
    services, actor, structure, counsellor, ref
):
    offer = make_offer(structure, counsellor, name="Atelier CV", theme="Emploi")
    assert services.offers.list(actor, "recrutement").items == ()

    entry = services.administration.rename_reference(
        actor, ref(K.THEME, "Emploi"), "Emploi et recrutement"
    )

    assert entry.usage == 1
    assert services.offers.get(actor, offer.id).theme.label == "Emploi et recrutement"
    assert [o.id for o in services.offers.list(actor, "recrutement").items] == [offer.id]
    (item,) = services.offers.search_catalogue(actor, "recrutement", CatalogueKind.INTERNAL).items
    assert item.theme == "Emploi et recrutement"
    ((entity, action, ident),) = journal()
    assert (entity, action, ident) == (
        "reference_value",
        "Renommage de valeur de référence",
        entry.id,
    )
    record = AuditRecord.get()
    assert (json.loads(record.before)["label"], json.loads(record.after)["label"]) == (
        "Emploi",
        "Emploi et recrutement",
    )


def test_rename_to_its_own_label_in_other_case(services, actor, ref):
    entry = services.administration.rename_reference(actor, ref(K.NATURE, "Atelier"), "ATELIER")
    assert entry.label == "ATELIER"


def test_rename_to_another_values_label_refused(services, actor, ref):
    with pytest.raises(ValidationError) as refusal:
        services.administration.rename_reference(actor, ref(K.NATURE, "Atelier"), "sms")
    assert refusal.value.field_errors == {
        "label": "Libellé : « SMS » existe déjà dans la liste « Nature »."
    }


NATIONAL = (
    "« CEP » est une valeur nationale (code CEP) : elle ne peut être ni renommée, "
    "ni désactivée, ni supprimée."
)


@pytest.mark.parametrize(
    "write",
    [
        lambda s, a, i: s.administration.rename_reference(a, i, "Conseil en évolution"),
        lambda s, a, i: s.administration.set_reference_active(a, i, False),
        lambda s, a, i: s.administration.delete_reference(a, i),
    ],
    ids=["rename", "deactivate", "delete"],
)
@pytest.mark.parametrize("kind", [K.CONTEXT, K.NATIONAL_MEASURE])
def test_national_values_are_fixed(services, actor, ref, write, kind):
    with pytest.raises(RuleViolation) as refusal:
        write(services, actor, ref(kind, code="CEP"))
    assert refusal.value.message == NATIONAL
    assert ReferenceValue.get_by_id(ref(kind, code="CEP")).label == "CEP"
    assert journal() == []


def test_unknown_value(services, actor):
    with pytest.raises(
        NotFound, match=re.escape("Valeur introuvable dans les listes de référence.")
    ):
        services.administration.rename_reference(actor, 999_999, "X")


# -- deactivating and reactivating ---------------------------------------------------------
def test_deactivated_value_leaves_the_forms_but_stays_on_records(
    services, actor, structure, counsellor, ref
):
    atelier = ref(K.SERVICE_ACT, "Atelier collectif")
    offer = make_offer(structure, counsellor, service_act="Atelier collectif")

    entry = services.administration.set_reference_active(actor, atelier, False)

    assert (entry.active, entry.usage) == (False, 1)
    assert "Atelier collectif" not in labels(services, K.SERVICE_ACT)
    assert "Atelier collectif" in labels(services, K.SERVICE_ACT, keep_id=atelier)
    assert "Atelier collectif" in labels(services, K.SERVICE_ACT, include_inactive=True)
    view = services.offers.get(actor, offer.id)
    assert (view.service_act.label, view.service_act.active) == ("Atelier collectif", False)
    # The offer holding it is still saved with it; a new one cannot choose it.
    services.offers.modify(actor, offer.id, offer_input(counsellor.id, service_act_id=atelier))
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(counsellor.id, service_act_id=atelier))
    assert refusal.value.field_errors == {"service_act_id": "Acte de service : valeur inconnue."}
    assert journal()[0][1] == "Désactivation de valeur de référence"


def test_deactivated_value_refused_in_a_cep(services, actor, dossier, ref):
    apec = ref(K.REFERRER, "APEC")
    services.administration.set_reference_active(actor, apec, False)
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(referrer_id=apec))
    assert refusal.value.field_errors == {"referrer_id": "Aiguilleur : valeur inconnue."}


def test_reactivated_value_comes_back(services, actor, ref):
    sms = ref(K.NATURE, "SMS")
    services.administration.set_reference_active(actor, sms, False)
    entry = services.administration.set_reference_active(actor, sms, True)

    assert entry.active and "SMS" in labels(services, K.NATURE)
    assert [a for _, a, _ in journal()] == [
        "Désactivation de valeur de référence",
        "Réactivation de valeur de référence",
    ]


def test_deactivate_twice_refused(services, actor, ref):
    sms = ref(K.NATURE, "SMS")
    services.administration.set_reference_active(actor, sms, False)
    with pytest.raises(RuleViolation, match=re.escape("« SMS » est déjà désactivée.")):
        services.administration.set_reference_active(actor, sms, False)
    services.administration.set_reference_active(actor, sms, True)
    with pytest.raises(RuleViolation, match=re.escape("« SMS » est déjà active.")):
        services.administration.set_reference_active(actor, sms, True)


def test_the_last_active_value_of_a_list_stays(services, actor, ref):
    states = [ref(K.OFFER_STATE, label) for label in ("Permanente", "Ponctuelle")]
    for state in states:
        services.administration.set_reference_active(actor, state, False)
    inactive = ref(K.OFFER_STATE, "Inactive")

    with pytest.raises(RuleViolation) as refusal:
        services.administration.set_reference_active(actor, inactive, False)
    assert refusal.value.message == (
        "« Inactive » est la dernière valeur active de la liste « État de l'offre » : "
        "ajoutez-en une autre d'abord."
    )
    with pytest.raises(RuleViolation, match="dernière valeur active"):
        services.administration.delete_reference(actor, inactive)


# -- deleting ----------------------------------------------------------------------------
def test_delete_an_unused_value(services, actor):
    entry = services.administration.add_reference(actor, K.NATURE, "Visoi")
    services.administration.delete_reference(actor, entry.id)

    assert ReferenceValue.get_or_none(ReferenceValue.id == entry.id) is None
    assert "Visoi" not in labels(services, K.NATURE, include_inactive=True)
    assert journal()[-1] == ("reference_value", "Suppression de valeur de référence", entry.id)
    assert (
        json.loads(AuditRecord.select().order_by(AuditRecord.id.desc()).get().before)["label"]
        == "Visoi"
    )


@pytest.mark.parametrize(
    ("make", "kind", "label"),
    [
        (lambda s, c, d: make_offer(s, c, theme="Santé"), K.THEME, "Santé"),
        (lambda s, c, d: make_event(d, c, secondary="Mobilité"), K.CONTEXT, "Mobilité"),
        (lambda s, c, d: make_enrolment(d, c, referrer="APEC"), K.REFERRER, "APEC"),
    ],
    ids=["offer", "event", "enrolment"],
)
def test_a_used_value_is_never_deleted(
    services, actor, structure, counsellor, dossier, ref, make, kind, label
):
    make(structure, counsellor, dossier)
    with pytest.raises(RuleViolation) as refusal:
        services.administration.delete_reference(actor, ref(kind, label))
    assert refusal.value.message == (
        f"« {label} » est utilisée par 1 enregistrement : elle ne peut pas être supprimée. "
        "Désactivez-la : elle ne sera plus proposée dans les formulaires et restera sur les "
        "enregistrements qui l'utilisent."
    )
    assert ReferenceValue.get_or_none(ReferenceValue.id == ref(kind, label)) is not None
    assert journal() == []


# -- rights -------------------------------------------------------------------------------
REFERENCE_WRITES = {
    "add": lambda s, a, r: s.administration.add_reference(a, K.NATURE, "Visio"),
    "rename": lambda s, a, r: s.administration.rename_reference(a, r(K.NATURE, "SMS"), "Texto"),
    "deactivate": lambda s, a, r: s.administration.set_reference_active(
        a, r(K.NATURE, "SMS"), False
    ),
    "delete": lambda s, a, r: s.administration.delete_reference(a, r(K.NATURE, "SMS")),
}


@pytest.mark.parametrize("write", REFERENCE_WRITES.values(), ids=list(REFERENCE_WRITES))
def test_reference_writes_need_the_administer_right(services, no_admin, ref, write):
    before = list(ReferenceValue.select().order_by(ReferenceValue.id).dicts())
    with pytest.raises(PermissionDenied) as refusal:
        write(services, no_admin, ref)
    assert refusal.value.message == ADMIN_REFUSAL
    assert list(ReferenceValue.select().order_by(ReferenceValue.id).dicts()) == before
    assert journal() == []


# -- counsellors ----------------------------------------------------------------------------
def test_counsellors_of_the_structure_only(services, actor, colleague, reader, outsider):
    Counsellor.update(active=False).where(Counsellor.id == reader.id).execute()
    entries = services.administration.counsellors(actor)

    assert [(c.login, c.display_name, c.active) for c in entries] == [
        ("bruno", "Bruno DURAND", True),
        ("alice", "Alice MARTIN", True),
        ("claire", "Claire PETIT", False),
    ]
    assert entries[2].rights == {Right.VIEW_DOSSIER}


def test_create_a_counsellor(services, actor, structure):
    entry = services.administration.create_counsellor(
        actor,
        CounsellorInput(
            login=" d.nouveau ",
            first_name=" Denis ",
            last_name="Nouveau",
            rights=frozenset({Right.VIEW_DOSSIER, "events"}),
        ),
    )

    assert (entry.login, entry.display_name, entry.active) == ("d.nouveau", "Denis NOUVEAU", True)
    assert entry.rights == {Right.VIEW_DOSSIER, Right.EVENTS}
    created = Counsellor.get_by_id(entry.id)
    assert created.structure_id == structure.id
    new_actor = services.counsellors.sign_in("d.nouveau")
    assert new_actor.rights == {Right.VIEW_DOSSIER, Right.EVENTS}
    assert "Denis NOUVEAU" in [c.display_name for c in services.references.counsellors(actor)]
    assert journal() == [("counsellor", "Création de conseiller", entry.id)]


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        (
            CounsellorInput(),
            {
                "login": "Identifiant : ce champ est obligatoire.",
                "first_name": "Prénom : ce champ est obligatoire.",
                "last_name": "Nom : ce champ est obligatoire.",
            },
        ),
        (CounsellorInput("Alice.B", "A", "B"), {"login": LOGIN_FORMAT}),
        (CounsellorInput("é.dupont", "A", "B"), {"login": LOGIN_FORMAT}),
        (CounsellorInput("a b", "A", "B"), {"login": LOGIN_FORMAT}),
        (CounsellorInput("a", "A", "B"), {"login": LOGIN_FORMAT}),
        (
            CounsellorInput("alice", "A", "B"),
            {"login": "Identifiant : « alice » est déjà utilisé."},
        ),
        (
            CounsellorInput("ab", "x" * 61, "B"),
            {"first_name": "Prénom : 60 caractères au maximum."},
        ),
        (
            CounsellorInput("ab", "A", "B", frozenset({"tout"})),
            {"rights": "Droits : droit inconnu."},
        ),
    ],
)
def test_create_refused(services, actor, counsellor, outsider, form, errors):
    count = Counsellor.select().count()
    with pytest.raises(ValidationError) as refusal:
        services.administration.create_counsellor(actor, form)
    assert refusal.value.field_errors == errors
    assert Counsellor.select().count() == count
    assert journal() == []


def test_deactivate_then_reactivate_a_counsellor(services, actor, colleague, structure, dossier):
    entry = services.administration.set_counsellor_active(actor, colleague.id, False)

    assert not entry.active
    with pytest.raises(NotFound, match="Identifiant inconnu ou désactivé : « bruno »"):
        services.counsellors.sign_in("bruno")
    assert "Bruno DURAND" not in [c.display_name for c in services.references.counsellors(actor)]
    assert "Bruno DURAND" in [
        c.display_name for c in services.references.counsellors(actor, keep_id=colleague.id)
    ]

    entry = services.administration.set_counsellor_active(actor, colleague.id, True)
    assert entry.active and services.counsellors.sign_in("bruno").id == colleague.id
    assert [a for _, a, _ in journal()] == [
        "Désactivation de conseiller",
        "Réactivation de conseiller",
    ]


def test_a_deactivated_counsellor_cannot_act_any_more(services, actor, colleague_actor, colleague):
    services.administration.set_counsellor_active(actor, colleague.id, False)
    with pytest.raises(NotFound, match=re.escape("Votre compte de conseiller n'est plus actif.")):
        services.administration.add_reference(colleague_actor, K.NATURE, "Visio")


def test_a_deactivated_referent_stays_on_the_offer_only(
    services, actor, structure, colleague, counsellor
):
    offer = make_offer(structure, colleague)
    services.administration.set_counsellor_active(actor, colleague.id, False)

    view = services.offers.get(actor, offer.id)
    assert view.referent.display_name == "Bruno DURAND"
    services.offers.modify(actor, offer.id, offer_input(colleague.id, name="Toujours lui"))
    with pytest.raises(ValidationError) as refusal:
        services.offers.create(actor, offer_input(colleague.id))
    assert refusal.value.field_errors == {
        "referent_id": "Conseiller référent : ce conseiller est désactivé, choisissez-en un autre."
    }


def test_never_deactivate_oneself(services, actor, counsellor):
    with pytest.raises(RuleViolation) as refusal:
        services.administration.set_counsellor_active(actor, counsellor.id, False)
    assert refusal.value.message == NOT_ONESELF_DEACTIVATE
    assert Counsellor.get_by_id(counsellor.id).active


def test_deactivate_twice_refused_counsellor(services, actor, colleague):
    services.administration.set_counsellor_active(actor, colleague.id, False)
    with pytest.raises(RuleViolation, match=re.escape("Le compte « bruno » est déjà désactivé.")):
        services.administration.set_counsellor_active(actor, colleague.id, False)


def test_counsellor_of_another_structure_is_not_found(services, actor, outsider):
    for write in (
        lambda: services.administration.set_counsellor_active(actor, outsider.id, False),
        lambda: services.administration.set_rights(actor, outsider.id, set()),
    ):
        with pytest.raises(
            NotFound, match=re.escape("Conseiller introuvable dans votre structure.")
        ):
            write()
    assert Counsellor.get_by_id(outsider.id).active


def test_grant_and_withdraw_rights_take_effect_at_once(
    services, actor, colleague, colleague_actor, dossier
):
    entry = services.administration.set_rights(actor, colleague.id, {Right.VIEW_DOSSIER})

    assert entry.rights == {Right.VIEW_DOSSIER}
    with pytest.raises(PermissionDenied, match="« Événements »"):
        services.events.open(colleague_actor, dossier.id, event_input(colleague.id))
    entry = services.administration.set_rights(
        actor, colleague.id, [Right.VIEW_DOSSIER, Right.EVENTS]
    )
    assert entry.rights == {Right.VIEW_DOSSIER, Right.EVENTS}
    services.events.open(colleague_actor, dossier.id, event_input(colleague.id))

    records = [r for r in AuditRecord.select().order_by(AuditRecord.id) if r.entity == "counsellor"]
    assert [r.action for r in records] == ["Modification des droits"] * 2
    before, after = json.loads(records[0].before), json.loads(records[0].after)
    assert (before["right_events"], after["right_events"]) == (True, False)


def test_never_withdraw_ones_own_administer_right(services, actor, counsellor):
    with pytest.raises(ValidationError) as refusal:
        services.administration.set_rights(
            actor, counsellor.id, frozenset(Right) - {Right.ADMINISTER}
        )
    assert refusal.value.field_errors == {"rights": NOT_ONESELF_ADMINISTER}
    assert refusal.value.message == (
        "Vous ne pouvez pas retirer votre propre droit « Administrer la structure » : "
        "demandez-le à un autre administrateur."
    )
    # Other rights of one's own may change.
    entry = services.administration.set_rights(actor, counsellor.id, {Right.ADMINISTER})
    assert entry.rights == {Right.ADMINISTER}


def test_another_administrator_may_lose_the_right(services, actor, colleague):
    entry = services.administration.set_rights(actor, colleague.id, set())
    assert entry.rights == frozenset()


COUNSELLOR_WRITES = {
    "create": lambda s, a, o: s.administration.create_counsellor(
        a, CounsellorInput("d.nouveau", "Denis", "Nouveau")
    ),
    "deactivate": lambda s, a, o: s.administration.set_counsellor_active(a, o.id, False),
    "rights": lambda s, a, o: s.administration.set_rights(a, o.id, frozenset(Right)),
}


@pytest.mark.parametrize("write", COUNSELLOR_WRITES.values(), ids=list(COUNSELLOR_WRITES))
def test_counsellor_writes_need_the_administer_right(services, no_admin, structure, write):
    other = make_counsellor(structure, "other", rights={Right.VIEW_DOSSIER})
    before = list(Counsellor.select().order_by(Counsellor.id).dicts())
    with pytest.raises(PermissionDenied) as refusal:
        write(services, no_admin, other)
    assert refusal.value.message == ADMIN_REFUSAL
    assert list(Counsellor.select().order_by(Counsellor.id).dicts()) == before
    assert journal() == []
