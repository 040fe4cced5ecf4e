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
from cep_tui.vocabulary import Right
from tests.factories import (
    K,
    cep_add_input,
    cep_modify_input,
    event_input,
    make_counsellor,
    make_enrolment,
    make_event,
    make_offer,
    offer_input,
    viewer,
)

ADMIN_REFUSAL = "Action refusée : il vous manque le droit « Administrer la structure »."


def journal() -> list[tuple[str, str, int | None]]:
    return [
        (r.entity, r.action, r.entity_id) for r in AuditRecord.select().order_by(AuditRecord.id)
    ]


def labels(services, kind, **kwargs) -> list[str]:
    return [v.label for v in services.references.choices(viewer(), kind, **kwargs)]


@pytest.fixture
def no_admin(actor_with):
    """A counsellor with every right but "Administrer la structure"."""
    return actor_with(frozenset(Right) - {Right.ADMINISTER}, first_name="Nina", last_name="Sans")


# -- reference lists: reading ------------------------------------------------------------
# The local lists (Lieu d'accueil, Aiguilleur, Motif, Type de projet) are the structure's
# own; the others are national (tests/unit/test_reference_owners.py: owners, both engines).
P = K.RECEPTION_PLACE


def test_values_of_a_list_in_order_with_their_use(services, actor, dossier, counsellor, ref):
    make_event(dossier, counsellor, reception_place="Antenne")
    make_event(dossier, counsellor, reception_place="Antenne", in_progress=False)
    ReferenceValue.update(active=False).where(ReferenceValue.id == ref(P, "Permanence")).execute()

    values = services.administration.reference_values(actor, P)

    assert [v.label for v in values][:3] == ["Siège", "Antenne", "Permanence"]
    antenne = next(v for v in values if v.label == "Antenne")
    assert (antenne.usage, antenne.in_use, antenne.national) == (2, True, False)
    permanence = next(v for v in values if v.label == "Permanence")
    assert (permanence.active, permanence.usage) == (False, 0)


def test_uses_are_counted_up_to_a_limit(services, actor, dossier, counsellor, ref, monkeypatch, db):
    """A value of a list of events is held by hundreds of thousands of them: the count
    stops at its limit, and then says "at least"; deleting it is refused all the same."""
    monkeypatch.setattr(administration, "USAGE_COUNT_LIMIT", 3)
    for _ in range(4):
        make_event(dossier, counsellor, reception_place="Antenne", in_progress=False)
    make_event(dossier, counsellor, reception_place="À distance", in_progress=False)

    values = {v.label: v for v in services.administration.reference_values(actor, P)}

    antenne, remote = values["Antenne"], values["À distance"]
    assert (antenne.usage, antenne.usage_at_least, antenne.usage_label) == (3, True, "≥ 3")
    assert (remote.usage, remote.usage_at_least, remote.usage_label) == (1, False, "1")
    with pytest.raises(RuleViolation) as refused:
        services.administration.delete_reference(actor, antenne.id)
    assert "utilisée par au moins 3 enregistrements" in refused.value.message


def held_by_copies(event: Event, copies: int) -> None:
    """`copies` more events like `event` (inserted a hundred at a time)."""
    row = {name: value for name, value in event.__data__.items() if name != "id"}
    for start in range(0, copies, 100):
        Event.insert_many([row] * min(100, copies - start)).execute()


