"""The same gestures everywhere, and nothing typed twice: the CEP add form names the
counsellor as référent, the new CEP's card takes the focus, `m` modifies in every section,
an error fixed leaves the screen."""

from __future__ import annotations

from cep_tui.ui.modals.cep_add import CepAddModal
from cep_tui.ui.modals.cep_phase3 import Phase3Modal
from cep_tui.ui.modals.dossier_forms import ContactFormModal
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.widgets.dispositif_card import DispositifCard
from tests.ui.pilot_keys import (
    NO_CEP,
    PHASE_2,
    dossier_id,
    error_under,
    go_to,
    open_dossier,
    open_modal,
    set_choice,
    submit,
    submit_refused,
    type_into,
    until,
    widget_of,
)

SIZE = (80, 24)


async def test_a_cep_added_has_its_card_focused_and_its_keys_ready(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, NO_CEP)
        await pilot.press("2")
        form = await go_to(pilot, "a", CepAddModal)
        assert widget_of(form, "referent_name").value == app.actor.display_name
        set_choice(widget_of(form, "referrer_id"), "Mission Locale")
        set_choice(widget_of(form, "solicitation_reason_id"), "Reconversion")
        await submit(pilot)
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        await until(pilot, lambda: isinstance(app.focused, DispositifCard))
        card = app.focused
        assert screen.current == "dispositifs"
        assert card.enrolment.in_progress and card.enrolment.referent_name == (
            app.actor.display_name
        )
        await go_to(pilot, "p", Phase3Modal)


async def test_m_modifies_the_contact_details(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dossier(app, pilot, PHASE_2)
        await pilot.press("8")
        await pilot.pause()
        await go_to(pilot, "m", ContactFormModal)


async def test_an_error_fixed_leaves_the_screen(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        form = await open_modal(pilot, CepAddModal(dossier_id(app, NO_CEP)))
        await type_into(pilot, form, "entry_date", "29/02/2023")
        await submit_refused(pilot, form)
        assert error_under(form, "entry_date") == "Date d'entrée : 29/02/2023 n'existe pas."
        assert error_under(form, "referrer_id").endswith("ce champ est obligatoire.")

        await type_into(pilot, form, "entry_date", "30/02/20")  # still not a date
        assert error_under(form, "entry_date")
        await type_into(pilot, form, "entry_date", "01/03/2026")
        assert error_under(form, "entry_date") == ""
        set_choice(widget_of(form, "referrer_id"), "Mission Locale")
        await pilot.pause()
        assert error_under(form, "referrer_id") == ""
