"""`?` and F1 open the keys help over every screen and modal (forms, catalogue, menus);
in a text field "?" is typed, F1 still opens the help; the same key closes it."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from cep_tui.ui.modals.action_menu import ActionMenuModal
from cep_tui.ui.modals.catalogue import CatalogueSearchModal
from cep_tui.ui.modals.cep_close import CepCloseModal
from cep_tui.ui.modals.keys import KeysModal
from tests.ui.pilot_keys import PHASE_2, dossier_id, go_to, open_dispositifs, open_modal, until

SIZE = (80, 24)


@pytest.mark.parametrize("key", ["f1", "question_mark"])
async def test_help_over_a_form(make_demo_app, key):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        cep = app.services.cep.in_progress(app.actor, dossier_id(app, PHASE_2))
        form = await open_modal(pilot, CepCloseModal(cep))
        if key == "question_mark":
            form.query_one("#field-exit_reason").widget.focus()  # not a text field
            await pilot.pause()
        help_modal = await go_to(pilot, key, KeysModal)
        assert help_modal.target is form
        await pilot.press(key)
        await until(pilot, lambda: app.screen is form)


async def test_in_a_text_field_question_mark_is_typed_and_f1_opens_the_help(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        catalogue = await open_modal(pilot, CatalogueSearchModal(dossier_id(app, PHASE_2)))
        box = catalogue.query_one("#catalogue-search", Input)
        assert app.focused is box
        await pilot.press("question_mark")
        await until(pilot, lambda: box.value.endswith("?"))
        assert app.screen is catalogue
        await go_to(pilot, "f1", KeysModal)


async def test_help_over_the_action_menu(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dispositifs(app, pilot, PHASE_2)
        menu = await go_to(pilot, "enter", ActionMenuModal)
        help_modal = await go_to(pilot, "question_mark", KeysModal)
        assert help_modal.target is menu
