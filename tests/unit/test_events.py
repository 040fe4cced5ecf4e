"""Évènements: the form's rules, one event in progress per dossier, closing, the list."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.services.errors import NotFound, RuleViolation, ValidationError
from cep_tui.services.events import EventFilter, EventInput, comment_counter
from cep_tui.vocabulary import ActionKind, ReferenceKind
from tests.factories import (
    TODAY,
    YESTERDAY,
    cep_add_input,
    event_input,
    make_counsellor,
    make_event,
)

K = ReferenceKind
SAME_CONTEXT_TWICE = "Un même contexte ne peut pas être choisi deux fois."


@pytest.fixture
def form(counsellor):
    return event_input(counsellor.id)


def test_open_an_event(services, actor, dossier, colleague, ref, form):
    view = services.events.open(
        actor,
        dossier.id,
        event_input(
            colleague.id,
            event_date="28/11/2026",
            secondary_context_id=ref(K.CONTEXT, "Emploi"),
            tertiary_context_id=ref(K.CONTEXT, "Mobilité"),
            comment="  Premier entretien\r\nsuite  ",
            walk_in=True,
        ),
    )

    assert view.in_progress
    assert view.event_date == YESTERDAY
    assert [c.label for c in view.contexts] == ["CEP", "Emploi", "Mobilité"]
    assert view.has_cep_context
    assert (view.direction.label, view.nature.label) == (
        "Jeune vers Structure",
        "Entretien individuel",
    )
    assert (view.reception_place.label, view.function.label) == ("Siège", "Conseiller")
    assert view.intervenant_name == "Bruno DURAND"
    assert view.comment == "Premier entretien\nsuite"
    assert view.walk_in is True
    assert services.events.in_progress(actor, dossier.id) == view


REQUIRED = {
    "event_date": "Date : ce champ est obligatoire.",
    "primary_context_id": "Contexte primaire : ce champ est obligatoire.",
    "direction_id": "Sens : ce champ est obligatoire.",
    "nature_id": "Nature : ce champ est obligatoire.",
    "reception_place_id": "Lieu d'accueil : ce champ est obligatoire.",
    "function_id": "Fonction : ce champ est obligatoire.",
    "intervenant_id": "Intervenant : ce champ est obligatoire.",
}


@pytest.mark.parametrize(("field", "message"), REQUIRED.items(), ids=list(REQUIRED))
def test_each_required_field(services, actor, dossier, counsellor, field, message):
    with pytest.raises(ValidationError) as refusal:
        services.events.open(actor, dossier.id, event_input(counsellor.id, **{field: None}))
    assert refusal.value.field_errors == {field: message}


def test_empty_form_lists_every_required_field(services, actor, dossier):
    with pytest.raises(ValidationError) as refusal:
        services.events.open(actor, dossier.id, EventInput())
    assert refusal.value.field_errors == REQUIRED


def test_comment_of_exactly_255_characters_accepted(services, actor, dossier, counsellor):
    comment = "é" * 255
    view = services.events.open(actor, dossier.id, event_input(counsellor.id, comment=comment))
    assert view.comment == comment


def test_comment_of_256_characters_refused(services, actor, dossier, counsellor):
    with pytest.raises(ValidationError) as refusal:
        services.events.open(actor, dossier.id, event_input(counsellor.id, comment="x" * 256))
    assert refusal.value.field_errors == {
        "comment": "Commentaire : 255 caractères au maximum (256 saisis)."
    }


def test_comment_is_counted_as_stored(services, actor, dossier, counsellor):
    """Surrounding blanks and control characters are dropped before counting."""
    form = event_input(counsellor.id, comment="  " + "x" * 255 + "\x07\n ")
    assert services.events.open(actor, dossier.id, form).comment == "x" * 255


@pytest.mark.parametrize(
    ("text", "counter"), [("", "0/255"), ("abc", "3/255"), ("x" * 300, "300/255")]
)
def test_live_comment_counter(text, counter):
    assert comment_counter(text) == counter


@pytest.mark.parametrize(
    ("secondary", "tertiary", "field"),
    [
        ("CEP", None, "secondary_context_id"),
        ("Emploi", "CEP", "tertiary_context_id"),
        ("Emploi", "Emploi", "tertiary_context_id"),
    ],
    ids=["secondary=primary", "tertiary=primary", "tertiary=secondary"],
)
def test_same_context_twice_refused(
    services, actor, dossier, counsellor, ref, secondary, tertiary, field
):
    form = event_input(
        counsellor.id,
        secondary_context_id=ref(K.CONTEXT, secondary),
        tertiary_context_id=ref(K.CONTEXT, tertiary) if tertiary else None,
    )
    with pytest.raises(ValidationError) as refusal:
        services.events.open(actor, dossier.id, form)
    assert refusal.value.field_errors == {field: SAME_CONTEXT_TWICE}


def test_tertiary_context_needs_a_secondary(services, actor, dossier, counsellor, ref):
    form = event_input(counsellor.id, tertiary_context_id=ref(K.CONTEXT, "Emploi"))
    with pytest.raises(ValidationError) as refusal:
        services.events.open(actor, dossier.id, form)
    assert refusal.value.field_errors == {
        "tertiary_context_id": "Contexte tertiaire : renseigner d'abord le contexte secondaire."
    }


@pytest.mark.parametrize("position", [0, 1, 2])
def test_cep_context_may_sit_in_any_of_the_three_fields(
    services, actor, dossier, counsellor, ref, position
):
    labels = ["Emploi", "Formation", "Santé"]
    labels[position] = "CEP"
    form = event_input(
        counsellor.id,
        primary_context_id=ref(K.CONTEXT, labels[0]),
        secondary_context_id=ref(K.CONTEXT, labels[1]),
        tertiary_context_id=ref(K.CONTEXT, labels[2]),
    )
    assert services.events.open(actor, dossier.id, form).has_cep_context


def test_event_date_in_the_future_refused(services, actor, dossier, counsellor):
    with pytest.raises(ValidationError) as refusal:
        services.events.open(actor, dossier.id, event_input(counsellor.id, event_date="30/11/2026"))
    assert refusal.value.field_errors == {
        "event_date": "Date : un évènement ne peut pas être daté dans le futur."
    }


def test_event_date_today_accepted(services, actor, dossier, form):
    assert services.events.open(actor, dossier.id, form).event_date == TODAY


def test_event_date_before_birth_refused(services, actor, dossier, counsellor):
    with pytest.raises(ValidationError) as refusal:
        services.events.open(actor, dossier.id, event_input(counsellor.id, event_date="01/01/2000"))
    assert refusal.value.field_errors == {
        "event_date": "Date : antérieure à la naissance du jeune."
    }


def test_intervenant_must_be_an_active_counsellor_of_the_structure(
    services, actor, dossier, outsider, structure
):
    retired = make_counsellor(structure, "retraite", active=False)
    for intervenant in (outsider.id, retired.id, 999_999, "abc"):
        with pytest.raises(ValidationError) as refusal:
            services.events.open(actor, dossier.id, event_input(intervenant))
        assert refusal.value.field_errors == {
            "intervenant_id": "Intervenant : conseiller inconnu dans votre structure."
        }


def test_only_one_event_in_progress(services, actor, dossier, form):
    services.events.open(actor, dossier.id, form)

    with pytest.raises(RuleViolation) as refusal:
        services.events.open(actor, dossier.id, form)
    assert refusal.value.message == (
        "Un évènement est déjà en cours sur ce dossier : clôturez-le d'abord."
    )


def test_close_then_open_another(services, actor, dossier, form):
    first = services.events.open(actor, dossier.id, form)

    closed = services.events.close(actor, first.id)

    assert not closed.in_progress
    assert services.events.in_progress(actor, dossier.id) is None
    second = services.events.open(actor, dossier.id, form)
    assert second.in_progress and second.id != first.id


def test_closed_event_cannot_be_closed_again(services, actor, dossier, counsellor):
    event = make_event(dossier, counsellor, in_progress=False)
    with pytest.raises(RuleViolation) as refusal:
        services.events.close(actor, event.id)
    assert refusal.value.message == "Cet évènement est déjà clôturé."


def test_unknown_event_cannot_be_closed(services, actor):
    with pytest.raises(NotFound) as refusal:
        services.events.close(actor, 999_999)
    assert refusal.value.message == "Évènement introuvable."


def test_actions_are_recorded_only_while_the_event_is_in_progress(
    services, actor, dossier, counsellor
):
    event = make_event(dossier, counsellor)
    services.events.close(actor, event.id)

    services.cep.add(actor, dossier.id, cep_add_input())

    (view,) = services.events.list(actor, dossier.id).items
    assert view.actions == ()


class TestList:
    @pytest.fixture
    def events(self, dossier, counsellor):
        return [
            make_event(dossier, counsellor, event_date=dt.date(2026, 9, 1), in_progress=False),
            make_event(
                dossier,
                counsellor,
                event_date=dt.date(2026, 10, 1),
                nature="Atelier",
                in_progress=False,
            ),
            make_event(
                dossier,
                counsellor,
                event_date=dt.date(2026, 11, 1),
                direction="Structure vers Jeune",
            ),
        ]

    def ids(self, page):
        return [e.id for e in page.items]

    def test_newest_first(self, services, actor, dossier, events):
        assert self.ids(services.events.list(actor, dossier.id)) == [e.id for e in events[::-1]]

    def test_date_range(self, services, actor, dossier, events):
        page = services.events.list(
            actor, dossier.id, EventFilter(date_from="15/09/2026", date_to="15/10/2026")
        )
        assert self.ids(page) == [events[1].id]

    def test_nature_and_direction(self, services, actor, dossier, events, ref):
        by_nature = EventFilter(nature_id=ref(K.NATURE, "Atelier"))
        by_direction = EventFilter(direction_id=ref(K.DIRECTION, "Structure vers Jeune"))
        assert self.ids(services.events.list(actor, dossier.id, by_nature)) == [events[1].id]
        assert self.ids(services.events.list(actor, dossier.id, by_direction)) == [events[2].id]

    def test_in_progress_only(self, services, actor, dossier, events):
        page = services.events.list(actor, dossier.id, EventFilter(in_progress_only=True))
        assert self.ids(page) == [events[2].id]

    def test_action_kind(self, services, actor, dossier, events):
        services.cep.add(actor, dossier.id, cep_add_input())
        page = services.events.list(
            actor, dossier.id, EventFilter(action_kind=ActionKind.DISPOSITIF_ADDED)
        )
        assert self.ids(page) == [events[2].id]
        assert page.items[0].actions[0].kind_label == "Ajout de dispositif"

    def test_paging(self, services, actor, dossier, events):
        first = services.events.list(actor, dossier.id, limit=2)
        rest = services.events.list(actor, dossier.id, offset=2, limit=2)
        assert (len(first.items), first.has_more) == (2, True)
        assert (self.ids(rest), rest.has_more) == ([events[0].id], False)

    def test_invalid_filter_date_refused(self, services, actor, dossier):
        with pytest.raises(ValidationError) as refusal:
            services.events.list(actor, dossier.id, EventFilter(date_from="hier"))
        assert refusal.value.field_errors == {
            "date_from": "Date entre le : date invalide, saisir jj/mm/aaaa."
        }
