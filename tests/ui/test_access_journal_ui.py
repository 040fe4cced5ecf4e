"""Opening a dossier, and each section of it, leaves an access-journal record, written
by a worker off the keys' path (issue 13, point 2)."""

from __future__ import annotations

from cep_tui.db.models import AccessRecord
from tests.ui.pilot_keys import PHASE_2, open_dossier, settle, until


async def test_opening_a_dossier_and_a_section_is_journaled(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        await pilot.press("5")
        await settle(pilot)
        await until(pilot, lambda: AccessRecord.select().count() >= 2)
        rows = list(AccessRecord.select().order_by(AccessRecord.id))
        assert {r.dossier_id for r in rows} == {screen.dossier_id}
        assert [r.section for r in rows][:2] == ["synthese", "evenements"]
        assert {r.counsellor_id for r in rows} == {app.actor.id}
