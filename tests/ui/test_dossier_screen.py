"""The dossier screen, driven by the keyboard only, at 80×24, on the demonstration data."""

from __future__ import annotations

from textual.widgets import ContentSwitcher, DataTable, OptionList, Static

from cep_tui.db.models import Dossier
from cep_tui.services.dossiers import ComplementsInput, ContactInput
from cep_tui.ui.modals.action_menu import ActionMenuModal
from cep_tui.ui.modals.confirm import ConfirmModal
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.widgets.dispositif_card import DispositifCard
from cep_tui.ui.widgets.dossier_nav import SECTION_IDS, section_key
from cep_tui.ui.widgets.events_section import EventList
from tests.ui.pilot_keys import (
    CLOSED,
    NO_CEP,
    NOT_JUSTIFIED,
    PHASE_2,
    PHASE_3,
    PLANNED_PHASE_3,
    READ_ONLY,
    open_dispositifs,
    open_dossier,
    open_event,
    open_section,
    record_notifications,
    settle,
    texts_of,
    until,
)

SIZE = (80, 24)


async def test_each_section_by_its_digit(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        services, actor, dossier_id = app.services, app.actor, screen.dossier_id
        synthesis_view = services.dossiers.synthesis(actor, dossier_id)
        title = str(screen.query_one("#dossier-title", Static).content)
        assert title.startswith("CŒUR Élodie — n° ")
        assert title.endswith(" — 19 ans — Justifié")

        synthesis = texts_of(screen, "#synthese .section-text")
        assert "Statut du dossier : Justifié" in synthesis
        assert "Conseiller référent : Claire DUPONT" in synthesis
        assert "CEP CONSEIL PERSONNALISÉ (EN COURS)" in synthesis
        event = synthesis_view.event_in_progress
        if event is None:
            assert "Aucun évènement en cours." in synthesis
        else:
            assert event.event_date.strftime("%d/%m/%Y") in synthesis

        switcher = screen.query_one(ContentSwitcher)
        for digit, section_id in enumerate(SECTION_IDS, start=1):
            await pilot.press(section_key(digit))
            await pilot.pause()
            assert switcher.current == section_id
            nav = screen.query_one("#dossier-nav", OptionList)
            assert nav.highlighted_option.id == section_id

        await pilot.press("2")
        await pilot.pause()
        cards = list(screen.query(DispositifCard))
        expected = services.cep.list(actor, dossier_id)
        assert [c.enrolment.title for c in cards] == [e.title for e in expected]
        assert cards[0].enrolment.title == "CEP CONSEIL PERSONNALISÉ (EN COURS)"
        assert screen.focused is cards[0]
        first = str(cards[0].content)
        assert "Date d'entrée : " in first and "Aiguilleur : " in first
        for other in cards[1:]:
            assert "Date de fin : " in str(other.content)
            assert "Motif de sortie : " in str(other.content)

        await pilot.press("3")
        await pilot.pause()
        proposals = services.proposals.list_for_dossier(actor, dossier_id).items
        table = screen.query_one("#services DataTable", DataTable)
        assert table.row_count == len(proposals) > 0
        offer_cell = str(table.get_row_at(0)[1])
        assert proposals[0].offer_name in offer_cell
        assert ("CEP" in offer_cell) is True or not proposals[0].is_cep

        await pilot.press("5")
        await pilot.pause()
        every = services.events.list(actor, dossier_id).items
        assert len(screen.query(".event-card")) == len(every)
        events = texts_of(screen, "#event-list .event-card")
        assert "Contexte primaire : " in events
        assert "Ajout de dispositif" in events
        assert screen.focused is screen.query_one(EventList)

        await pilot.press("7")
        await pilot.pause()
        assert "Nom : CŒUR" in texts_of(screen, "#identite .section-text")

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


def built(screen) -> list[str]:
    return [section_id for section_id in SECTION_IDS if screen.built_section(section_id)]


async def test_a_section_is_built_on_its_first_show_only(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        assert built(screen) == ["synthese"]  # the opening composes what it shows

        await pilot.press("5")
        await pilot.pause()
        events = screen.built_section("evenements")
        every = app.services.events.list(app.actor, screen.dossier_id).items
        assert len(screen.query(".event-card")) == len(every)
        assert screen.focused is screen.query_one(EventList)
        assert built(screen) == ["synthese", "evenements"]

        await pilot.press("1", "5")  # shown again: the same section, not built anew
        await pilot.pause()
        assert screen.built_section("evenements") is events
        assert len(screen.query(".event-card")) == len(every)


async def test_a_write_reaches_the_sections_built_or_not(make_demo_app):
    app = make_demo_app()
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        await pilot.press("9", "1")  # COMPLÉMENTS built, then hidden
        await pilot.pause()
        assert built(screen) == ["synthese", "complements"]

        services, actor, dossier_id = app.services, app.actor, screen.dossier_id
        services.dossiers.update_complements(
            actor, dossier_id, ComplementsInput(complementary_info="Permis B en cours")
        )
        services.dossiers.update_contact(actor, dossier_id, ContactInput(city="Sartène"))
        screen.after("Enregistré.")(True)  # what a form's result does
        await until(pilot, lambda: ("Enregistré.", "information") in notes)

        await pilot.press("9")
        await pilot.pause()
        assert "Permis B en cours" in texts_of(screen, "#complements .section-text")
        await pilot.press("8")  # never shown before the write
        await pilot.pause()
        assert "Commune : Sartène" in texts_of(screen, "#coordonnees .section-text")


async def test_arrows_and_enter_in_the_navigation(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        nav = screen.query_one("#dossier-nav", OptionList)
        assert screen.focused is nav
        await pilot.press("down")  # skips the SUIVI heading
        await pilot.pause()
        assert nav.highlighted_option.id == "dispositifs"
        assert screen.query_one(ContentSwitcher).current == "dispositifs"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(screen.focused, DispositifCard)


async def test_card_offers_what_the_state_allows(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, phase2 = await open_dispositifs(app, pilot, PHASE_2)
        for action in ("modify", "close", "phase_3", "delete", "menu"):
            assert phase2.check_action(action, ()) is True
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ActionMenuModal))
        menu = app.screen.query_one(OptionList)
        assert [o.id for o in menu.options] == ["modify", "close", "phase_3", "delete"]
        assert not any(o.disabled for o in menu.options)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        closed = list(screen.query(DispositifCard))[1]
        assert closed.check_action("menu", ()) is False
        assert all(closed.check_action(a, ()) is False for a in ("modify", "close", "delete"))

        await pilot.press("escape")
        screen, phase3 = await open_dispositifs(app, pilot, PHASE_3)
        assert phase3.check_action("phase_3", ()) is False
        assert phase3.check_action("close", ()) is True
        footer_keys = {b.binding.key for b in screen.active_bindings.values() if b.enabled}
        assert {"m", "c", "delete"} <= footer_keys and "p" not in footer_keys

        await pilot.press("escape")
        screen, only = await open_dispositifs(app, pilot, CLOSED)
        assert not only.enrolment.in_progress
        assert all(only.check_action(a, ()) is False for a in ("modify", "close", "delete"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)  # no menu on a closed dispositif


async def test_planned_phase_3_greys_the_closing_with_its_reason(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        _, planned = await open_dispositifs(app, pilot, PLANNED_PHASE_3)
        assert planned.check_action("close", ()) is None
        assert planned.action_refusal("close").startswith("Clôture possible à partir du ")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ActionMenuModal))
        disabled = [o.id for o in app.screen.query_one(OptionList).options if o.disabled]
        assert disabled == ["close"]


async def test_read_only_counsellor_sees_greyed_keys_with_reasons(make_demo_app):
    app = make_demo_app(READ_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        screen, first = await open_dispositifs(app, pilot, PHASE_2)
        reason = "Il vous manque le droit « Proposer CEP »."
        for action in ("modify", "close", "phase_3", "delete"):
            assert first.check_action(action, ()) is None
            assert first.action_refusal(action) == reason
        bindings = screen.active_bindings
        assert not bindings["m"].enabled and not bindings["delete"].enabled
        assert not bindings["a"].enabled
        assert screen.action_refusal("add_cep") == reason

        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ActionMenuModal))
        assert all(o.disabled for o in app.screen.query_one(OptionList).options)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))

        await pilot.press("8")
        await pilot.pause()
        assert not screen.active_bindings["m"].enabled
        assert "Modifier les informations d'un dossier" in screen.action_refusal("edit")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)

        await pilot.press("5")
        await pilot.pause()
        assert not screen.active_bindings["n"].enabled
        assert not screen.active_bindings["f"].enabled
        assert "Événements" in screen.action_refusal("new_event")


