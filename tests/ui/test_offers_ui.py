"""The offers of service, keyboard only at 80×24 on the demonstration data: from the home
screen to the list, a new offer attached to the CEP, found and proposed from a dossier,
seen in the offer's propositions; modified; each invalid form refused with its message;
nothing written without the right "Gérer des offres de service"."""

from __future__ import annotations

import datetime as dt

from textual.widgets import DataTable, Input, RadioSet, Select, Static

from cep_tui.services.errors import PermissionDenied
from cep_tui.services.offer_form import offer_input_of
from cep_tui.ui.modals.catalogue import CatalogueSearchModal
from cep_tui.ui.modals.offer_form import OfferFormModal
from cep_tui.ui.modals.proposal_form import ProposalFormModal
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.screens.offer import OfferScreen
from cep_tui.ui.screens.offers import OffersScreen
from cep_tui.ui.widgets.fields import FormField
from cep_tui.ui.widgets.offer_sections import PropositionsSection
from cep_tui.vocabulary import CEP_CODE, ReferenceKind
from tests.ui.pilot_keys import (
    choose,
    clear_choice,
    error_under,
    footer_keys,
    go_to,
    open_from_home,
    pick,
    ref_id,
    settle,
    submit,
    submit_refused,
    tab_to,
    top_error,
    type_into,
    until,
    widget_of,
)

SIZE = (80, 24)
TODAY = dt.date(2026, 11, 29)
NEW_NAME = "Offre CEP Ajaccio Réorientation"
OFFERS_REFUSAL = "Action refusée : il vous manque le droit « Gérer des offres de service »."


# -- helpers ---------------------------------------------------------------------------
async def open_offers(pilot) -> OffersScreen:
    screen = await open_from_home(pilot, "f2", OffersScreen, "#offer-results")
    await settle(pilot)
    return screen


async def search_offers(pilot, screen: OffersScreen, text: str) -> list[str]:
    await pilot.press("slash")
    assert pilot.app.focused is screen.query_one("#offer-search", Input)
    await pilot.press("end", "ctrl+u", *text)
    await settle(pilot)
    await pilot.press("enter")  # back to the list
    await pilot.pause()
    return [o.name for o in screen.rows]


async def open_new_form(pilot) -> OfferFormModal:
    form = await go_to(pilot, "n", OfferFormModal)
    await pilot.pause()
    return form


def row_texts(table: DataTable, row: int) -> list[str]:
    return [str(cell) for cell in table.get_row_at(row)]


