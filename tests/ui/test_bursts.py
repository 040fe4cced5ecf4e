"""Keys in bursts, as a paste, lag or a fast typist over SSH deliver them: every key queued
before the app handles the first (tests/ui/pilot_keys.py `burst`, `burst_into`); whatever
the pace, each key acts on the state every key before it left — the text typed just
before Ctrl+S is saved, Entrée opens the dossier of the name typed, and the keys typed
while a form opens reach the form."""

from __future__ import annotations

import datetime as dt

from peewee import fn
from textual.widgets import DataTable, Input

from cep_tui.db.models import Offer, Proposal
from cep_tui.services.views import CatalogueKind
from cep_tui.ui.modals.action_item_form import ActionItemFormModal
from cep_tui.ui.modals.cep_add import CepAddModal
from cep_tui.ui.modals.cep_close import CepCloseModal
from cep_tui.ui.modals.cep_modify import CepModifyModal
from cep_tui.ui.modals.cep_phase3 import Phase3Modal
from cep_tui.ui.modals.dossier_forms import ContactFormModal
from cep_tui.ui.modals.event_form import EventFormModal
from cep_tui.ui.modals.proposal_form import ProposalFormModal
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.offer import OfferScreen
from cep_tui.ui.widgets.fields import CommentField
from cep_tui.ui.widgets.offer_sections import PropositionsSection
from tests.ui.pilot_keys import (
    NO_CEP,
    PHASE_2,
    burst,
    burst_into,
    dossier_id,
    open_dispositifs,
    open_modal,
    search_home,
    set_choice,
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


# -- home: Entrée opens the dossier of the text typed ------------------------------------
async def test_a_name_and_enter_in_one_burst_open_that_dossier(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_home(pilot, PHASE_2)  # one result shown: Cœur Élodie
        assert [r.last_name for r in app.screen.rows] == ["Cœur"]
        await burst(pilot, "home", "ctrl+k", *NO_CEP, "enter")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        assert app.screen.dossier_id == dossier_id(app, NO_CEP)


async def test_keys_after_enter_reach_the_dossier_it_opens(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await search_home(pilot, PHASE_2)
        await burst(pilot, "home", "ctrl+k", *NO_CEP, "enter", "8")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        screen = app.screen
        await until(pilot, lambda: screen.dossier is not None)
        await settle(pilot)
        assert screen.dossier_id == dossier_id(app, NO_CEP)
        assert screen.current == "coordonnees"


# -- forms: text then Ctrl+S in one burst saves the text ---------------------------------
async def test_contact_form(make_demo_app):
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


async def test_cep_modify_form(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        cep = services.cep.in_progress(actor, dossier_id(app, PHASE_2))
        done: list = []
        form = await open_modal(pilot, CepModifyModal(cep), done)
        await burst_into(pilot, form, "referent_name", "M. Leca", "ctrl+s")
        await until(pilot, lambda: done)
        assert services.cep.get(actor, cep.id).referent_name == "M. Leca"


async def test_cep_add_form_with_a_choice_in_the_burst(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, NO_CEP)
        done: list = []
        form = await open_modal(pilot, CepAddModal(dossier), done)
        set_choice(widget_of(form, "solicitation_reason_id"), "Reconversion")
        assert app.focused is widget_of(form, "referrer_id")
        # The list opened, the start of a label typed, chosen, the form validated.
        await burst(pilot, "enter", *"Mission", "enter", "ctrl+s")
        await until(pilot, lambda: done)
        assert services.cep.in_progress(actor, dossier).referrer.label == "Mission Locale"


async def test_phase_3_form(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        cep = services.cep.in_progress(actor, dossier_id(app, PHASE_2))
        done: list = []
        form = await open_modal(pilot, Phase3Modal(cep), done)
        await burst_into(pilot, form, "start_date", "01/11/2026", "ctrl+s")
        await until(pilot, lambda: done)
        assert services.cep.get(actor, cep.id).phases[-1].start_date == dt.date(2026, 11, 1)


async def test_close_form(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        cep = services.cep.in_progress(actor, dossier_id(app, PHASE_2))
        done: list = []
        form = await open_modal(pilot, CepCloseModal(cep), done)
        set_choice(widget_of(form, "exit_reason"), "Plan d'action")
        await burst_into(pilot, form, "end_date", "28/11/2026", "ctrl+s")
        await until(pilot, lambda: done)
        assert services.cep.get(actor, cep.id).end_date == dt.date(2026, 11, 28)


async def test_event_form(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, NO_CEP)
        done: list = []
        form = await open_modal(pilot, EventFormModal(dossier), done)
        for field, label in (
            ("primary_context_id", "CEP"),
            ("direction_id", "Jeune vers"),
            ("nature_id", "Entretien individuel"),
            ("reception_place_id", "Antenne"),
        ):
            if widget_of(form, field).is_blank():
                set_choice(widget_of(form, field), label)
        comment = form.query_one("#field-comment", CommentField)
        await burst_into(pilot, form, comment.widget.id or "field-comment", "Bilan", "ctrl+s")
        await until(pilot, lambda: done)
        assert services.events.in_progress(actor, dossier).comment == "Bilan"


async def test_proposal_form_with_its_event(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, NO_CEP)
        offer = services.offers.search_catalogue(actor, "OFFRE CEP", CatalogueKind.INTERNAL)
        done: list = []
        form = await open_modal(pilot, ProposalFormModal(dossier, offer.items[0].id), done)
        place = form.query_one("#event-field-reception_place_id").widget
        if place.is_blank():
            set_choice(place, "Antenne")
        await burst_into(pilot, form, "proposed_on", "28/11/2026", "ctrl+s")
        await until(pilot, lambda: done)
        assert done[0].proposed_on == dt.date(2026, 11, 28)


async def test_action_plan_item_form(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        cep = services.cep.in_progress(actor, dossier_id(app, PHASE_2))
        done: list = []
        form = await open_modal(pilot, ActionItemFormModal(cep), done)
        widget_of(form, "target_date").value = "15/12/2026"
        await burst_into(pilot, form, "text", "Appeler la mairie", "ctrl+s")
        await until(pilot, lambda: done)
        items = services.action_plan.of_enrolment(actor, cep.id)
        assert "Appeler la mairie" in [item.text for item in items]


# -- keys typed while a form opens reach it ---------------------------------------------
async def test_keys_typed_while_the_modify_form_opens_reach_it(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        screen, card = await open_dispositifs(app, pilot, PHASE_2)
        card.focus()
        await settle(pilot)
        cep = services.cep.in_progress(actor, dossier_id(app, PHASE_2))
        # m opens the form on its first field (Aiguilleur); three Tab reach « Nom du référent ».
        await burst(pilot, "m", "tab", "tab", "tab", "end", "ctrl+u", *"M. Leca", "ctrl+s")
        await until(pilot, lambda: app.screen is screen)
        await until(pilot, lambda: services.cep.get(actor, cep.id).referent_name == "M. Leca")


# -- an offer's young people: Entrée after a page key opens one of the page asked for ------
async def test_a_page_key_and_enter_in_one_burst_open_a_young_person_of_that_page(
    make_demo_app, monkeypatch
):
    monkeypatch.setattr("cep_tui.ui.widgets.offer_sections.PROPOSALS_PAGE", 2)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        busiest = (
            Proposal.select(Proposal.offer, fn.COUNT(Proposal.id).alias("n"))
            .join(Offer)
            .where(Offer.structure == app.actor.structure_id)
            .group_by(Proposal.offer)
            .order_by(fn.COUNT(Proposal.id).desc(), Proposal.offer)
            .first()
        )
        assert busiest.n >= 3  # a second page to turn to
        offer_id = busiest.offer_id
        second_page = app.services.proposals.list_for_offer(
            app.actor, offer_id, offset=2, limit=2
        ).items
        await app.push_screen(OfferScreen(offer_id))
        await pilot.press("2")  # Propositions, its list focused
        section = app.screen.query_one(PropositionsSection)
        await until(pilot, lambda: len(section.rows) == 2 and section.has_more)
        assert app.focused is section.query_one(DataTable)
        await burst(pilot, "pagedown", "enter")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        assert app.screen.dossier_id == second_page[0].dossier_id
