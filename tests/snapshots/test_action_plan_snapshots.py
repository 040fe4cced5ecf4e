"""Snapshots of the « Plan d'action » of a CEP: on the card of the Dispositifs section, in
its modal, and its form; each at 80×24 and at 120×40 (regenerate with `pytest
tests/snapshots/test_action_plan_snapshots.py --snapshot-update`, then look at them)."""

from __future__ import annotations

import datetime as dt

from cep_tui.services.action_plan import ActionPlanInput
from cep_tui.ui.modals.action_item_form import ActionItemFormModal
from cep_tui.ui.modals.action_plan import ActionPlanModal
from tests.snapshots.helpers import (
    PHASE_2,
    SIZES,
    call,
    dossier_id,
    expect,
    keys,
    open_dossier,
    snap,
)

PLAN = (
    ("Prendre rendez-vous au CIO d'Ajaccio", dt.date(2026, 12, 4), "fait"),
    ("Visiter le salon de l'apprentissage de Bastia", dt.date(2027, 1, 20), "a_faire"),
    ("Stage d'observation en hôtellerie", dt.date(2027, 2, 15), "abandonne"),
    ("Monter le dossier de financement avec Transitions Pro", dt.date(2027, 3, 1), "a_faire"),
)


def write_plan(app) -> None:
    """Élodie's plan, written through the service as a counsellor would."""
    cep = app.services.cep.in_progress(app.actor, dossier_id(app, PHASE_2))
    for text, target, state in PLAN:
        form = ActionPlanInput(text=text, target_date=target, state=state)
        app.services.action_plan.add(app.actor, cep.id, form)


@SIZES
def test_dispositifs_section_with_a_plan(snap_compare, demo_db_url, size):
    assert snap(snap_compare, demo_db_url, size, call(write_plan), open_dossier(PHASE_2), keys("2"))


@SIZES
def test_action_plan_modal(snap_compare, demo_db_url, size):
    assert snap(
        snap_compare,
        demo_db_url,
        size,
        call(write_plan),
        open_dossier(PHASE_2),
        keys("2", "l"),
        expect(ActionPlanModal),
        keys("down"),
    )


@SIZES
def test_action_item_form(snap_compare, demo_db_url, size):
    """Entrée on the second line: the form, filled with it."""
    assert snap(
        snap_compare,
        demo_db_url,
        size,
        call(write_plan),
        open_dossier(PHASE_2),
        keys("2", "l"),
        expect(ActionPlanModal),
        keys("down", "enter"),
        expect(ActionItemFormModal),
    )
