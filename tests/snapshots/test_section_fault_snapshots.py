"""Snapshot of a dossier section whose read failed (issue 14: a read fault leaves the
dossier open, says why in French, and offers `r`): SERVICES of Élodie CŒUR while the
database is held by a colleague past the bound; at 80×24 and 120×40 (regenerate with
`pytest tests/snapshots/test_section_fault_snapshots.py --snapshot-update`, then look)."""

from __future__ import annotations

from cep_tui.db.faults import Fault, FaultKind
from cep_tui.services.errors import DatabaseUnavailable
from tests.snapshots.helpers import SIZES, call, keys, open_dossier, snap
from tests.ui.pilot_keys import PHASE_2


def services_read_busy(app) -> None:
    """The services' list of proposals fails as the guard says a lock past its bound."""
    fault = Fault(FaultKind.BUSY)

    def busy(*args, **kwargs):
        raise DatabaseUnavailable(fault.message(saving=False), fault)

    app.services.proposals.list_for_dossier = busy


@SIZES
def test_a_section_whose_read_failed(snap_compare, demo_db_url, size):
    assert snap(
        snap_compare, demo_db_url, size, open_dossier(PHASE_2), call(services_read_busy), keys("3")
    )
