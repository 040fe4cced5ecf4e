"""The administration's « Journal des accès » reads off the UI thread (ui/reads.py), as
the dossier's sections and the offer screen do: while its read waits for the table a
colleague holds, the keys act; a read that fails says why in place of the table, the
administration stays open, and `r` reads again. On both engines."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from cep_tui.db.connection import WaitLimits
from cep_tui.db.models import AccessRecord
from cep_tui.ui.screens.admin import AdminScreen
from cep_tui.ui.widgets.dossier_sections import RETRY_HINT
from tests.factories import NOW
from tests.reliability.fault_injection import table_held
from tests.reliability.test_fault_harness import QUICK, SIZE, start_app
from tests.reliability.test_section_reads import BUSY
from tests.ui.pilot_keys import burst, footer_keys, settle, until, until_outside


def status(screen: AdminScreen) -> str:
    return str(screen.journal.query_one("#journal-status", Static).render())


async def admin_screen(pilot) -> AdminScreen:
    app = pilot.app
    app.animation_level = "none"
    await until(pilot, lambda: app.screen is not None and app.screen.is_mounted)
    screen = AdminScreen()
    app.push_screen(screen)
    await until(pilot, lambda: app.screen is screen and app.focused is not None)
    return screen


def consulted(counsellor, dossier) -> None:
    AccessRecord.create(
        at=NOW,
        counsellor=counsellor,
        structure=counsellor.structure,
        dossier=dossier,
        section="synthese",
    )


async def test_the_journal_answers_keys_while_its_read_waits(
    engine, db, db_url, counsellor, dossier
):
    consulted(counsellor, dossier)
    app = start_app(db_url, WaitLimits(lock_seconds=60))
    async with app.run_test(size=SIZE) as pilot:
        screen = await admin_screen(pilot)
        with table_held(db_url, "access_record") as held:
            await burst(pilot, "end", "enter")
            await until_outside(pilot, lambda: held.waiting() > 0)
            assert screen.current == "access-journal" and screen.journal.reads.reading
            # The keys act while the journal waits: back to the navigation, Conseillers.
            await pilot.press("escape", "up")
            assert screen.current == "counsellors"
            assert [e.login for e in screen.counsellors.entries]
            await pilot.press("down")
            assert screen.current == "access-journal"
            assert held.waiting() > 0 and app.screen is screen
        await settle(pilot)
        assert screen.journal.fault is None
        assert [e.section for e in screen.journal.entries] == ["synthese"]
        assert status(screen) == "1 consultation."


async def test_a_journal_whose_read_fails_says_why_and_r_reads_it_again(
    engine, db, db_url, counsellor, dossier
):
    consulted(counsellor, dossier)
    app = start_app(db_url, QUICK)
    async with app.run_test(size=SIZE) as pilot:
        screen = await admin_screen(pilot)
        with table_held(db_url, "access_record", failing=True):
            await burst(pilot, "end", "enter")
            await settle(pilot)  # on PostgreSQL the read ends at the lock's bound
            assert app.is_running and app.screen is screen
            assert status(screen) == f"{BUSY} {RETRY_HINT}"
            assert not screen.journal.query_one(DataTable).display
            assert footer_keys(screen).get("Réessayer") is True
        await pilot.press("r")
        await settle(pilot)
        assert screen.journal.fault is None and len(screen.journal.entries) == 1
        assert screen.journal.query_one(DataTable).display
        assert status(screen) == "1 consultation."
        assert "Réessayer" not in footer_keys(screen)