def test_a_value_held_a_thousand_times_says_at_least_1_000(services, actor, dossier, counsellor):
    """At the real limit: the count stops at 1 000, read "≥ 1 000" in the list and "au moins
    1 000" in the refusal to delete it."""
    held_by_copies(
        make_event(dossier, counsellor, reception_place="Antenne", in_progress=False), 1_000
    )

    (antenne,) = [
        v for v in services.administration.reference_values(actor, P) if v.label == "Antenne"
    ]

    assert (antenne.usage, antenne.usage_at_least) == (1_000, True)
    assert antenne.usage_label == "≥ 1\u202f000"
    with pytest.raises(RuleViolation) as refused:
        services.administration.delete_reference(actor, antenne.id)
    assert "« Antenne » est utilisée par au moins 1\u202f000 enregistrements" in (
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
    entry = services.administration.add_reference(actor, P, "  Visio   conférence ")

    assert (entry.label, entry.active, entry.usage, entry.code) == (
        "Visio conférence",
        True,
        0,
        None,
    )
    assert labels(services, P)[-1] == "Visio conférence"
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
        ("antenne", "Libellé : « Antenne » existe déjà dans la liste « Lieu d'accueil »."),
        (
            "HORS  les  MÛRS",
            "Libellé : « Hors les murs » existe déjà dans la liste « Lieu d'accueil ».",
        ),
    ],
)
def test_add_refused(services, actor, label, message):
    with pytest.raises(ValidationError) as refusal:
        services.administration.add_reference(actor, P, label)
    assert refusal.value.field_errors == {"label": message}
    assert journal() == []


def test_add_a_deactivated_label_says_to_reactivate_it(services, actor, ref):
    services.administration.set_reference_active(actor, ref(P, "Permanence"), False)
    with pytest.raises(ValidationError) as refusal:
        services.administration.add_reference(actor, P, "permanence")
    assert refusal.value.field_errors == {
        "label": "Libellé : « Permanence » existe déjà dans la liste « Lieu d'accueil » "
        "(désactivée : réactivez-la plutôt)."
    }


def test_same_label_in_another_list_is_fine(services, actor):
    assert services.administration.add_reference(actor, K.REFERRER, "Antenne").label == "Antenne"


# -- renaming ----------------------------------------------------------------------------
def test_rename_shows_on_the_records(services, actor, dossier, counsellor, ref):
    enrolment = make_enrolment(dossier, counsellor, referrer="APEC")

    entry = services.administration.rename_reference(actor, ref(K.REFERRER, "APEC"), "Apec")

    assert entry.usage == 1
    assert services.cep.get(actor, enrolment.id).referrer.label == "Apec"
    ((entity, action, ident),) = journal()
    assert (entity, action, ident) == (
        "reference_value",
        "Renommage de valeur de référence",
        entry.id,
    )
    record = AuditRecord.get()
    assert (json.loads(record.before)["label"], json.loads(record.after)["label"]) == (
        "APEC",
        "Apec",
    )


def test_rename_to_its_own_label_in_other_case(services, actor, ref):
    entry = services.administration.rename_reference(actor, ref(P, "Antenne"), "ANTENNE")
    assert entry.label == "ANTENNE"


def test_rename_to_another_values_label_refused(services, actor, ref):
    with pytest.raises(ValidationError) as refusal:
        services.administration.rename_reference(actor, ref(P, "Antenne"), "siège")
    assert refusal.value.field_errors == {
        "label": "Libellé : « Siège » existe déjà dans la liste « Lieu d'accueil »."
    }


