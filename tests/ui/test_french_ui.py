"""Textual's own words never reach the counsellor in English: an open list's key, Ctrl+C's
toast, the command palette."""

from __future__ import annotations

from textual.command import CommandInput

from cep_tui.app import CepCommandPalette
from cep_tui.ui.modals.cep_close import CepCloseModal
from tests.ui.pilot_keys import (
    PHASE_2,
    dossier_id,
    footer_keys,
    go_to,
    open_modal,
    record_notifications,
    settle,
    tab_to,
    until,
    widget_of,
)

SIZE = (80, 24)


async def test_an_open_list_says_how_to_close_it_in_french(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        cep = app.services.cep.in_progress(app.actor, dossier_id(app, PHASE_2))
        form = await open_modal(pilot, CepCloseModal(cep))
        reasons = widget_of(form, "exit_reason")
        await tab_to(pilot, reasons)
        await pilot.press("enter")
        await until(pilot, lambda: reasons.expanded)
        keys = footer_keys(form)
        assert "Fermer la liste" in keys and "Dismiss menu" not in keys


async def test_ctrl_c_says_how_to_quit_in_french(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        await pilot.press("ctrl+c")
        await until(pilot, lambda: notes)
        assert notes == [
            ("Ctrl+Q pour quitter cep-tui (Ctrl+C copie le texte choisi).", "information")
        ]


async def test_the_command_palette_speaks_french(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        palette = await go_to(pilot, "ctrl+p", CepCommandPalette)
        assert palette.query_one(CommandInput).placeholder == "Rechercher une commande…"
        descriptions = {b.description for b in CepCommandPalette.BINDINGS}
        assert "Fermer la liste des commandes" in descriptions
        assert not {"Exit the command palette", "Next command"} & descriptions
