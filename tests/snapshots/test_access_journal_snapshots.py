"""Snapshots of the administration's « Journal des accès »: an administrator's, after
opening a dossier and its Évènements (and filtered to nothing, and while the database is
held past the bound: the fault said in place, `r`), and the refusal a counsellor without
the right « Administrer la structure » reads there; at 80×24 and at 120×40."""

from __future__ import annotations

import pytest

from cep_tui.db.faults import Fault, FaultKind
from cep_tui.services.errors import DatabaseUnavailable
from cep_tui.ui.screens.admin import AdminScreen
from cep_tui.ui.screens.home import HomeScreen
from tests.snapshots.helpers import SIZES, call, expect, keys, open_dossier, snap
from tests.ui.pilot_keys import PHASE_2

WITHOUT_THE_RIGHT = "m.bernard"  # no « Administrer la structure »

CONSULTED = (open_dossier(PHASE_2), keys("5"), keys("escape"), expect(HomeScreen))
JOURNAL = (keys("f3"), expect(AdminScreen), keys("end", "enter"))


def journal_read_busy(app) -> None:
    """The journal's read fails as the guard says a lock past its bound."""
    fault = Fault(FaultKind.BUSY)

    def busy(*args, **kwargs):
        raise DatabaseUnavailable(fault.message(saving=False), fault)

    app.services.access_journal.of_structure = busy


# name: (login, steps)
SCREENS = {
    "journal": (None, (*CONSULTED, *JOURNAL)),
    "journal-refused": (WITHOUT_THE_RIGHT, (*CONSULTED, *JOURNAL)),
    "journal-filter-finds-nothing": (None, (*CONSULTED, *JOURNAL, keys("slash", *"zz"))),
    "journal-read-failed": (None, (*CONSULTED, call(journal_read_busy), *JOURNAL)),
}


@SIZES
@pytest.mark.parametrize("name", SCREENS)
def test_access_journal(snap_compare, demo_db_url, size, name):
    login, actions = SCREENS[name]
    assert snap(snap_compare, demo_db_url, size, *actions, login=login)
