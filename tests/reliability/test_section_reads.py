"""Issue 14, point 1: the reads that back a screen never freeze the input. The real app,
driven by Pilot, on a dossier whose DEMANDES section (key 4) reads a table a colleague
holds (tests/reliability/fault_injection.py, `table_held`): while the read waits, the
keys act — other sections are shown, the navigation moves; once the table is free, the
section shows what it holds. When the read fails (the lock held past the app's bound),
the dossier stays open, the section says why in French, and `r` reads it again.

On both engines: PostgreSQL's own lock and lock_timeout; on SQLite, whose readers never
wait, the read held (or failed) by the test.
"""

from __future__ import annotations

from textual.widgets import Static

from cep_tui.db.connection import WaitLimits
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.widgets.dossier_sections import RETRY_HINT, DossierSection
from tests.reliability.fault_injection import table_held
from tests.reliability.test_fault_harness import QUICK, SIZE, start_app
from tests.ui.pilot_keys import footer_keys, settle, until, until_outside

BUSY = "La base est occupée par un collègue : réessayez dans un instant."
NO_REQUEST = "Aucune demande."
NO_SERVICE = "Aucun service proposé à ce jeune."


async def dossier_screen(pilot, dossier_id: int) -> DossierScreen:
    app = pilot.app
    app.animation_level = "none"
    await until(pilot, lambda: app.screen is not None and app.screen.is_mounted)
    screen = DossierScreen(dossier_id)
    app.push_screen(screen)
    await until(pilot, lambda: app.screen is screen and screen.dossier is not None)
    await settle(pilot)
    return screen


def section(screen: DossierScreen, section_id: str) -> DossierSection:
    built = screen.built_section(section_id)
    assert built is not None, f"{section_id} was never shown"
    return built


def caption(screen: DossierScreen, section_id: str) -> str:
    return str(section(screen, section_id).query_one(".section-caption", Static).render())


def fault_line(screen: DossierScreen, section_id: str) -> str:
    notice = section(screen, section_id).query_one(".section-fault", Static)
    return str(notice.render()) if notice.has_class("-shown") else ""


async def test_keys_are_answered_while_a_section_waits_for_its_read(engine, db, db_url, dossier):
    app = start_app(db_url, WaitLimits(lock_seconds=60))
    async with app.run_test(size=SIZE) as pilot:
        screen = await dossier_screen(pilot, dossier.id)
        with table_held(db_url, "request") as held:
            await pilot.press("4")
            await until_outside(pilot, lambda: held.waiting() > 0)
            assert screen.current == "demandes"
            requests = section(screen, "demandes")
            assert requests.reads.reading
            # The keys act while DEMANDES waits: SERVICES is shown and read, the
            # navigation follows, and back to DEMANDES, still waiting.
            await pilot.press("3")
            await until(pilot, lambda: caption(screen, "services") == NO_SERVICE)
            assert screen.current == "services"
            await pilot.press("4")
            assert screen.current == "demandes"
            assert held.waiting() > 0 and requests.reads.reading
            assert app.screen is screen
        await settle(pilot)
        assert caption(screen, "demandes") == NO_REQUEST
        assert fault_line(screen, "demandes") == ""


async def test_a_section_whose_read_fails_says_why_and_r_reads_it_again(
    engine, db, db_url, dossier
):
    app = start_app(db_url, QUICK)
    async with app.run_test(size=SIZE) as pilot:
        screen = await dossier_screen(pilot, dossier.id)
        with table_held(db_url, "request", failing=True):
            await pilot.press("4")
            await settle(pilot)  # on PostgreSQL the read ends at the lock's bound
            assert app.is_running and app.screen is screen
            assert fault_line(screen, "demandes") == f"{BUSY} {RETRY_HINT}"
            assert footer_keys(screen).get("Réessayer") is True
            await pilot.press("3")  # the other sections go on
            await settle(pilot)
            assert caption(screen, "services") == NO_SERVICE
            await pilot.press("4")
            await settle(pilot)
        assert fault_line(screen, "demandes").startswith(BUSY)  # read again once shown
        await pilot.press("r")
        await settle(pilot)
        assert fault_line(screen, "demandes") == ""
        assert caption(screen, "demandes") == NO_REQUEST
        assert "Réessayer" not in footer_keys(screen)


async def test_a_read_overtaken_by_a_newer_one_is_dropped(engine, db, db_url, dossier):
    """A read that ends after a newer one was started (a write made the section stale)
    is not shown: the section shows what the last read found."""
    app = start_app(db_url, WaitLimits(lock_seconds=60))
    async with app.run_test(size=SIZE) as pilot:
        screen = await dossier_screen(pilot, dossier.id)
        await pilot.press("4")
        await settle(pilot)
        requests = section(screen, "demandes")
        shown: list = []
        show_data = requests.show_data

        async def recording(data):
            shown.append(data)
            await show_data(data)

        requests.show_data = recording
        with table_held(db_url, "request") as held:
            requests.load()  # the first read waits for the table…
            await until_outside(pilot, lambda: held.waiting() > 0)
            newest: list = []  # no request, as the first read will find: told apart by id
            requests.reads.start(lambda: newest, requests.shown, requests.read_failed)
            await until(pilot, lambda: len(shown) == 1)
            assert held.waiting() > 0  # the first read still waits
        await settle(pilot)
        assert len(shown) == 1 and shown[0] is newest  # the first one's result was dropped
        assert not requests.reads.reading
