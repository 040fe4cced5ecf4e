"""The modal forms, driven from the keyboard at 80×24 on the demonstration data, each step of
the guide end to end; the database is checked through the services afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from textual.widgets import Checkbox, DataTable, Input, RadioSet, Select, Static

from cep_tui.services.views import CatalogueKind
from cep_tui.ui.modals.catalogue import CEP_ADDED, CatalogueSearchModal
from cep_tui.ui.modals.cep_add import CepAddModal
from cep_tui.ui.modals.cep_close import CepCloseModal
from cep_tui.ui.modals.cep_modify import CepModifyModal
from cep_tui.ui.modals.cep_phase3 import PHASE_3_WARNING, Phase3Modal
from cep_tui.ui.modals.dossier_forms import ComplementsFormModal, ContactFormModal
from cep_tui.ui.modals.event_form import EventFormModal
from cep_tui.ui.modals.offer_synthesis import DispositifSynthesisModal, OfferSynthesisModal
from cep_tui.ui.modals.proposal_form import NEEDS_EVENT, ProposalFormModal
from cep_tui.ui.widgets.fields import CommentField
from cep_tui.vocabulary import CEP_CODE, ExitReason, ReferenceKind
from tests.ui.pilot_keys import (
    all_text,
    choose,
    clear_choice,
    dossier_id,
    error_under,
    modify_cep_elsewhere,
    open_modal,
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


async def catalogue_results(pilot, modal: CatalogueSearchModal) -> list[str]:
    await settle(pilot, rounds=1)
    return [item.name for item in modal.items]


# -- Phase 1: propose the OFFRE CEP, the event of the interview with it ------------------
async def test_propose_offre_cep_fills_the_event_with_the_cep_context(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        dossier = dossier_id(app, "Santoni Ghjuvan")
        services, actor = app.services, app.actor
        assert services.events.in_progress(actor, dossier) is None
        proposals_before = services.proposals.list_for_dossier(actor, dossier).items

        results: list = []
        catalogue = await open_modal(pilot, CatalogueSearchModal(dossier), results)
        assert app.focused is catalogue.query_one("#catalogue-search", Input)
        await pilot.press(*"offre cep")
        assert (await catalogue_results(pilot, catalogue))[0] == "OFFRE CEP"
        table = catalogue.query_one(DataTable)
        await pilot.press("down")
        assert app.focused is table
        assert [str(c) for c in table.get_row_at(0)] == ["OFFRE CEP", "O", "+"]
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ProposalFormModal))
        form = app.screen

        # Pre-filled from the offer and the draft; the event is asked for, CEP preselected.
        texts = all_text(form)
        assert "OFFRE CEP" in texts and NEEDS_EVENT in texts
        cep_context = ref_id(app, ReferenceKind.CONTEXT, code=CEP_CODE)
        assert widget_of(form, "event-field-primary_context_id").value == cep_context
        assert widget_of(form, "event-field-intervenant_id").value == actor.id
        assert widget_of(form, "field-proposed_on").value == "29/11/2026"
        # The counsellor's usual lieu d'accueil (that of their last event) pre-filled too:
        # no required field empty, the focus on the first one.
        place = widget_of(form, "event-field-reception_place_id")
        assert not place.is_blank()
        assert app.focused is widget_of(form, "field-proposed_on")

        # Validating without a lieu d'accueil: the service's message under the field, the
        # form stays.
        await clear_choice(pilot, place)
        await submit_refused(pilot, form)
        assert "Lieu d'accueil" in error_under(form, "event-field-reception_place_id")
        assert services.proposals.list_for_dossier(actor, dossier).items == proposals_before
        assert services.events.in_progress(actor, dossier) is None

        await pick(pilot, form, "event-field-reception_place_id", "Siège")
        comment = form.query_one("#proposal-comment", CommentField)
        await tab_to(pilot, comment.widget)
        await pilot.press(*"Premier accueil CEP")
        assert str(comment.query_one(".field-hint").render()) == "19/255"
        await submit(pilot)
        await until(pilot, lambda: results)
        assert results == ["Offre « OFFRE CEP » proposée."]

    proposal = services.proposals.list_for_dossier(actor, dossier).items[0]
    assert (proposal.offer_name, proposal.is_cep, proposal.proposed_on) == (
        "OFFRE CEP",
        True,
        TODAY,
    )
    assert proposal.comment == "Premier accueil CEP"
    event = services.events.in_progress(actor, dossier)
    assert event is not None and event.has_cep_context and proposal.event_id == event.id
    assert event.reception_place.label == "Siège"
    assert [a.kind_label for a in event.actions] == ["Proposition d'offre"]


# -- Phases 2 and 3: add, refuse a second, pass to phase 3, modify, close ----------------
async def test_cep_from_the_catalogue_to_its_closing(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, "Santoni Ghjuvan")
        assert services.cep.in_progress(actor, dossier) is None

        # Add: Type d'offre "Dispositifs", only the CEP can be proposed here.
        results: list = []
        catalogue = await open_modal(pilot, CatalogueSearchModal(dossier), results)
        await choose(pilot, catalogue.query_one("#catalogue-kind", Select), "Disp")
        assert catalogue.kind is CatalogueKind.DISPOSITIFS
        assert await catalogue_results(pilot, catalogue) == ["CEP", "EMPLOI D'AVENIR"]
        table = catalogue.query_one(DataTable)
        await tab_to(pilot, table)
        assert str(table.get_row_at(0)[1]) == "d"
        await pilot.press("down", "p")
        message = str(catalogue.query_one("#catalogue-message", Static).render())
        assert "Seul le dispositif CEP" in message and app.screen is catalogue
        await pilot.press("up", "enter")
        await until(pilot, lambda: isinstance(app.screen, CepAddModal))
        form = app.screen
        assert form.query_one(".form-body").border_title == "Ajouter le dispositif CEP"
        assert widget_of(form, "field-entry_date").value == "29/11/2026"
        assert form.value_of("phase") == "2"
        assert app.focused is widget_of(form, "field-referrer_id")
        await pick(pilot, form, "field-referrer_id", "France Travail")
        await type_into(pilot, form, "field-initial_interview_date", "15/09/2026")
        await type_into(pilot, form, "field-entry_date", "01/10/2026")
        await pick(pilot, form, "field-solicitation_reason_id", "Construire")
        await type_into(pilot, form, "field-prescriber_name", "Mme Rossi")
        await submit(pilot)
        await until(pilot, lambda: results)
        assert results == [CEP_ADDED]

        cep = services.cep.in_progress(actor, dossier)
        assert (cep.phase, cep.entry_date, cep.initial_interview_date) == (
            2,
            dt.date(2026, 10, 1),
            dt.date(2026, 9, 15),
        )
        assert (cep.referrer.label, cep.prescriber_name) == ("France Travail", "Mme Rossi")
        assert cep.solicitation_reason.label == "Construire ou préciser un projet"

        # A second CEP: refused before any form opens, with the guide's reason.
        results.clear()
        catalogue = await open_modal(
            pilot, CatalogueSearchModal(dossier, kind=CatalogueKind.DISPOSITIFS), results
        )
        await catalogue_results(pilot, catalogue)
        await tab_to(pilot, catalogue.query_one(DataTable))
        await pilot.press("p")
        await pilot.pause()
        assert app.screen is catalogue
        assert "Ce jeune a déjà un dispositif CEP en cours." in str(
            catalogue.query_one("#catalogue-message", Static).render()
        )
        await pilot.press("escape")
        await until(pilot, lambda: results == [None])
        assert len(services.cep.list(actor, dossier)) == 1

        # Phase 3: the same day as the phase-2 entry is refused, the next is accepted.
        done: list = []
        form = await open_modal(pilot, Phase3Modal(cep), done)
        texts = all_text(form)
        assert PHASE_3_WARNING in texts
        assert app.focused is widget_of(form, "field-start_date")
        await pilot.press(*"01/10/2026")
        await submit_refused(pilot, form)
        assert "au plus tôt le lendemain" in error_under(form, "field-start_date")
        assert services.cep.get(actor, cep.id) == cep
        await type_into(pilot, form, "field-start_date", "15/11/2026")
        await submit(pilot)
        await until(pilot, lambda: done)
        cep = services.cep.get(actor, cep.id)
        assert done[0] == cep and cep.phase == 3
        assert [(p.phase, p.start_date, p.end_date) for p in cep.phases] == [
            (2, dt.date(2026, 10, 1), dt.date(2026, 11, 14)),
            (3, dt.date(2026, 11, 15), None),
        ]

        # Modify: the five fields; the dates shown read-only.
        done.clear()
        form = await open_modal(pilot, CepModifyModal(cep), done)
        texts = all_text(form)
        assert "Dispositif modifié" in texts and "15/09/2026" in texts and "01/10/2026" in texts
        assert not form.query("#field-entry_date")
        await pick(pilot, form, "field-referrer_id", "Mission Locale")
        await type_into(pilot, form, "field-referent_name", "M. Leca")
        await pick(pilot, form, "field-project_type_id", "Mobilité")
        await submit(pilot)
        await until(pilot, lambda: done)
        cep = services.cep.get(actor, cep.id)
        assert (cep.referrer.label, cep.referent_name, cep.project_type.label) == (
            "Mission Locale",
            "M. Leca",
            "Mobilité",
        )
        assert cep.prescriber_name == "Mme Rossi" and cep.entry_date == dt.date(2026, 10, 1)

        # Close: tomorrow is refused ("pas par anticipation"), today is accepted.
        done.clear()
        form = await open_modal(pilot, CepCloseModal(cep), done)
        reasons = [
            str(prompt)
            for prompt, _ in widget_of(form, "field-exit_reason")._options
            if _ is not Select.NULL
        ]
        assert reasons == [r.label for r in ExitReason]
        assert app.focused is widget_of(form, "field-end_date")
        await pilot.press(*"30/11/2026")
        await pick(pilot, form, "field-exit_reason", "Plan d'action")
        await submit_refused(pilot, form)
        assert "anticipation" in error_under(form, "field-end_date")
        assert services.cep.get(actor, cep.id) == cep
        await type_into(pilot, form, "field-end_date", "29/11/2026")
        await submit(pilot)
        await until(pilot, lambda: done)
        cep = services.cep.get(actor, cep.id)
        assert not cep.in_progress
        assert (cep.end_date, cep.exit_reason_label) == (TODAY, "Plan d'action réalisé")
        assert services.cep.in_progress(actor, dossier) is None


async def test_add_form_refuses_a_second_cep_and_stays_open(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, "Cœur Élodie")
        before = services.cep.list(actor, dossier)
        assert services.cep.in_progress(actor, dossier) is not None
        done: list = []
        form = await open_modal(pilot, CepAddModal(dossier), done)
        await pick(pilot, form, "field-referrer_id", "France Travail")
        await pick(pilot, form, "field-solicitation_reason_id", "Reconversion")
        await submit_refused(pilot, form)
        assert not done
        assert top_error(form) == "Ce jeune a déjà un dispositif CEP en cours."
        assert services.cep.list(actor, dossier) == before
        await pilot.press("escape")
        await until(pilot, lambda: done == [None])


async def test_direct_entry_in_phase_3(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, "Santoni Ghjuvan")
        done: list = []
        form = await open_modal(pilot, CepAddModal(dossier), done)
        await pick(pilot, form, "field-referrer_id", "Cap emploi")
        await pick(pilot, form, "field-solicitation_reason_id", "Reconversion")
        phases = form.query_one(RadioSet)
        await tab_to(pilot, phases)
        await pilot.press("down", "enter")
        assert form.value_of("phase") == "3"
        await submit(pilot)
        await until(pilot, lambda: done)
        assert services.cep.in_progress(actor, dossier).phase == 3


async def test_phase_3_on_the_day_of_the_phase_2_entry_changes_nothing(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        cep = services.cep.in_progress(actor, dossier_id(app, "Cœur Élodie"))
        assert cep.phase == 2
        done: list = []
        form = await open_modal(pilot, Phase3Modal(cep), done)
        await pilot.press(*cep.entry_date.strftime("%d/%m/%Y"))
        await submit_refused(pilot, form)
        assert not done
        earliest = (cep.entry_date + dt.timedelta(days=1)).strftime("%d/%m/%Y")
        assert earliest in error_under(form, "field-start_date")
        assert services.cep.get(actor, cep.id) == cep


async def test_modify_after_someone_else_shows_the_conflict_on_top(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        cep = services.cep.in_progress(actor, dossier_id(app, "Cœur Élodie"))
        done: list = []
        form = await open_modal(pilot, CepModifyModal(cep), done)
        # Meanwhile, the dispositif is saved from elsewhere.
        modify_cep_elsewhere(app, cep)
        await type_into(pilot, form, "field-prescriber_name", "Moi")
        await submit_refused(pilot, form)
        assert not done
        assert "a été modifié par" in top_error(form)
        assert services.cep.get(actor, cep.id).prescriber_name == "Quelqu'un d'autre"


async def test_closing_tomorrow_is_refused_and_nothing_changes(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        cep = services.cep.in_progress(actor, dossier_id(app, "Cœur Élodie"))
        done: list = []
        form = await open_modal(pilot, CepCloseModal(cep), done)
        await pilot.press(*"30/11/2026")
        await pick(pilot, form, "field-exit_reason", "Déménagement")
        await submit_refused(pilot, form)
        assert not done
        assert error_under(form, "field-end_date") == (
            "Date de fin réelle : la clôture ne peut pas être saisie par anticipation."
        )
        assert services.cep.get(actor, cep.id) == cep


# -- The event form ----------------------------------------------------------------------
async def test_event_form_prefilled_with_a_live_counter(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, "Santoni Ghjuvan")
        done: list = []
        form = await open_modal(pilot, EventFormModal(dossier), done)
        assert widget_of(form, "field-event_date").value == "29/11/2026"
        assert widget_of(form, "field-intervenant_id").value == actor.id
        conseiller = ref_id(app, ReferenceKind.FUNCTION, "Conseiller")
        assert widget_of(form, "field-function_id").value == conseiller
        assert app.focused is widget_of(form, "field-primary_context_id")

        await pick(pilot, form, "field-primary_context_id", "CEP")
        await pick(pilot, form, "field-secondary_context_id", "CEP")  # twice: refused
        await pick(pilot, form, "field-direction_id", "Jeune vers")
        await pick(pilot, form, "field-nature_id", "Entretien individuel")
        await pick(pilot, form, "field-reception_place_id", "Antenne")
        comment = form.query_one("#field-comment", CommentField)
        await tab_to(pilot, comment.widget)
        await pilot.press(*"Bilan")
        assert str(comment.query_one(".field-hint").render()) == "5/255"
        walk_in = form.query_one(Checkbox)
        await tab_to(pilot, walk_in)
        await pilot.press("space")
        await submit_refused(pilot, form)
        assert "deux fois" in error_under(form, "field-secondary_context_id")
        assert services.events.in_progress(actor, dossier) is None

        secondary = widget_of(form, "field-secondary_context_id")
        await tab_to(pilot, secondary)
        await pilot.press("enter", "home", "enter")  # back to "—"
        assert secondary.is_blank()
        await submit(pilot)
        await until(pilot, lambda: done)

    event = services.events.in_progress(actor, dossier)
    assert done[0] == event
    assert [c.label for c in event.contexts] == ["CEP"]
    assert (event.comment, event.walk_in, event.function.label) == ("Bilan", True, "Conseiller")


# -- Synthèses from the catalogue --------------------------------------------------------
async def test_catalogue_opens_the_synthesis_of_an_offer_and_of_a_dispositif(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        dossier = dossier_id(app, "Santoni Ghjuvan")
        catalogue = await open_modal(pilot, CatalogueSearchModal(dossier))
        await pilot.press(*"offre cep")
        await catalogue_results(pilot, catalogue)
        await pilot.press("down", "s")
        await until(pilot, lambda: isinstance(app.screen, OfferSynthesisModal))
        texts = all_text(app.screen)
        for expected in (
            "Informations générales",
            "Conditions MER",
            "OFFRE CEP",
            "Mesure nationale",
            "Conseiller référent",
            "Public",
        ):
            assert expected in texts
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is catalogue)

        await tab_to(pilot, catalogue.query_one("#catalogue-search", Input))
        await pilot.press("end", "ctrl+u", *"cep")
        await choose(pilot, catalogue.query_one("#catalogue-kind", Select), "Disp")
        await catalogue_results(pilot, catalogue)
        await tab_to(pilot, catalogue.query_one(DataTable))
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, DispositifSynthesisModal))
        assert "CEP" in all_text(app.screen)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is catalogue)


async def test_catalogue_pages_its_results(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        catalogue = await open_modal(
            pilot, CatalogueSearchModal(dossier_id(app, "Santoni Ghjuvan"))
        )
        first = await catalogue_results(pilot, catalogue)
        if not catalogue.has_more:
            return  # the demonstration catalogue fits in one page
        await pilot.press("pagedown")
        second = await catalogue_results(pilot, catalogue)
        assert second and not set(first) & set(second)
        assert "Résultats 21" in str(catalogue.query_one("#catalogue-caption").render())
        await pilot.press("pageup")
        assert await catalogue_results(pilot, catalogue) == first


# -- Coordonnées and Compléments -------------------------------------------------------
async def test_contact_and_complements_forms(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = services.dossiers.get(actor, dossier_id(app, "Santoni Ghjuvan"))
        done: list = []
        form = await open_modal(pilot, ContactFormModal(dossier), done)
        await type_into(pilot, form, "field-phone", "abc")
        await submit_refused(pilot, form)
        assert error_under(form, "field-phone") == "Téléphone : numéro invalide."
        await type_into(pilot, form, "field-phone", "06 12 34 56 78")
        await type_into(pilot, form, "field-city", "Ajaccio")
        await submit(pilot)
        await until(pilot, lambda: done)
        saved = services.dossiers.get(actor, dossier.id)
        assert (saved.phone, saved.city, saved.version) == (
            "06 12 34 56 78",
            "Ajaccio",
            dossier.version + 1,
        )

        done.clear()
        form = await open_modal(pilot, ComplementsFormModal(saved), done)
        await type_into(pilot, form, "field-situation", "En recherche d'emploi")
        await submit(pilot)
        await until(pilot, lambda: done)
        assert services.dossiers.get(actor, dossier.id).situation == "En recherche d'emploi"


# -- The proposal: within the event in progress; a long comment; a refused draft --------
async def test_proposal_within_the_event_in_progress_asks_no_event(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, "Santoni Ghjuvan")
        offer = services.offers.search_catalogue(actor, "OFFRE CEP", CatalogueKind.INTERNAL)
        draft = services.proposals.draft(actor, dossier, offer.items[0].id)
        place = ref_id(app, ReferenceKind.RECEPTION_PLACE, "Antenne")
        event = services.events.open(actor, dossier, replace(draft.event, reception_place_id=place))
        done: list = []
        form = await open_modal(pilot, ProposalFormModal(dossier, offer.items[0].id), done)
        assert not form.query("#event-fields")
        assert app.focused is widget_of(form, "field-proposed_on")
        await submit(pilot)
        await until(pilot, lambda: done)
        assert done[0].event_id == event.id and done[0].offer_name == "OFFRE CEP"


async def test_a_pasted_comment_too_long_is_refused_under_its_own_field(make_demo_app):
    from textual import events

    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, "Santoni Ghjuvan")
        offer = services.offers.search_catalogue(actor, "OFFRE CEP", CatalogueKind.INTERNAL)
        done: list = []
        form = await open_modal(pilot, ProposalFormModal(dossier, offer.items[0].id), done)
        await pick(pilot, form, "event-field-reception_place_id", "Siège")
        event_comment = form.query_one("#event-field-comment", CommentField)
        await tab_to(pilot, event_comment.widget)
        app.post_message(events.Paste("x" * 300))  # as the terminal sends a paste
        await pilot.pause()
        hint = event_comment.query_one(".field-hint")
        assert str(hint.render()) == "300/255" and hint.has_class("-warning")
        await submit_refused(pilot, form)
        assert not done
        assert "255 caractères au maximum" in error_under(form, "event-field-comment")
        assert error_under(form, "proposal-comment") == ""
        assert app.focused is event_comment.widget
        assert services.events.in_progress(actor, dossier) is None


async def test_a_counsellor_without_the_right_sees_why_and_can_only_cancel(make_demo_app):
    app = make_demo_app("l.petit")
    async with app.run_test(size=SIZE) as pilot:
        services, actor = app.services, app.actor
        dossier = dossier_id(app, "Santoni Ghjuvan")

        results: list = []
        catalogue = await open_modal(pilot, CatalogueSearchModal(dossier), results)
        await pilot.press(*"offre cep")
        await catalogue_results(pilot, catalogue)
        await pilot.press("down", "p")
        assert app.screen is catalogue
        assert "Proposer CEP" in str(catalogue.query_one("#catalogue-message").render())
        await pilot.press("escape")
        await until(pilot, lambda: results == [None])

        offer = services.offers.search_catalogue(actor, "OFFRE CEP", CatalogueKind.INTERNAL)
        done: list = []
        form = await open_modal(pilot, ProposalFormModal(dossier, offer.items[0].id), done)
        assert "il vous manque le droit « Proposer CEP »" in top_error(form)
        assert form.query_one("#submit").disabled
        await submit_refused(pilot, form)
        await pilot.press("escape")
        await until(pilot, lambda: done == [None])
