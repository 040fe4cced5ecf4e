"""The idle lock (issue 12): after the configured minutes without a key the dossier is
hidden behind a lock screen; Entrée brings the session back as it was (a form being typed
included); `idle_action = "quit"` ends the session instead. The time is handed to the
check (`check_idle_lock(now=…)`): no test waits for minutes or depends on the clock."""

from __future__ import annotations

from textual.widgets import Input

from cep_tui.config import Settings
from cep_tui.ui.modals.dossier_forms import ContactFormModal
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.locked import LockedScreen
from tests.ui.pilot_keys import (
    all_text,
    burst,
    dossier_id,
    open_dossier,
    open_modal,
    settle,
    type_into,
    until,
    widget_of,
)

SIZE = (80, 24)
MINUTES = 15


def idle_for(app, minutes: float) -> None:
    app.check_idle_lock(now=app.last_key_at + minutes * 60)


async def test_the_dossier_is_hidden_after_the_idle_minutes_and_enter_unlocks(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        dossier = await open_dossier(app, pilot, "Santoni Ghjuvan")
        assert "SANTONI" in all_text(dossier)

        idle_for(app, MINUTES - 1)
        await settle(pilot)
        assert app.screen is dossier  # not yet

        idle_for(app, MINUTES)
        await until(pilot, lambda: isinstance(app.screen, LockedScreen))
        lock = app.screen
        await until(pilot, lambda: "verrouillée" in all_text(lock))
        shown = all_text(lock)
        assert "Session verrouillée" in shown and "SANTONI" not in shown
        assert "Claire DUPONT (c.dupont)" in shown

        await burst(pilot, "f4", "question_mark", "ctrl+p", "2")  # nothing of the session
        await settle(pilot)
        assert app.screen is lock

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        assert app.screen is dossier


async def test_a_form_being_typed_is_kept_under_the_lock(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = services.dossiers.get(actor, dossier_id(app, "Santoni Ghjuvan"))
        form = await open_modal(pilot, ContactFormModal(dossier))
        await type_into(pilot, form, "field-city", "Porto-Vecchio")

        idle_for(app, MINUTES)
        await until(pilot, lambda: isinstance(app.screen, LockedScreen))
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is form)

        city = widget_of(form, "field-city")
        assert isinstance(city, Input) and city.value == "Porto-Vecchio"
        assert app.focused is city


async def test_a_key_puts_the_lock_off(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dossier(app, pilot, "Santoni Ghjuvan")
        before = app.last_key_at
        await pilot.press("3")
        assert app.last_key_at > before
        app.check_idle_lock(now=before + MINUTES * 60)  # 15 min after the older key only
        await settle(pilot)
        assert not app.locked


async def test_the_session_ends_when_so_configured(make_demo_app):
    app = make_demo_app()
    app.settings = Settings(idle_minutes=5, idle_action="quit")
    async with app.run_test(size=SIZE) as pilot:
        await open_dossier(app, pilot, "Santoni Ghjuvan")
        idle_for(app, 5)
        await until(pilot, lambda: app.return_code is not None or not app.is_running)
    assert app.end_reason == "idle"
