"""A refused key explains itself: pressing a greyed (or, on a closed card, absent) key shows
its reason at once, in French; the keys help (`?`) shows every reason whole at 80 columns."""

from __future__ import annotations

from textual.widgets import DataTable

from cep_tui.ui.modals.keys import KeysModal
from cep_tui.ui.screens.dossier import DossierScreen
from tests.ui.pilot_keys import (
    CLOSED,
    PHASE_2,
    PLANNED_PHASE_3,
    READ_ONLY,
    go_to,
    open_dispositifs,
    record_notifications,
    until,
)

SIZE = (80, 24)


async def press_refused(pilot, key: str) -> list[tuple[str, str]]:
    notes = record_notifications(pilot.app)
    screen = pilot.app.screen
    await pilot.press(key)
    await until(pilot, lambda: notes)
    assert pilot.app.screen is screen  # nothing opened
    return notes


async def test_c_before_the_planned_phase_3_says_from_when(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        _, card = await open_dispositifs(app, pilot, PLANNED_PHASE_3)
        assert app.focused is card
        notes = await press_refused(pilot, "c")
        ((message, severity),) = notes
        assert message.startswith("Clôture possible à partir du ") and severity == "warning"


async def test_a_without_the_right_names_the_right(make_demo_app):
    app = make_demo_app(READ_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await open_dispositifs(app, pilot, PHASE_2)
        notes = await press_refused(pilot, "a")
        assert notes == [("Il vous manque le droit « Proposer CEP ».", "warning")]


async def test_m_on_a_closed_card_says_it_is_closed(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await open_dispositifs(app, pilot, CLOSED)
        closed = next(c for c in screen.query("DispositifCard") if not c.enrolment.in_progress)
        closed.focus()
        await pilot.pause()
        notes = await press_refused(pilot, "m")
        ((message, _),) = notes
        assert message.startswith("Ce dispositif est clôturé (le ")


async def test_a_free_key_notifies_nothing(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dispositifs(app, pilot, PHASE_2)
        notes = record_notifications(app)
        await pilot.press("x")
        await pilot.pause()
        assert notes == [] and isinstance(app.screen, DossierScreen)


async def test_the_help_shows_each_reason_whole_at_80_columns(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dispositifs(app, pilot, PLANNED_PHASE_3)
        help_modal = await go_to(pilot, "question_mark", KeysModal)
        await pilot.pause()
        table = help_modal.query_one(DataTable)
        labels = [str(table.get_row_at(row)[1]) for row in range(table.row_count)]
        text = " ".join(" ".join(label.split()) for label in labels)
        assert "Clôture possible à partir du" in text and "début de la phase 3." in text
        # Nothing wider than the table: no column cut, nothing to scroll sideways to.
        assert table.virtual_size.width <= table.scrollable_content_region.width
