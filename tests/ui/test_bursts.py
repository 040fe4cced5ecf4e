"""Keys in bursts, as a paste, lag or a fast typist over SSH deliver them: every key queued
before the app handles the first (tests/ui/pilot_keys.py `burst`, `burst_into`); whatever
the pace, each key acts on the state every key before it left."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from cep_tui.ui.modals.dossier_forms import ContactFormModal
from tests.ui.pilot_keys import (
    NO_CEP,
    burst,
    burst_into,
    dossier_id,
    open_modal,
    settle,
    until,
    widget_of,
)

SIZE = (80, 24)


async def test_a_search_typed_in_one_burst_finds_what_it_says(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        box = app.screen.query_one("#dossier-search", Input)
        assert app.focused is box
        await burst(pilot, *"santoni ghjuvan")
        assert box.value == ""  # queued, none handled yet: a burst, not a gentle pace
        await until(pilot, lambda: box.value == "santoni ghjuvan")
        await settle(pilot)
        assert [(r.last_name, r.first_name) for r in app.screen.rows] == [("Santoni", "Ghjuvan")]


@pytest.mark.xfail(
    strict=True,
    reason="known bug: Ctrl+S, a priority binding, runs at the app before the keys still "
    "queued at the focused field, so the form saves the text as it was before the burst",
)
async def test_a_field_typed_then_saved_in_one_burst_saves_all_that_was_typed(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = services.dossiers.get(actor, dossier_id(app, NO_CEP))
        done: list = []
        form = await open_modal(pilot, ContactFormModal(dossier), done)
        await burst_into(pilot, form, "city", "Calvi", "ctrl+s")
        assert widget_of(form, "city").value == dossier.city  # nothing handled yet
        await until(pilot, lambda: done)
        assert services.dossiers.get(actor, dossier.id).city == "Calvi"
