"""Snapshots of the screens: home, the nine sections of a dossier, the dispositif cards in
each state, the action menu, the keys help, the command palette and the confirmations;
each at 80×24 and at 120×40 (regenerate with `pytest tests/snapshots --snapshot-update`,
then look at them)."""

from __future__ import annotations

import pytest

from cep_tui.ui.modals.action_menu import ActionMenuModal
from cep_tui.ui.modals.confirm import ConfirmModal
from cep_tui.ui.modals.keys import KeysModal
from tests.snapshots.helpers import SIZES, call, expect, keys, open_dossier, search, snap
from tests.ui.pilot_keys import (
    CLOSED,
    NO_CEP,
    PHASE_2,
    PHASE_3,
    PLANNED_PHASE_3,
    READ_ONLY,
    dossier_id,
    modify_cep_elsewhere,
    open_event,
)


@SIZES
def test_home_my_dossiers(snap_compare, demo_db_url, size):
    assert snap(snap_compare, demo_db_url, size)


@SIZES
def test_home_search(snap_compare, demo_db_url, size):
    assert snap(snap_compare, demo_db_url, size, search("coeur"))


@SIZES
@pytest.mark.parametrize("digit", range(1, 10))
def test_dossier_section(snap_compare, demo_db_url, size, digit):
    """Cœur Élodie, phase 2 in progress and a closed CEP: section `digit`, reached by its key
    (section 2 is the card of a dispositif in phase 2, focused)."""
    assert snap(snap_compare, demo_db_url, size, open_dossier(PHASE_2), keys(str(digit)))


CARD_STATES = {
    "phase-3": (PHASE_3, None),  # "Phase 2 : du … au …" above the phase 3 fields
    "closed": (CLOSED, None),  # no key on a closed dispositif
    "planned-phase-3": (PLANNED_PHASE_3, None),  # Clôturer greyed until phase 3 starts
    "read-only": (PHASE_2, READ_ONLY),  # every key greyed: a right is missing
}


@SIZES
@pytest.mark.parametrize("state", CARD_STATES)
def test_dispositif_card(snap_compare, demo_db_url, size, state):
    search_text, login = CARD_STATES[state]
    assert snap(snap_compare, demo_db_url, size, open_dossier(search_text), keys("2"), login=login)


MENUS = {
    "phase-2": (PHASE_2, None),
    "planned-phase-3": (PLANNED_PHASE_3, None),  # Clôturer greyed with its date
    "read-only": (PHASE_2, READ_ONLY),  # every entry greyed with the missing right
}


@SIZES
@pytest.mark.parametrize("menu", MENUS)
def test_action_menu(snap_compare, demo_db_url, size, menu):
    search_text, login = MENUS[menu]
    assert snap(
        snap_compare,
        demo_db_url,
        size,
        open_dossier(search_text),
        keys("2", "enter"),
        expect(ActionMenuModal),
        login=login,
    )


KEYS_HELP = {
    # From the search box, where "?" would be typed: F1.
    "home": ((keys("f1"),), None),
    "dispositifs": ((open_dossier(PHASE_2), keys("2", "question_mark")), None),
    "dispositifs-read-only": ((open_dossier(PHASE_2), keys("2", "question_mark")), READ_ONLY),
}


@SIZES
@pytest.mark.parametrize("where", KEYS_HELP)
def test_keys_help(snap_compare, demo_db_url, size, where):
    before, login = KEYS_HELP[where]
    assert snap(snap_compare, demo_db_url, size, *before, expect(KeysModal), login=login)


@SIZES
def test_command_palette(snap_compare, demo_db_url, size):
    assert snap(snap_compare, demo_db_url, size, open_dossier(PHASE_2), keys("2", "ctrl+p"))


def open_an_event(app) -> None:
    """An event in progress on Santoni Ghjuvan's dossier, as a colleague would open it."""
    open_event(app, dossier_id(app, NO_CEP))


def changes_by_a_colleague(app) -> None:
    """Cœur Élodie's history: an event opened, then her CEP's prescriber changed."""
    young = dossier_id(app, PHASE_2)
    open_event(app, young, comment="Point sur le projet de formation")
    modify_cep_elsewhere(app, app.services.cep.in_progress(app.actor, young))


@SIZES
def test_dossier_history(snap_compare, demo_db_url, size):
    """DOSSIER > Historique (key 0): who changed what, when, the values before → after."""
    assert snap(
        snap_compare,
        demo_db_url,
        size,
        call(changes_by_a_colleague),
        open_dossier(PHASE_2),
        keys("0"),
    )


CONFIRMATIONS = {
    "delete-cep": (open_dossier(PHASE_2), keys("2", "delete")),
    "close-event": (call(open_an_event), open_dossier(NO_CEP), keys("5", "f")),
}


@SIZES
@pytest.mark.parametrize("question", CONFIRMATIONS)
def test_confirmation(snap_compare, demo_db_url, size, question):
    assert snap(snap_compare, demo_db_url, size, *CONFIRMATIONS[question], expect(ConfirmModal))