async def test_delete_the_cep_after_confirmation(make_demo_app):
    app = make_demo_app()
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        screen, first_card = await open_dispositifs(app, pilot, PHASE_2)
        enrolment = first_card.enrolment
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        trace = app.services.cep.deletion_trace(app.actor, screen.dossier_id)
        assert texts_of(app.screen, ".confirm-question") == f"Supprimer le dispositif CEP ? {trace}"
        await pilot.press("n")  # changed one's mind: nothing happens
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        ids = [e.id for e in app.services.cep.list(app.actor, screen.dossier_id)]
        assert enrolment.id in ids

        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("o")
        await until(pilot, lambda: ("Dispositif CEP supprimé.", "information") in notes)
        remaining = app.services.cep.list(app.actor, screen.dossier_id)
        assert enrolment.id not in [e.id for e in remaining]
        assert app.services.cep.in_progress(app.actor, screen.dossier_id) is None
        await until(pilot, lambda: len(screen.query(DispositifCard)) == 1)
        assert isinstance(screen.focused, DispositifCard)


async def test_add_cep_is_refused_with_the_service_message(make_demo_app):
    app = make_demo_app()
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await open_dossier(app, pilot, PHASE_2)
        await pilot.press("2", "a")
        await pilot.pause()
        assert ("Ce jeune a déjà un dispositif CEP en cours.", "warning") in notes
        assert isinstance(app.screen, DossierScreen)

        await pilot.press("escape")
        await open_dossier(app, pilot, NOT_JUSTIFIED)
        await pilot.press("2", "a")
        await pilot.pause()
        assert any("Justifié" in message for message, _ in notes)

        await pilot.press("escape")
        await open_dossier(app, pilot, NO_CEP)
        await pilot.press("2", "a")
        await until(pilot, lambda: type(app.screen).__name__ == "CepAddModal")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))


