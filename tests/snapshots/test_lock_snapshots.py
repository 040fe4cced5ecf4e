"""The idle lock over a dossier (issue 12): nothing of the dossier shows, the counsellor
and the way back are said; at 80×24 and 120×40."""

from __future__ import annotations

from cep_tui.ui.screens.locked import LockedScreen
from tests.snapshots.helpers import SIZES, call, expect, open_dossier, snap
from tests.ui.pilot_keys import PHASE_2


def idle_past_the_limit(app) -> None:
    app.check_idle_lock(now=app.last_key_at + app.settings.idle_minutes * 60)


@SIZES
def test_locked_over_a_dossier(snap_compare, demo_db_url, size):
    assert snap(
        snap_compare,
        demo_db_url,
        size,
        open_dossier(PHASE_2),
        call(idle_past_the_limit),
        expect(LockedScreen),
    )