# -- the whole way: create, find from a dossier, propose, see the proposition ---------
async def test_create_a_cep_offer_then_propose_it_from_a_dossier(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        offers = await open_offers(pilot)
        assert app.focused is offers.query_one("#offer-results", DataTable)
        assert footer_keys(offers)["Nouvelle offre"] is True

        form = await open_new_form(pilot)
        assert form.query_one(".form-body").border_title == "NOUVELLE OFFRE DE SERVICE"
        sections = [str(s.render()) for s in form.query(".form-section").results(Static)]
        assert sections == ["INFORMATIONS GÉNÉRALES", "CONDITIONS MER"]
        # Pre-filled: ML, today, the counsellor as referent, Permanente.
        assert form.value_of("origin") == "ML"
        assert widget_of(form, "start_date").value == "29/11/2026"
        assert widget_of(form, "referent_id").value == actor.id
        assert widget_of(form, "state_id").value == ref_id(
            app, ReferenceKind.OFFER_STATE, "Permanente"
        )
        # The first required field still empty has the focus.
        assert app.focused is widget_of(form, "theme_id")

        await pick(pilot, form, "theme_id", "Projet")
        await pick(pilot, form, "service_act_id", "Aide à la construction")
        await type_into(pilot, form, "offer_type", "Entretien individuel")
        await type_into(pilot, form, "name", NEW_NAME)
        await pick(pilot, form, "national_measure_id", "CEP")
        await type_into(pilot, form, "partner", "Transitions Pro Corse")
        await type_into(pilot, form, "public", "Jeunes de 16 à 25 ans en reconversion")
        await type_into(pilot, form, "places", "8")
        await submit(pilot)
        await until(pilot, lambda: app.screen is offers)
        await settle(pilot)

        # The list shows it, highlighted.
        assert offers.current is not None and offers.current.name == NEW_NAME
        created = services.offers.get(actor, offers.current.id)
        assert (created.is_cep, created.theme.label, created.places) == (
            True,
            "Projet professionnel",
            8,
        )
        assert (created.origin, created.start_date, created.state.label) == (
            "ML",
            TODAY,
            "Permanente",
        )
        assert created.referent.id == actor.id
        detail = str(offers.query_one("#offer-detail", Static).render())
        assert NEW_NAME in detail and "Transitions Pro Corse" in detail

        # From a dossier: the offer search finds it (accents ignored), "p" proposes it.
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        await pilot.press("slash", "home", "ctrl+k", *"santoni ghjuvan")
        await settle(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        dossier_screen = app.screen
        await until(pilot, lambda: dossier_screen.dossier is not None)
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, CatalogueSearchModal))
        catalogue = app.screen
        await pilot.press(*"reorientation ajaccio")
        await settle(pilot)
        assert [i.name for i in catalogue.items] == [NEW_NAME]
        assert catalogue.items[0].is_cep
        await pilot.press("down", "p")
        await until(pilot, lambda: isinstance(app.screen, ProposalFormModal))
        proposal = app.screen
        # No event in progress: the proposal asks for it, CEP context pre-selected.
        place = proposal.query_one("#event-field-reception_place_id", FormField).widget
        await choose(pilot, place, "Siège")
        await submit(pilot)
        await until(pilot, lambda: app.screen is dossier_screen)
        dossier_id = dossier_screen.dossier_id
        latest = services.proposals.list_for_dossier(actor, dossier_id).items[0]
        assert latest.offer_name == NEW_NAME

        # Back to the offers: its synthèse lists the young person under Propositions.
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is home)
        offers = await open_offers(pilot)
        assert await search_offers(pilot, offers, "réorientation") == [NEW_NAME]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OfferScreen))
        synthesis = app.screen
        title = str(synthesis.query_one("#offer-title", Static).render())
        assert title == f"{NEW_NAME} — CEP (phase 1) — Permanente"
        await pilot.press("2")
        await pilot.pause()
        section = synthesis.query_one(PropositionsSection)
        assert [(r.young_person, r.proposed_on) for r in section.rows] == [
            ("SANTONI Ghjuvan", TODAY)
        ]
        table = section.query_one(DataTable)
        assert app.focused is table
        assert row_texts(table, 0)[1:3] == ["SANTONI Ghjuvan", "29/11/2026"]
        # Enter opens that dossier; Escape comes back to the offer.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        assert app.screen.dossier_id == dossier_id
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is synthesis)


async def test_the_fiche_shows_the_guides_sections(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        offers = await open_offers(pilot)
        assert await search_offers(pilot, offers, "offre cep") == ["OFFRE CEP"]
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OfferScreen))
        screen = app.screen
        nav = [str(o.prompt) for o in screen.query_one("#offer-nav").options]
        assert nav == [
            "1 SYNTHÈSE",
            "SUIVI",
            "  2 Propositions",
            "FICHE OFFRE",
            "  3 Informations générales",
            "  4 Conditions MER",
        ]

        def pairs(section_id: str) -> dict[str, str]:
            cells = [str(s.render()) for s in screen.query(f"#{section_id} .synthesis-grid Static")]
            return dict(zip(cells[::2], cells[1::2], strict=True))

        await pilot.press("3")
        general = pairs("informations")
        assert general["Mesure nationale"] == "CEP"
        assert general["Nom de l'offre"] == "OFFRE CEP"
        assert general["Origine de l'offre"] == "ML"
        assert list(general)[:3] == ["Origine de l'offre", "Thème", "Acte de service"]
        await pilot.press("4")
        assert list(pairs("conditions")) == ["Public", "Prérequis", "Places", "Contact"]
        summary = pairs("synthese")
        assert summary["Mesure nationale"] == "CEP (phase 1)"


# -- modify ----------------------------------------------------------------------------
async def test_modify_from_the_list_and_from_the_synthesis(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        offers = await open_offers(pilot)
        assert await search_offers(pilot, offers, "offre cep") == ["OFFRE CEP"]
        before = services.offers.get(actor, offers.current.id)
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, OfferFormModal))
        form = app.screen
        assert form.query_one(".form-body").border_title == "MODIFIER L'OFFRE DE SERVICE"
        assert widget_of(form, "name").value == "OFFRE CEP"
        assert form.value_of("national_measure_id") == before.national_measure.id
        await type_into(pilot, form, "name", "OFFRE CEP 2027")
        await type_into(pilot, form, "end_date", "31/12/2027")
        await submit(pilot)
        await until(pilot, lambda: app.screen is offers)
        await settle(pilot)
        after = services.offers.get(actor, before.id)
        assert (after.name, after.end_date, after.version) == (
            "OFFRE CEP 2027",
            dt.date(2027, 12, 31),
            before.version + 1,
        )
        assert offers.current.name == "OFFRE CEP 2027"

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OfferScreen))
        synthesis = app.screen
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, OfferFormModal))
        form = app.screen
        await tab_to(pilot, widget_of(form, "origin"))
        await pilot.press("right", "enter")  # Autre
        await submit(pilot)
        await until(pilot, lambda: app.screen is synthesis)
        await pilot.pause()
        assert services.offers.get(actor, before.id).origin == "Autre"
        await pilot.press("3")
        cells = [str(s.render()) for s in synthesis.query("#informations .synthesis-grid Static")]
        assert cells[:2] == ["Origine de l'offre", "Autre"]