async def test_close_the_event_in_progress(make_demo_app):
    app = make_demo_app()
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        current = app.services.events.in_progress(app.actor, screen.dossier_id)
        if current is not None:  # start from a known event, opened just before
            app.services.events.close(app.actor, current.id)
        event = open_event(app, screen.dossier_id, comment="[b]Entretien[/b] du jour")
        await pilot.press("5")
        await pilot.pause()
        screen.reload()
        await settle(pilot)
        await pilot.pause()
        events = texts_of(screen, "#event-list .event-card")
        assert "29/11/2026 - (EN COURS)" in events
        assert "Commentaire : [b]Entretien[/b] du jour" in events  # never markup

        await pilot.press("n")  # one event at a time
        await pilot.pause()
        assert any("déjà en cours" in message for message, _ in notes)

        await pilot.press("f")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("o")
        await until(pilot, lambda: ("Évènement clôturé.", "information") in notes)
        assert app.services.events.in_progress(app.actor, screen.dossier_id) is None
        assert event.id in [
            e.id for e in app.services.events.list(app.actor, screen.dossier_id).items
        ]
        assert "(EN COURS)" not in texts_of(screen, "#event-list .event-card")

        await pilot.press("f")
        await pilot.pause()
        assert ("Aucun évènement n'est en cours sur ce dossier.", "warning") in notes
        await pilot.press("n")
        await until(pilot, lambda: type(app.screen).__name__ == "EventFormModal")