def national(kind) -> str:
    return (
        f"La liste « {kind.label} » est nationale : elle est la même pour toutes les "
        "structures et ne se modifie pas depuis l'une d'elles."
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
    assert refusal.value.message == national(kind)
    assert ReferenceValue.get_by_id(ref(kind, code="CEP")).label == "CEP"
    assert journal() == []


def test_unknown_value(services, actor):
    with pytest.raises(
        NotFound, match=re.escape("Valeur introuvable dans les listes de référence.")
    ):
        services.administration.rename_reference(actor, 999_999, "X")


# -- deactivating and reactivating ---------------------------------------------------------
def test_deactivated_value_leaves_the_forms_but_stays_on_records(
    services, actor, dossier, counsellor, ref
):
    apec = ref(K.REFERRER, "APEC")
    enrolment = make_enrolment(dossier, counsellor, referrer="APEC")

    entry = services.administration.set_reference_active(actor, apec, False)

    assert (entry.active, entry.usage) == (False, 1)
    assert "APEC" not in labels(services, K.REFERRER)
    assert "APEC" in labels(services, K.REFERRER, keep_id=apec)
    assert "APEC" in labels(services, K.REFERRER, include_inactive=True)
    view = services.cep.get(actor, enrolment.id)
    assert (view.referrer.label, view.referrer.active) == ("APEC", False)
    # The CEP holding it is still saved with it.
    services.cep.modify(actor, enrolment.id, cep_modify_input(referrer_id=apec), view.version)
    assert journal()[0][1] == "Désactivation de valeur de référence"


def test_deactivated_value_refused_in_a_cep(services, actor, dossier, ref):
    apec = ref(K.REFERRER, "APEC")
    services.administration.set_reference_active(actor, apec, False)
    with pytest.raises(ValidationError) as refusal:
        services.cep.add(actor, dossier.id, cep_add_input(referrer_id=apec))
    assert refusal.value.field_errors == {"referrer_id": "Aiguilleur : valeur inconnue."}


def test_reactivated_value_comes_back(services, actor, ref):
    permanence = ref(P, "Permanence")
    services.administration.set_reference_active(actor, permanence, False)
    entry = services.administration.set_reference_active(actor, permanence, True)

    assert entry.active and "Permanence" in labels(services, P)
    assert [a for _, a, _ in journal()] == [
        "Désactivation de valeur de référence",
        "Réactivation de valeur de référence",
    ]


def test_deactivate_twice_refused(services, actor, ref):
    permanence = ref(P, "Permanence")
    services.administration.set_reference_active(actor, permanence, False)
    with pytest.raises(RuleViolation, match=re.escape("« Permanence » est déjà désactivée.")):
        services.administration.set_reference_active(actor, permanence, False)
    services.administration.set_reference_active(actor, permanence, True)
    with pytest.raises(RuleViolation, match=re.escape("« Permanence » est déjà active.")):
        services.administration.set_reference_active(actor, permanence, True)


def test_the_last_active_value_of_a_list_stays(services, actor, ref):
    places = [ref(P, label) for label in ("Siège", "Antenne", "Permanence", "Hors les murs")]
    for place in places:
        services.administration.set_reference_active(actor, place, False)
    remote = ref(P, "À distance")

    with pytest.raises(RuleViolation) as refusal:
        services.administration.set_reference_active(actor, remote, False)
    assert refusal.value.message == (
        "« À distance » est la dernière valeur active de la liste « Lieu d'accueil » : "
        "ajoutez-en une autre d'abord."
    )
    with pytest.raises(RuleViolation, match="dernière valeur active"):
        services.administration.delete_reference(actor, remote)


# -- deleting ----------------------------------------------------------------------------
def test_delete_an_unused_value(services, actor):
    entry = services.administration.add_reference(actor, P, "Visoi")
    services.administration.delete_reference(actor, entry.id)

    assert ReferenceValue.get_or_none(ReferenceValue.id == entry.id) is None
    assert "Visoi" not in labels(services, P, include_inactive=True)
    assert journal()[-1] == ("reference_value", "Suppression de valeur de référence", entry.id)
    assert (
        json.loads(AuditRecord.select().order_by(AuditRecord.id.desc()).get().before)["label"]
        == "Visoi"
    )


@pytest.mark.parametrize(
    ("make", "kind", "label"),
    [
        (lambda s, c, d: make_event(d, c, reception_place="Antenne"), P, "Antenne"),
        (lambda s, c, d: make_enrolment(d, c, referrer="APEC"), K.REFERRER, "APEC"),
    ],
    ids=["event", "enrolment"],
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
    "add": lambda s, a, r: s.administration.add_reference(a, P, "Visio"),
    "rename": lambda s, a, r: s.administration.rename_reference(a, r(P, "Antenne"), "Texto"),
    "deactivate": lambda s, a, r: s.administration.set_reference_active(a, r(P, "Antenne"), False),
    "delete": lambda s, a, r: s.administration.delete_reference(a, r(P, "Antenne")),
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