async def test_modified_meanwhile_shows_the_conflict_on_top(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        offers = await open_offers(pilot)
        await search_offers(pilot, offers, "offre cep")
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, OfferFormModal))
        form = app.screen
        stored = services.offers.get(actor, offers.current.id)
        services.offers.modify(actor, stored.id, offer_input_of(stored))  # someone else
        await type_into(pilot, form, "name", "Mon nom")
        await submit_refused(pilot, form)
        assert "a été modifiée le 29/11/2026" in top_error(form)
        assert services.offers.get(actor, stored.id).name == "OFFRE CEP"


# -- invalid forms ---------------------------------------------------------------------
async def test_each_invalid_form_is_refused_with_its_message(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        offers = await open_offers(pilot)
        count = len(services.offers.list(actor).items)
        form = await open_new_form(pilot)

        # Nothing chosen: every required field says so, the form stays open.
        await clear_choice(pilot, widget_of(form, "state_id"))
        await type_into(pilot, form, "start_date", "")
        await submit_refused(pilot, form)
        assert error_under(form, "theme_id") == "Thème : ce champ est obligatoire."
        assert error_under(form, "service_act_id") == "Acte de service : ce champ est obligatoire."
        assert error_under(form, "name") == "Nom de l'offre : ce champ est obligatoire."
        assert error_under(form, "start_date") == "Date de début : ce champ est obligatoire."
        assert error_under(form, "state_id") == "État : ce champ est obligatoire."
        assert error_under(form, "origin") == ""
        assert app.focused is widget_of(form, "theme_id")  # the first invalid field

        await pick(pilot, form, "theme_id", "Formation")
        await pick(pilot, form, "service_act_id", "Info")
        await pick(pilot, form, "state_id", "Ponctuelle")
        await type_into(pilot, form, "name", "   ")
        await type_into(pilot, form, "start_date", "31/02/2027")
        await submit(pilot)
        assert error_under(form, "theme_id") == ""
        assert error_under(form, "name") == "Nom de l'offre : ce champ est obligatoire."
        assert error_under(form, "start_date") == "Date de début : 31/02/2027 n'existe pas."

        await type_into(pilot, form, "name", "Atelier mobilité")
        await type_into(pilot, form, "start_date", "01/03/2027")
        await type_into(pilot, form, "end_date", "28/02/2027")
        await submit_refused(pilot, form)
        assert error_under(form, "start_date") == ""
        assert error_under(form, "end_date") == (
            "Date de fin : ne peut pas précéder la date de début."
        )
        await type_into(pilot, form, "places", "99999")
        await submit(pilot)
        assert error_under(form, "places") == "Places : un nombre entier positif est attendu."
        assert len(services.offers.list(actor).items) == count

        # Corrected, it is saved.
        await type_into(pilot, form, "end_date", "")
        await type_into(pilot, form, "places", "")
        await submit(pilot)
        await until(pilot, lambda: app.screen is offers)
        await settle(pilot)
        assert offers.current.name == "Atelier mobilité"


async def test_escape_cancels_without_writing(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        offers = await open_offers(pilot)
        count = len(services.offers.list(actor).items)
        form = await open_new_form(pilot)
        await type_into(pilot, form, "name", "Jamais enregistrée")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is offers)
        assert len(services.offers.list(actor).items) == count


# -- search, filters, pages ------------------------------------------------------------
async def test_search_ignores_accents_and_filters_combine(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        offers = await open_offers(pilot)
        table = offers.query_one("#offer-results", DataTable)
        assert [str(c.label) for c in table.columns.values()] == [
            "Nom",
            "Thème",
            "Mesure",
            "État",
            "Début",
            "Fin",
            "Partenaire",
        ]
        assert await search_offers(pilot, offers, "RECEPTION hôtellerie") == [
            "AFPA RECEPTION NISTE EN HOTELLERIE AJACCIO"
        ]
        await search_offers(pilot, offers, "")
        everything = list(offers.rows)

        await choose(pilot, offers.query_one("#filter-measure", Select), "CEP")
        await settle(pilot)
        assert offers.rows and all(o.is_cep for o in offers.rows)
        await choose(pilot, offers.query_one("#filter-period", Select), "Offres : term")
        await settle(pilot)
        assert all(o.is_cep and o.end_date and o.end_date < TODAY for o in offers.rows)
        await clear_choice(pilot, offers.query_one("#filter-measure", Select))
        await settle(pilot)
        assert all(o.end_date and o.end_date < TODAY for o in offers.rows)
        await choose(pilot, offers.query_one("#filter-period", Select), "Offres : tout")
        await choose(pilot, offers.query_one("#filter-theme", Select), "Loge")
        await settle(pilot)
        assert offers.rows and {o.theme.label for o in offers.rows} == {"Logement"}
        await clear_choice(pilot, offers.query_one("#filter-theme", Select))
        await settle(pilot)
        assert list(offers.rows) == everything
        # Escape from a filter goes back to the list, then home.
        await pilot.press("escape")
        assert app.focused is table
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_pages_come_from_the_database(make_demo_app, monkeypatch):
    monkeypatch.setattr("cep_tui.ui.screens.offers.PAGE_SIZE", 10)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        offers = await open_offers(pilot)
        first = [o.name for o in offers.rows]
        assert len(first) == 10 and offers.has_more
        caption = offers.query_one("#offers-caption", Static)
        assert str(caption.render()) == "Offres 1 à 10 — PgSuiv : page suivante"
        assert footer_keys(offers)["Page suivante"] is True
        await pilot.press("pagedown")  # to the last line of the page
        await pilot.pause()
        assert offers.page_offset == 0
        await pilot.press("pagedown")  # then the next page
        await settle(pilot)
        assert offers.page_offset == 10
        assert [o.name for o in offers.rows] != first
        assert str(caption.render()).startswith("Offres 11 à 20")
        await pilot.press("pageup")
        await settle(pilot)
        assert offers.page_offset == 0 and [o.name for o in offers.rows] == first


# -- without the right -----------------------------------------------------------------
async def test_without_the_right_everything_reads_and_nothing_writes(make_demo_app):
    app = make_demo_app("m.bernard")
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        offers = await open_offers(pilot)
        keys = footer_keys(offers)
        assert (keys["Nouvelle offre"], keys["Modifier"], keys["Synthèse de l'offre"]) == (
            False,
            False,
            True,
        )
        reason = "Il vous manque le droit « Gérer des offres de service »."
        assert offers.action_refusal("new_offer") == reason
        assert offers.action_refusal("modify") == reason
        await pilot.press("n", "m")
        await pilot.pause()
        assert app.screen is offers

        # The synthèse reads; its Modifier is greyed with the same reason.
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, OfferScreen))
        synthesis = app.screen
        assert footer_keys(synthesis)["Modifier"] is False
        assert synthesis.action_refusal("modify") == reason
        await pilot.press("m")
        await pilot.pause()
        assert app.screen is synthesis

        # A form reached anyway: the service refuses, naming the right.
        form = OfferFormModal()
        app.push_screen(form)
        await until(pilot, lambda: app.screen is form)
        await pilot.pause()
        assert top_error(form) == OFFERS_REFUSAL
        offer = services.offers.get(actor, synthesis.offer_id)
        await pilot.press("escape")
        form = OfferFormModal(offer)
        app.push_screen(form)
        await until(pilot, lambda: app.screen is form)
        await pilot.pause()
        await type_into(pilot, form, "name", "Pas moi")
        await submit(pilot)
        assert top_error(form) == OFFERS_REFUSAL
        assert services.offers.get(actor, offer.id) == offer
    try:
        services.offers.draft(actor)
    except PermissionDenied as refusal:
        assert refusal.message == OFFERS_REFUSAL
    else:  # pragma: no cover
        raise AssertionError("draft allowed without the right")


async def test_origin_is_chosen_with_the_arrows(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_offers(pilot)
        form = await open_new_form(pilot)
        origin = widget_of(form, "origin")
        assert isinstance(origin, RadioSet)
        await tab_to(pilot, origin)
        await pilot.press("right", "enter")
        assert form.value_of("origin") == "Autre"
        assert ref_id(app, ReferenceKind.NATIONAL_MEASURE, code=CEP_CODE)