async def test_events_filter_in_progress_only(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_section(app, pilot, PHASE_2, "5")
        every = app.services.events.list(app.actor, screen.dossier_id).items
        current = [e for e in every if e.in_progress]
        assert len(every) > len(current)
        assert len(screen.query(".event-card")) == len(every)
        await pilot.press("shift+tab")  # from the list up to "Tous / en cours uniquement"
        await pilot.pause()
        assert screen.focused.id == "filter-scope"
        await pilot.press("down", "enter")
        await until(pilot, lambda: len(screen.query(".event-card")) == len(current))
        if not current:
            assert "Aucun évènement" in texts_of(screen, "#evenements .section-caption")


async def test_events_filter_by_dates(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_section(app, pilot, PHASE_2, "5")
        every = app.services.events.list(app.actor, screen.dossier_id).items
        newest = every[0].event_date
        screen.query_one("#filter-from").focus()
        await pilot.press(*newest.strftime("%d/%m/%Y"))
        await until(pilot, lambda: len(screen.query(".event-card")) < len(every))
        expected = sum(1 for e in every if e.event_date >= newest)
        assert len(screen.query(".event-card")) == expected

        await pilot.press("escape")  # out of the field, back to the list: still here
        await pilot.pause()
        assert isinstance(app.screen, DossierScreen)
        assert screen.focused is screen.query_one(EventList)

        screen.query_one("#filter-to").focus()
        await pilot.press(*"31/02/2026")  # not a date: the service says so, in place
        await until(pilot, lambda: "Et le" in texts_of(screen, "#evenements .section-caption"))


async def test_coordinates_never_read_as_markup_and_edit_key(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        app.services.dossiers.update_contact(
            app.actor, screen.dossier_id, ContactInput(address="[b]3 rue[/b] [red]Fesch[/red]")
        )
        await pilot.press("8")
        await pilot.pause()
        screen.reload()
        await settle(pilot)
        await pilot.pause()
        assert "Adresse : [b]3 rue[/b] [red]Fesch[/red]" in texts_of(
            screen, "#coordonnees .section-text"
        )
        assert screen.active_bindings["m"].enabled
        await pilot.press("m")
        await until(pilot, lambda: type(app.screen).__name__ == "ContactFormModal")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        await pilot.press("9", "m")
        await until(pilot, lambda: type(app.screen).__name__ == "ComplementsFormModal")


async def test_services_page_down_loads_the_next_page(make_demo_app, monkeypatch):
    from cep_tui.ui.widgets import follow_up_sections

    monkeypatch.setattr(follow_up_sections, "PAGE_SIZE", 1)
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        # One of the counsellor's dossiers with several services proposed.
        total, dossier_id = max(
            (len(services.proposals.list_for_dossier(actor, row.id).items), row.id)
            for row in services.dossiers.search(actor, "").items
        )
        assert total >= 2
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(DossierScreen(dossier_id))
        await until(pilot, lambda: isinstance(app.screen, DossierScreen))
        screen = app.screen
        await until(pilot, lambda: screen.dossier is not None)
        await pilot.press("3")
        await pilot.pause()
        table = screen.query_one("#services DataTable", DataTable)
        assert table.row_count == 1
        assert "PgSuiv" in texts_of(screen, "#services .section-caption")
        for shown in range(2, total + 1):
            await pilot.press("pagedown")
            await until(pilot, lambda shown=shown: table.row_count == shown)
        assert "PgSuiv" not in texts_of(screen, "#services .section-caption")


async def test_search_offer_key_opens_the_catalogue(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_dossier(app, pilot, PHASE_2)
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "CatalogueSearchModal")


async def test_a_modal_result_reloads_and_confirms_without_markup(make_demo_app):
    app = make_demo_app()
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        screen.after(None)("Offre « [b]AFPA[/b] » proposée.")  # what the catalogue returns
        await until(pilot, lambda: ("Offre « [b]AFPA[/b] » proposée.", "information") in notes)
        screen.after("Dispositif CEP modifié.")(None)  # cancelled: nothing said
        await pilot.pause()
        assert len(notes) == 1


async def test_unknown_dossier_goes_back_home_with_the_reason(make_demo_app):
    app = make_demo_app()
    notes = record_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(DossierScreen(987654321))
        await until(pilot, lambda: bool(notes))
        assert notes[0][1] == "error"
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_a_dossier_out_of_reach_says_so_and_goes_home(make_demo_app):
    """SYNTHÈSE reads the dossier for the title line too: a dossier the counsellor may not
    consult (another structure's) is refused there, said, and the home screen is back."""
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        notes = record_notifications(app)
        theirs = Dossier.get(Dossier.structure != app.actor.structure_id).id
        app.open_dossier(theirs)
        await until(pilot, lambda: bool(notes) and isinstance(app.screen, HomeScreen))
        assert notes[-1][0] == "Dossier introuvable dans votre structure."
