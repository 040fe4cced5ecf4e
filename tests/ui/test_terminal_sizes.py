"""Small and changing terminals: the app opens, goes from home to a dossier and one of its
sections, and shows its modals at 80×24, 60×20 and 40×12; a modal survives the terminal
being resized under it. An exception anywhere fails the test (run_test re-raises it)."""

from __future__ import annotations

import pytest
from textual.geometry import Region, Size
from textual.widgets import DataTable

from cep_tui.ui.modals.catalogue import CatalogueSearchModal
from cep_tui.ui.modals.cep_close import CepCloseModal
from cep_tui.ui.modals.cep_modify import CepModifyModal
from cep_tui.ui.modals.event_form import EventFormModal
from cep_tui.ui.modals.keys import KeysModal
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.widgets.dispositif_card import DispositifCard
from cep_tui.ui.widgets.fields import FormField
from tests.ui.pilot_keys import NO_CEP, PHASE_2, go_to, open_dossier, open_section, until

SMALL_SIZES = [(80, 24), (60, 20), (40, 12)]


def ids(size: tuple[int, int]) -> str:
    return "x".join(map(str, size))


def on_screen(app, widget) -> bool:
    """The widget is laid out, and within the terminal."""
    region = widget.region
    return bool(region) and Region(0, 0, *app.size).contains_region(region)


@pytest.mark.parametrize("size", SMALL_SIZES, ids=ids)
async def test_home_dossier_section_and_modals(make_demo_app, size):
    app = make_demo_app()
    async with app.run_test(size=size) as pilot:
        app.animation_level = "none"
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert app.size == Size(*size)
        await pilot.press("f1")  # from the search box, where "?" would be typed
        await until(pilot, lambda: isinstance(app.screen, KeysModal))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))

        screen = await open_dossier(app, pilot, PHASE_2)
        assert on_screen(app, screen.query_one("#dossier-title"))
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(screen.focused, DispositifCard)

        # A form: it opens focused on a field the counsellor can see.
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, CepModifyModal))
        await pilot.pause()
        assert any(isinstance(node, FormField) for node in app.focused.ancestors)
        assert on_screen(app, app.screen.query_one(".form-body"))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        # The catalogue, searched as you type.
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, CatalogueSearchModal))
        catalogue = app.screen
        await pilot.press(*"offre cep")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert catalogue.query_one(DataTable).row_count >= 1
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)

        # The keys help, then back home.
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, KeysModal))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_form_survives_resizes_and_keeps_what_was_typed(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.animation_level = "none"
        screen = await open_section(app, pilot, PHASE_2, "2")
        form = await go_to(pilot, "c", CepCloseModal)
        await pilot.press(*"29/11")
        for size in [(40, 12), (120, 40), (60, 20), (30, 8), (80, 24)]:
            await pilot.resize_terminal(*size)
            await until(pilot, lambda size=size: app.size == Size(*size))
            await pilot.pause()
            assert app.screen is form
            assert on_screen(app, form.query_one(".form-body"))
        end_date = form.query_one("#field-end_date", FormField).widget
        assert app.focused is end_date and end_date.value == "29/11"
        await pilot.press(*"/2026")
        assert end_date.value == "29/11/2026"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert isinstance(screen.focused, DispositifCard)


async def test_the_event_form_lays_its_fields_out_again_when_the_terminal_widens(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.animation_level = "none"
        screen = await open_section(app, pilot, NO_CEP, "5")
        form = await go_to(pilot, "n", EventFormModal)
        await pilot.pause()
        assert form.has_class("-narrow")
        date = form.query_one("#field-event_date", FormField)
        context = form.query_one("#field-primary_context_id", FormField)
        assert context.region.y > date.region.y  # one under the other

        await pilot.resize_terminal(120, 40)
        await until(pilot, lambda: form.has_class("-wide"))
        await pilot.pause()
        assert context.region.y == date.region.y  # side by side
        assert on_screen(app, form.query_one(".form-body"))

        await pilot.resize_terminal(40, 12)
        await until(pilot, lambda: form.has_class("-narrow"))
        await pilot.pause()
        assert app.screen is form
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
