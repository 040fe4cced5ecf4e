"""The dispositif card: title by current phase, past phases, and the action menu offering
only what the state allows (each refusal with its reason)."""

from __future__ import annotations

import datetime as dt

import pytest

from cep_tui.services.errors import RuleViolation
from cep_tui.services.views import ActionOffer, EnrolmentAction
from cep_tui.vocabulary import EnrolmentStatus, Right
from tests.factories import make_enrolment

A = EnrolmentAction
PHASE_2 = "CEP CONSEIL PERSONNALISÉ"
PHASE_3 = "CEP ACCOMPAGNEMENT PERSONNALISÉ VERS LA MISE EN ŒUVRE DU PROJET"


@pytest.mark.parametrize(
    ("kwargs", "title", "menu"),
    [
        (
            {},
            f"{PHASE_2} (EN COURS)",
            (A.MODIFY, A.CLOSE, A.PHASE_3, A.DELETE),
        ),
        ({"phase": 3}, f"{PHASE_3} (EN COURS)", (A.MODIFY, A.CLOSE, A.DELETE)),
        (
            {"phase_3_start": dt.date(2026, 11, 2)},
            f"{PHASE_3} (EN COURS)",
            (A.MODIFY, A.CLOSE, A.DELETE),
        ),
        (
            {
                "status": EnrolmentStatus.CLOSED,
                "end_date": dt.date(2026, 11, 1),
                "exit_reason": "deces",
            },
            f"{PHASE_2} (CLÔTURÉ)",
            (),
        ),
    ],
    ids=["phase 2", "direct phase 3", "phase 3 after 2", "closed"],
)
def test_title_and_menu_follow_the_state(services, actor, dossier, counsellor, kwargs, title, menu):
    view = services.cep.get(actor, make_enrolment(dossier, counsellor, **kwargs).id)

    assert view.title == title
    assert tuple(offer.action for offer in view.actions) == menu
    assert all(offer.allowed for offer in view.actions)


def test_menu_labels():
    assert [a.label for a in EnrolmentAction] == [
        "Modifier",
        "Clôturer le dispositif",
        "Passer en phase 3",
        "Supprimer",
    ]


def test_past_phase_is_shown_from_to(services, actor, dossier, counsellor):
    view = services.cep.get(
        actor, make_enrolment(dossier, counsellor, phase_3_start=dt.date(2026, 11, 2)).id
    )

    ((phase, start, end),) = [(p.phase, p.start_date, p.end_date) for p in view.past_phases]
    assert f"Phase {phase} : du {start:%d/%m/%Y} au {end:%d/%m/%Y}" == (
        "Phase 2 : du 01/10/2026 au 01/11/2026"
    )


def test_close_offered_with_its_reason_when_phase_3_is_planned(
    services, actor, dossier, counsellor
):
    enrolment = make_enrolment(dossier, counsellor, phase_3_start=dt.date(2027, 1, 15))

    view = services.cep.get(actor, enrolment.id)

    assert view.actions == (
        ActionOffer(A.MODIFY),
        ActionOffer(A.CLOSE, "Clôture possible à partir du 15/01/2027, début de la phase 3."),
        ActionOffer(A.DELETE),
    )


def test_a_phase_3_planned_later_shows_today_as_phase_2(services, actor, dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor, phase_3_start=dt.date(2027, 1, 15))

    view = services.cep.get(actor, enrolment.id)

    assert view.phase == 3 and view.phase_today == 2
    assert view.title == "CEP CONSEIL PERSONNALISÉ (EN COURS)"
    assert view.current_phase_start == dt.date(2026, 10, 1)  # phase 2's entry
    assert view.phase_3_planned_on == dt.date(2027, 1, 15)
    assert view.past_phases == ()


def test_a_phase_3_begun_shows_as_phase_3(services, actor, dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor, phase_3_start=dt.date(2026, 11, 2))

    view = services.cep.get(actor, enrolment.id)

    assert (view.phase_today, view.phase_3_planned_on) == (3, None)
    assert view.title.startswith("CEP ACCOMPAGNEMENT PERSONNALISÉ")
    assert view.current_phase_start == dt.date(2026, 11, 2)


def test_menu_says_which_right_is_missing(services, dossier, counsellor, actor_with):
    reader = actor_with({Right.VIEW_DOSSIER})

    view = services.cep.get(reader, make_enrolment(dossier, counsellor).id)

    refusal = "Il vous manque le droit « Proposer CEP »."
    assert view.actions == tuple(
        ActionOffer(a, refusal) for a in (A.MODIFY, A.CLOSE, A.PHASE_3, A.DELETE)
    )


def test_synthesis_shows_the_cep_in_progress(services, actor, dossier, counsellor):
    enrolment = make_enrolment(dossier, counsellor)

    synthesis = services.dossiers.synthesis(actor, dossier.id)

    assert synthesis.cep.id == enrolment.id
    assert synthesis.dossier.age == 20
    assert synthesis.dossier.status_label == "Justifié"


def test_another_dispositif_is_shown_by_its_name_and_not_managed_here(
    services, actor, dossier, counsellor
):
    other = make_enrolment(dossier, counsellor, dispositif="EMPLOI_AVENIR", with_phases=False)

    (view,) = services.cep.list(actor, dossier.id)

    assert view.title == "EMPLOI D'AVENIR (EN COURS)"
    assert view.actions == ()
    with pytest.raises(RuleViolation) as refusal:
        services.cep.delete(actor, other.id)
    assert refusal.value.message == "Seul le dispositif CEP se gère depuis cet outil."
